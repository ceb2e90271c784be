package org.tsr.inference.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;

/** The built-in tiny model, written once per test JVM, registered as a READY generation of the test store. */
public final class TinyModelFixture {

    private static Path folder;

    private TinyModelFixture() {}

    public static synchronized Path folder() {
        if (folder == null) {
            try {
                Path dir = Files.createTempDirectory("tiny-model");
                CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
                folder = TinyModels.create(dir.resolve("m0"), TinyModels.tiny(vocabulary), vocabulary, 7);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder;
    }

    public static ModelGeneration register(ModelGenerationRepository generations) {
        return generations.save(ModelGeneration.imported(
                "tiny-m0", GenerationKind.SFT, folder().toUri().toString(), CheckpointFormat.HF_SAFETENSORS));
    }
}
