package org.tsr.judge.rubric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.scoring.SequenceScorer;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.engine.tokenizer.ChatMessage;

class ExpectedScoreTest {

    @TempDir
    Path dir;

    @Test
    void theReasoningIsCutAfterItsLastScoreMarkerOrGivenOne() {
        assertThat(ExpectedScore.upToMarker("two letters swapped. Score: 4")).isEqualTo("two letters swapped. Score:");
        assertThat(ExpectedScore.upToMarker("right. Score: 5 Score: 3")).isEqualTo("right. Score: 5 Score:");
        assertThat(ExpectedScore.upToMarker("wrong letters")).isEqualTo("wrong letters. Score:");
        assertThat(ExpectedScore.upToMarker("wrong. ")).isEqualTo("wrong. Score:");
        assertThat(ExpectedScore.upToMarker("")).isEqualTo("Score:");
    }

    @Test
    void theScoreIsTheProbabilityWeightedMeanOfTheDigitsAfterScoreAndSpace() {
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        Path modelDir = TinyModels.create(dir.resolve("m"), TinyModels.tiny(vocabulary), vocabulary, 5);
        try (LanguageModel model = LanguageModel.load(modelDir, EngineOptions.cpu(1))) {
            List<Double> scores =
                    new ExpectedScore(model, 0, 5).scores(List.of("rate sort: cba -> abc"), List.of("right. Score: 5"));

            // a character tokenizer splits " 5" in two, so the digit is read after "Score: "
            String asked =
                    model.chatTemplate().orElseThrow().render(List.of(ChatMessage.user("rate sort: cba -> abc")), true);
            long[] prompt = model.tokenizer().encode(asked + "right. Score: ");
            SequenceScorer scorer = new SequenceScorer(model);
            double mass = 0;
            double weighted = 0;
            for (int d = 0; d <= 5; d++) {
                double p = Math.exp(scorer.score(
                                List.of(new PromptResponse(
                                        prompt, model.tokenizer().encode(Integer.toString(d)))),
                                false)
                        .get(0)
                        .sumLogProb());
                mass += p;
                weighted += d * p;
            }
            assertThat(scores).hasSize(1);
            assertThat(scores.get(0)).isCloseTo(weighted / mass, within(1e-4)).isBetween(0.0, 5.0);
        }
    }
}
