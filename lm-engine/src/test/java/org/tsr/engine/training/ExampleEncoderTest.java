package org.tsr.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.sampling.Completion;
import org.tsr.engine.sampling.Generator;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.engine.training.dpo.PreferenceExample;

class ExampleEncoderTest {

    /** The character vocabulary's special tokens take the first ids. */
    private static final int SPECIAL_TOKENS = 6;

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
    void aPairScoresExactlyThePromptAndTokensTheGeneratorSampled() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir))) {
            String prompt = "reverse: abcdef";
            List<Completion> samples = new Generator(model)
                    .generateChats(List.of(List.of(ChatMessage.user(prompt))), SamplingSettings.of(8, 1.0, 8, 7))
                    .get(0);
            long[] sampledPrompt = model.tokenizer()
                    .encode(model.chatTemplate().orElseThrow().render(List.of(ChatMessage.user(prompt)), true));
            ExampleEncoder encoder = new ExampleEncoder(model, true, 256);
            long imEnd = CharacterVocabulary.ascii().id(CharacterVocabulary.IM_END);
            int compared = 0;
            for (Completion sample : samples) {
                PreferenceExample pair = encoder.encodePair(prompt, sample.text(), "x");
                assertThat(pair.promptIds()).containsExactly(sampledPrompt);
                assertThat(sample.promptTokens()).isEqualTo(pair.promptIds().length);
                // the stored text skips special tokens, as Hugging Face decoding does; a sample without any is
                // trained on exactly the tokens that were sampled, then the end of the assistant turn
                if (Arrays.stream(sample.tokenIds()).allMatch(id -> id >= SPECIAL_TOKENS)) {
                    assertThat(pair.chosenIds()).startsWith(sample.tokenIds());
                    assertThat(pair.chosenIds()[sample.tokenIds().length]).isEqualTo(imEnd);
                    compared++;
                }
            }
            assertThat(compared).isPositive();
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
