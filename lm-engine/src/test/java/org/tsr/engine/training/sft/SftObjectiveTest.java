package org.tsr.engine.training.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.scoring.ResponseLikelihood;
import org.tsr.engine.scoring.SequenceScorer;
import org.tsr.engine.training.BatchLoss;

class SftObjectiveTest {

    @TempDir
    Path dir;

    @Test
    void lossIsTheMeanNegativeLogLikelihoodOfResponseTokensOnlyWhateverThePadding() {
        try (LanguageModel model =
                LanguageModel.load(TestModels.write(dir, TestModels.llama(), 5), TestModels.options())) {
            // the first row is padded by 4 slots to the second's length; its prompt is longer than its response
            PromptResponse shortRow = new PromptResponse(new long[] {40, 41, 42}, new long[] {50, 51});
            PromptResponse longRow = new PromptResponse(new long[] {60}, new long[] {61, 62, 63, 64, 65, 66, 67, 68});
            SequenceScorer scorer = new SequenceScorer(model);
            double expectedSum = 0;
            for (PromptResponse alone : List.of(shortRow, longRow)) {
                ResponseLikelihood score = scorer.score(List.of(alone), false).get(0);
                expectedSum += score.sumLogProb();
            }
            double expected = -expectedSum / (2 + 8);

            try (NDManager manager = model.manager().newSubManager()) {
                BatchLoss loss = new SftObjective(model).forward(manager, List.of(shortRow, longRow));

                assertThat(loss.loss().getFloat()).isCloseTo((float) expected, within(1e-5f));
                assertThat(loss.tokens()).isEqualTo(3 + 2 + 1 + 8);
                assertThat(loss.pairs()).isNull();
            }
        }
    }
}
