package org.tsr.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.scoring.ResponseLikelihood;
import org.tsr.engine.scoring.SequenceScorer;
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

    @Test
    void aFeedHearsOfEachTokenAsItIsDecodedAndItsPiecesJoinToEachText() {
        SamplingSettings params = SamplingSettings.of(2, 1.0, 10, 17);
        List<String> prompts = PROMPTS.subList(0, 2);
        List<DecodedToken> heard = new ArrayList<>();
        List<List<Completion>> fed = new Generator(model).generate(prompts, params, TokenFeed.text(heard::add));
        List<List<Completion>> unfed = new Generator(model).generate(prompts, params);

        assertThat(heard.subList(0, 4))
                .extracting(token -> token.promptIndex() + "/" + token.sampleIndex())
                .containsExactly("0/0", "0/1", "1/0", "1/1");
        for (int p = 0; p < prompts.size(); p++) {
            assertThat(tokens(fed.get(p))).isEqualTo(tokens(unfed.get(p)));
            for (Completion completion : fed.get(p)) {
                List<DecodedToken> own = heard.stream()
                        .filter(token -> token.promptIndex() == completion.promptIndex()
                                && token.sampleIndex() == completion.sampleIndex())
                        .toList();
                assertThat(own).hasSize(completion.completionTokens());
                assertThat(own.stream().map(DecodedToken::text).reduce("", String::concat))
                        .isEqualTo(completion.text());
                assertThat(own.get(own.size() - 1).finishReason()).isEqualTo(completion.finishReason());
                assertThat(own.subList(0, own.size() - 1)).noneMatch(DecodedToken::isLast);
                assertThat(own).allMatch(token -> token.sampled() == null);
            }
        }
    }

    @Test
    void logprobsAreTheModelsOwnLogSoftmaxBeforeTemperatureAndTopK() {
        String prompt = "Sort: dcba ->";
        List<DecodedToken> heard = new ArrayList<>();
        Completion completion = new Generator(model)
                .generate(
                        List.of(prompt),
                        SamplingSettings.of(1, 1.7, 12, 5).withTopK(4),
                        TokenFeed.withLogprobs(heard::add, 3))
                .get(0)
                .get(0);
        ResponseLikelihood scored = new SequenceScorer(model)
                .score(List.of(new PromptResponse(model.tokenizer().encode(prompt), completion.tokenIds())), false)
                .get(0);

        List<DecodedToken> tokens =
                heard.stream().filter(token -> token.sampled() != null).toList();
        assertThat(tokens).hasSize(completion.tokenIds().length);
        for (int i = 0; i < tokens.size(); i++) {
            DecodedToken token = tokens.get(i);
            assertThat(token.sampled().tokenId()).isEqualTo((int) completion.tokenIds()[i]);
            String decoded = model.tokenizer().decode(new long[] {completion.tokenIds()[i]});
            // a special token, which decoding leaves out, shows its name
            assertThat(token.sampled().token()).matches(decoded.isEmpty() ? "<.+>" : Pattern.quote(decoded));
            assertThat(token.sampled().logprob()).as("token %d", i).isCloseTo(scored.tokenLogProbs()[i], within(1e-4));
            assertThat(token.topLogprobs()).hasSize(3);
            assertThat(token.topLogprobs().get(0).logprob())
                    .isGreaterThanOrEqualTo(token.topLogprobs().get(1).logprob())
                    .isGreaterThanOrEqualTo(token.sampled().logprob());
        }
    }

    @Test
    void aListenerThatThrowsEndsTheDecodingThere() {
        List<DecodedToken> heard = new ArrayList<>();
        IllegalStateException gone = new IllegalStateException("the reader has gone");
        TokenFeed feed = TokenFeed.text(token -> {
            heard.add(token);
            if (heard.size() == 3) {
                throw gone;
            }
        });

        assertThatThrownBy(() -> new Generator(model).generate(List.of("abc"), SamplingSettings.greedy(7), feed))
                .isSameAs(gone);
        assertThat(heard).hasSize(3);
        // the model is still usable: the next call runs to its end
        assertThat(new Generator(model)
                        .generate(List.of("abc"), SamplingSettings.greedy(7))
                        .get(0)
                        .get(0)
                        .completionTokens())
                .isEqualTo(7);
    }

    private static List<List<Long>> tokens(List<Completion> completions) {
        return completions.stream()
                .map(c -> java.util.Arrays.stream(c.tokenIds()).boxed().toList())
                .toList();
    }
}
