package org.tsr.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.training.TrainingFixtures;

class NextTokenScorerTest {

    @TempDir
    Path dir;

    @Test
    void nextTokenLogProbsOfPromptsOfDifferentLengthsMatchScoringEachCandidateAsAResponse() {
        try (LanguageModel model = TrainingFixtures.load(TrainingFixtures.tinyModel(dir))) {
            List<long[]> prompts = List.of(
                    model.tokenizer().encode("rate sort: cba -> abc. Score: "),
                    model.tokenizer().encode("rate add: 1+2 -> 4"));
            long[] candidates = {
                model.tokenizer().encode("1")[0],
                model.tokenizer().encode("3")[0],
                model.tokenizer().encode("5")[0]
            };

            float[][] next = new NextTokenScorer(model).logProbs(prompts, candidates);

            SequenceScorer scorer = new SequenceScorer(model);
            for (int p = 0; p < prompts.size(); p++) {
                for (int c = 0; c < candidates.length; c++) {
                    double expected = scorer.score(
                                    List.of(new PromptResponse(prompts.get(p), new long[] {candidates[c]})), false)
                            .get(0)
                            .sumLogProb();
                    assertThat((double) next[p][c]).isCloseTo(expected, within(1e-4));
                }
            }
        }
    }
}
