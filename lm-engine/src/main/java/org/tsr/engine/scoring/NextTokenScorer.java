package org.tsr.engine.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.AttentionInputs;
import org.tsr.engine.model.CausalLm;
import org.tsr.engine.model.InferenceMode;
import org.tsr.engine.model.TokenIds;

/**
 * The model's log-probabilities for the token after each prompt, in one right-padded forward pass: what a judge's
 * expected score reads at the position after "Score:".
 */
public final class NextTokenScorer {

    private final LanguageModel model;

    public NextTokenScorer(LanguageModel model) {
        this.model = model;
    }

    /**
     * @return per prompt, the log-probability of each of {@code candidates} as the next token
     * @throws IllegalArgumentException if a prompt is empty or longer than the model's context
     */
    public float[][] logProbs(List<long[]> prompts, long[] candidates) {
        if (prompts.isEmpty()) {
            return new float[0][];
        }
        CausalLm network = model.network();
        int vocab = network.config().vocabSize();
        TokenIds.requireInVocabulary(candidates, vocab, "candidates");
        int width = 0;
        for (int row = 0; row < prompts.size(); row++) {
            long[] prompt = prompts.get(row);
            if (prompt.length == 0 || prompt.length > network.config().contextLength()) {
                throw new IllegalArgumentException("prompt " + row + " has " + prompt.length + " tokens; it needs 1 to "
                        + network.config().contextLength());
            }
            TokenIds.requireInVocabulary(prompt, vocab, "prompt " + row);
            width = Math.max(width, prompt.length);
        }
        int rows = prompts.size();
        long[] ids = new long[rows * width];
        Arrays.fill(ids, model.generationConfig().padTokenId());
        boolean[][] keyMask = new boolean[rows][width];
        for (int row = 0; row < rows; row++) {
            long[] prompt = prompts.get(row);
            System.arraycopy(prompt, 0, ids, row * width, prompt.length);
            Arrays.fill(keyMask[row], 0, prompt.length, true);
        }
        try (InferenceMode noGradients = InferenceMode.enter();
                NDManager manager = model.manager().newSubManager()) {
            NDArray input = manager.create(ids, new Shape(rows, width));
            NDArray hidden = network.hiddenStates(input, AttentionInputs.of(manager, keyMask, width), null);
            float[][] result = new float[rows][];
            for (int row = 0; row < rows; row++) {
                int last = prompts.get(row).length - 1;
                NDArray logProbs = network.logits(hidden.get(row).get(last)).logSoftmax(-1);
                float[] all = logProbs.toFloatArray();
                result[row] = new float[candidates.length];
                for (int c = 0; c < candidates.length; c++) {
                    result[row][c] = all[(int) candidates[c]];
                }
            }
            return result;
        }
    }
}
