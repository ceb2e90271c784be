package org.tsr.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.engine.training.dpo.PreferenceExample;

class ExampleEncoderTest {

    @TempDir
    Path dir;

    @Test
    void chatRowsAreThePromptTurnWithGenerationPromptAndTheAssistantTurnWithItsEndMarker() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir))) {
            PromptResponse row = new ExampleEncoder(model, true, 256).encode("sort: cba", "abc");

            assertThat(model.tokenizer().decode(row.promptIds()))
                    .isEqualTo(model.tokenizer()
                            .decode(model.tokenizer()
                                    .encode(model.chatTemplate()
                                            .orElseThrow()
                                            .render(List.of(ChatMessage.user("sort: cba")), true))));
            long imEnd = CharacterVocabulary.ascii().id(CharacterVocabulary.IM_END);
            assertThat(row.responseIds())
                    .startsWith(model.tokenizer().encode("abc"))
                    .contains(imEnd);
        }
    }

    @Test
    void plainRowsEndTheResponseWithEndOfSequence() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir))) {
            PromptResponse row = new ExampleEncoder(model, false, 256).encode("sort: cba", "abc");

            assertThat(row.promptIds()).containsExactly(model.tokenizer().encode("sort: cba"));
            assertThat(row.responseIds()).hasSize(4).endsWith((long)
                    model.generationConfig().eosTokenIds().get(0));
        }
    }

    @Test
    void longRowsKeepTheEndOfThePromptAndTheStartOfTheResponses() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir))) {
            PreferenceExample pair = new ExampleEncoder(model, false, 10).encodePair("0123456789", "abcdefghij", "xy");

            // the longer response keeps half the budget, the prompt the rest from its end
            assertThat(model.tokenizer().decode(pair.chosenIds())).isEqualTo("abcde");
            assertThat(model.tokenizer().decode(pair.promptIds())).isEqualTo("56789");
            assertThat(pair.rejectedIds()).hasSize(3);
            assertThatThrownBy(() -> new ExampleEncoder(model, false, 100_000))
                    .isInstanceOf(InvalidTrainingOptionException.class)
                    .hasMessageContaining("maxLength");
        }
    }
}
