package org.tsr.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.checkpoint.SafetensorsWriter;
import org.tsr.engine.model.AttentionInputs;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.ReferenceLlama;

class SequenceScorerTest {

    private static final ModelConfig CONFIG = TestModels.qwen2();
    private static final long SEED = 41;

    @TempDir
    static Path dir;

    private static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(TestModels.write(dir, CONFIG, SEED), TestModels.options());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static final PromptResponse SHORT = new PromptResponse(new long[] {10, 11}, new long[] {20, 21, 22});
    private static final PromptResponse LONG =
            new PromptResponse(new long[] {30, 31, 32, 33, 34}, new long[] {40, 41, 42, 43});

    @Test
    void logProbsOfResponseTokensMatchTheReferenceImplementation() {
        Map<String, float[]> weights = new HashMap<>();
        for (SafetensorsWriter.Tensor tensor : TestModels.randomTensors(CONFIG, SEED)) {
            weights.put(tensor.name(), tensor.data());
        }
        ReferenceLlama reference = new ReferenceLlama(CONFIG, weights);
        List<ResponseLikelihood> scores = new SequenceScorer(model).score(List.of(SHORT, LONG), false);
        for (int row = 0; row < 2; row++) {
            PromptResponse item = row == 0 ? SHORT : LONG;
            long[] full = concat(item.promptIds(), item.responseIds());
            float[][] logits = reference.logits(full);
            float[] expected = new float[item.responseIds().length];
            double sum = 0;
            for (int i = 0; i < expected.length; i++) {
                int slot = item.promptIds().length - 1 + i;
                expected[i] = (float) logSoftmax(logits[slot], (int) full[slot + 1]);
                sum += expected[i];
            }
            ResponseLikelihood score = scores.get(row);
            assertThat(score.tokenLogProbs()).containsExactly(expected, Offset.offset(1e-4f));
            assertThat(score.sumLogProb()).isCloseTo(sum, Offset.offset(1e-3));
            assertThat(score.meanHiddenState()).isNull();
        }
    }

    @Test
    void aPaddedBatchScoresLikeEachRowAlone() {
        SequenceScorer scorer = new SequenceScorer(model);
        List<ResponseLikelihood> batch = scorer.score(List.of(SHORT, LONG), true);
        ResponseLikelihood shortAlone = scorer.score(List.of(SHORT), true).get(0);
        ResponseLikelihood longAlone = scorer.score(List.of(LONG), true).get(0);
        assertThat(batch.get(0).tokenLogProbs()).containsExactly(shortAlone.tokenLogProbs(), Offset.offset(1e-4f));
        assertThat(batch.get(1).tokenLogProbs()).containsExactly(longAlone.tokenLogProbs(), Offset.offset(1e-4f));
        assertThat(batch.get(0).meanHiddenState()).containsExactly(shortAlone.meanHiddenState(), Offset.offset(1e-4f));
    }

    @Test
    void theSamePromptWithAnotherResponseOnlyChangesResponseScores() {
        SequenceScorer scorer = new SequenceScorer(model);
        PromptResponse other = new PromptResponse(SHORT.promptIds(), new long[] {20, 21, 50, 51});
        List<ResponseLikelihood> scores = scorer.score(List.of(SHORT, other), false);
        assertThat(scores.get(1).tokenLogProbs()).hasSize(4);
        // the first two response tokens share their context, so their log-probs agree
        assertThat(scores.get(1).tokenLogProbs()[0]).isCloseTo(scores.get(0).tokenLogProbs()[0], Offset.offset(1e-5f));
        assertThat(scores.get(1).tokenLogProbs()[1]).isCloseTo(scores.get(0).tokenLogProbs()[1], Offset.offset(1e-5f));
    }

    @Test
    void meanHiddenStateAveragesTheResponsePositions() {
        ResponseLikelihood score =
                new SequenceScorer(model).score(List.of(LONG), true).get(0);
        long[] full = concat(LONG.promptIds(), LONG.responseIds());
        int hidden = CONFIG.hiddenSize();
        try (NDManager manager = model.manager().newSubManager()) {
            NDArray states = model.network()
                    .hiddenStates(
                            manager.create(new long[][] {full}), AttentionInputs.causal(manager, 1, full.length), null);
            float[] values = states.toFloatArray();
            float[] expected = new float[hidden];
            for (int t = LONG.promptIds().length; t < full.length; t++) {
                for (int i = 0; i < hidden; i++) {
                    expected[i] += values[t * hidden + i] / LONG.responseIds().length;
                }
            }
            assertThat(score.meanHiddenState()).containsExactly(expected, Offset.offset(1e-5f));
        }
    }

    @Test
    void scoringLeavesNoLiveArraysBehind() {
        SequenceScorer scorer = new SequenceScorer(model);
        scorer.score(List.of(SHORT, LONG), true);
        int before = model.manager().getParentManager().getManagedArrays().size();
        for (int i = 0; i < 50; i++) {
            scorer.score(List.of(SHORT, LONG), true);
        }
        assertThat(model.manager().getParentManager().getManagedArrays()).hasSize(before);
    }

    private static double logSoftmax(float[] logits, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (float value : logits) {
            max = Math.max(max, value);
        }
        double sum = 0;
        for (float value : logits) {
            sum += Math.exp(value - max);
        }
        return logits[target] - max - Math.log(sum);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
