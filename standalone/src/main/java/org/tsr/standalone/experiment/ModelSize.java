package org.tsr.standalone.experiment;

import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;

/** The built-in model sizes the demo can start from, all character-level Llama models. */
public enum ModelSize {
    /** About 1M parameters: hidden 128, 4 layers. */
    TINY,
    /** About 5M parameters: hidden 256, 6 layers. */
    SMALL,
    /** About 19M parameters: hidden 512, 6 layers, 8 heads over 4 KV heads. */
    MEDIUM;

    public ModelConfig config(CharacterVocabulary vocabulary) {
        return switch (this) {
            case TINY -> TinyModels.tiny(vocabulary);
            case SMALL -> TinyModels.config(vocabulary, 256, 1024, 6, 8, 4, 256);
            case MEDIUM -> TinyModels.config(vocabulary, 512, 1536, 6, 8, 4, 256);
        };
    }
}
