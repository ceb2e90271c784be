package org.tsr.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.tokenizer.ChatMessage;

class GeneratorTest {

    private static final List<String> PROMPTS = List.of("Sort: dcba ->", "Hi", "Count the letters in banana:");

    @TempDir
    static Path dir;

    private static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(TestModels.write(dir.resolve("m"), TestModels.llama(), 31), TestModels.options());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aBatchGivesTheSameCompletionsAsEachPromptAlone() {
        Generator generator = new Generator(model);
        for (SamplingSettings params : List.of(SamplingSettings.greedy(12), SamplingSettings.of(2, 1.0, 12, 7))) {
            List<List<Completion>> batch = generator.generate(PROMPTS, params);
            for (int p = 0; p < PROMPTS.size(); p++) {
                List<Completion> alone =
                        generator.generate(List.of(PROMPTS.get(p)), params).get(0);
                assertThat(tokens(batch.get(p))).as("prompt %d", p).isEqualTo(tokens(alone));
            }
        }
    }

    @Test
    void leftAndRightPaddingGiveTheSameCompletions() {
        SamplingSettings params = SamplingSettings.of(2, 0.8, 10, 3);
        List<List<Completion>> left = new Generator(model, Generator.Padding.LEFT).generate(PROMPTS, params);
        List<List<Completion>> right = new Generator(model, Generator.Padding.RIGHT).generate(PROMPTS, params);
        for (int p = 0; p < PROMPTS.size(); p++) {
            assertThat(tokens(right.get(p))).isEqualTo(tokens(left.get(p)));
        }
    }

    @Test
    void aFixedSeedReproducesSamplesAndAnotherSeedChangesThem() {
        Generator generator = new Generator(model);
        List<List<Completion>> first = generator.generate(PROMPTS, SamplingSettings.of(3, 1.0, 16, 99));
        List<List<Completion>> again = generator.generate(PROMPTS, SamplingSettings.of(3, 1.0, 16, 99));
        List<List<Completion>> other = generator.generate(PROMPTS, SamplingSettings.of(3, 1.0, 16, 100));
        for (int p = 0; p < PROMPTS.size(); p++) {
            assertThat(tokens(again.get(p))).isEqualTo(tokens(first.get(p)));
        }
        assertThat(first.stream().map(GeneratorTest::tokens).toList())
                .isNotEqualTo(other.stream().map(GeneratorTest::tokens).toList());
        // the n samples of one prompt differ from each other
        assertThat(first.get(0).get(0).tokenIds())
                .isNotEqualTo(first.get(0).get(1).tokenIds());
    }

    @Test
    void greedyIsTemperatureZeroAndEqualsTopKOfOne() {
        Generator generator = new Generator(model);
        List<List<Completion>> greedy = generator.generate(PROMPTS, SamplingSettings.greedy(10));
        List<List<Completion>> topOne =
                generator.generate(PROMPTS, SamplingSettings.of(1, 1.5, 10, 5).withTopK(1));
        List<List<Completion>> tinyNucleus =
                generator.generate(PROMPTS, SamplingSettings.of(1, 1.5, 10, 5).withTopP(1e-6));
        for (int p = 0; p < PROMPTS.size(); p++) {
            assertThat(tokens(topOne.get(p))).isEqualTo(tokens(greedy.get(p)));
            assertThat(tokens(tinyNucleus.get(p))).isEqualTo(tokens(greedy.get(p)));
        }
    }

    @Test
    void stopsAtMaxNewTokensWithLengthAndReportsCounts() {
        Completion completion = new Generator(model)
                .generate(List.of("abc"), SamplingSettings.greedy(7))
                .get(0)
                .get(0);
        assertThat(completion.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(completion.tokenIds()).hasSize(7);
        assertThat(completion.completionTokens()).isEqualTo(7);
        assertThat(completion.promptTokens()).isEqualTo(3);
        assertThat(completion.text()).isEqualTo(model.tokenizer().decode(completion.tokenIds()));
    }

    @Test
    void stopsAtAStopStringAndCutsTheTextBeforeIt() {
        Generator generator = new Generator(model);
        long[] greedy = generator
                .generate(List.of("abc"), SamplingSettings.greedy(12))
                .get(0)
                .get(0)
                .tokenIds();
        String text = model.tokenizer().decode(greedy);
        String stop = text.substring(5, 7);
        Completion completion = generator
                .generate(List.of("abc"), SamplingSettings.greedy(12).withStop(List.of(stop, "\u0001never")))
                .get(0)
                .get(0);
        assertThat(completion.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(completion.text()).isEqualTo(text.substring(0, text.indexOf(stop)));
    }

    @Test
    void stopsAtEndOfSequenceTokensFromTheGenerationConfig() throws Exception {
        long firstGreedyToken = new Generator(model)
                .generate(List.of("abc"), SamplingSettings.greedy(3))
                .get(0)
                .get(0)
                .tokenIds()[1];
        Path copy = dir.resolve("eos");
        model.save(copy);
        Files.writeString(
                copy.resolve("generation_config.json"),
                "{\"bos_token_id\": 1, \"eos_token_id\": [2, " + firstGreedyToken + "], \"pad_token_id\": 0}");
        try (LanguageModel withEos = LanguageModel.load(copy, TestModels.options())) {
            Completion completion = new Generator(withEos)
                    .generate(List.of("abc"), SamplingSettings.greedy(10))
                    .get(0)
                    .get(0);
            assertThat(completion.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(completion.tokenIds()).hasSize(1).doesNotContain(firstGreedyToken);
            assertThat(completion.completionTokens()).isEqualTo(2);
        }
    }

    @Test
    void chatsAreFormattedByTheModelsTemplateBeforeSampling() {
        Generator generator = new Generator(model);
        List<ChatMessage> chat = List.of(ChatMessage.user("Sort: cba"));
        Completion viaChat = generator
                .generateChats(List.of(chat), SamplingSettings.greedy(5))
                .get(0)
                .get(0);
        String rendered = "<|im_start|>user\nSort: cba<|im_end|>\n<|im_start|>assistant\n";
        Completion viaText = generator
                .generate(List.of(rendered), SamplingSettings.greedy(5))
                .get(0)
                .get(0);
        assertThat(viaChat.tokenIds()).isEqualTo(viaText.tokenIds());
        assertThat(viaChat.promptTokens())
                .isEqualTo(rendered.length() - 2 * "<|im_start|>".length() - "<|im_end|>".length() + 3);
    }

    @Test
    void rejectsEmptyAndOverlongPrompts() {
        Generator generator = new Generator(model);
        assertThatThrownBy(() -> generator.generate(List.of(""), SamplingSettings.greedy(3)))
                .hasMessageContaining("prompt 0");
        assertThatThrownBy(() -> generator.generate(List.of("x".repeat(200)), SamplingSettings.greedy(3)))
                .hasMessageContaining("200 tokens");
        assertThatThrownBy(
                        () -> generator.generateFromIds(List.of(new long[] {5, 100_000}), SamplingSettings.greedy(3)))
                .hasMessageContaining("token id 100000 at position 1");
    }

    private static List<List<Long>> tokens(List<Completion> completions) {
        return completions.stream()
                .map(c -> java.util.Arrays.stream(c.tokenIds()).boxed().toList())
                .toList();
    }
}
