package org.tsr.engine.tiny;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.tokenizer.CharacterVocabulary;

class TinyModelsTest {

    @TempDir
    Path dir;

    @Test
    void tinyConfigHasAboutOneMillionParameters() {
        ModelConfig config = TinyModels.tiny(CharacterVocabulary.ascii());
        assertThat(config.parameterCount()).isBetween(800_000L, 1_200_000L);
        assertThat(config.numKeyValueHeads()).isEqualTo(2);
        assertThat(config.maxPositionEmbeddings()).isEqualTo(256);
    }

    @Test
    void benchConfigHasAboutTwentyFiveMillionParameters() {
        assertThat(TinyModels.bench25m(CharacterVocabulary.ascii()).parameterCount())
                .isBetween(22_000_000L, 28_000_000L);
    }

    @Test
    void sameSeedGivesTheSameModelDirectoryThatLoadsWithItsTokenizerAndTemplate() {
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        ModelConfig config = TinyModels.tiny(vocabulary);
        TinyModels.create(dir.resolve("a"), config, vocabulary, 42);
        TinyModels.create(dir.resolve("b"), config, vocabulary, 42);
        try (LanguageModel a = LanguageModel.load(dir.resolve("a"), EngineOptions.cpu(1));
                LanguageModel b = LanguageModel.load(dir.resolve("b"), EngineOptions.cpu(1))) {
            long count = 0;
            for (int i = 0; i < a.network().namedParameters().size(); i++) {
                NamedParameter pa = a.network().namedParameters().get(i);
                NamedParameter pb = b.network().namedParameters().get(i);
                assertThat(pb.parameter().getArray().toFloatArray())
                        .as(pa.name())
                        .containsExactly(pa.parameter().getArray().toFloatArray());
                count += pa.shape().size();
            }
            assertThat(count).isEqualTo(config.parameterCount());
            assertThat(a.chatTemplate()).isPresent();
            assertThat(a.generationConfig().eosTokenIds())
                    .containsExactly(vocabulary.id(CharacterVocabulary.EOS), vocabulary.id(CharacterVocabulary.IM_END));
            assertThat(a.tokenizer().decode(a.tokenizer().encode("abc"))).isEqualTo("abc");
        }
    }
}
