package org.tsr.engine.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.AttentionInputs;
import org.tsr.engine.model.CausalLm;
import org.tsr.engine.model.InferenceMode;
import org.tsr.engine.model.TokenIds;

/**
 * Scores responses given prompts in one padded forward pass: per-token and summed log-probabilities of the
 * response tokens only (prompt and padding masked), optionally the mean last-layer hidden state over the
 * response. The same computation serves the trainer, which takes the native arrays with gradients.
 */
public final class SequenceScorer {

    private final CausalLm network;
    private final NDManager modelManager;
    private final long padTokenId;

    public SequenceScorer(LanguageModel model) {
        this.network = model.network();
        this.modelManager = model.manager();
        this.padTokenId = model.generationConfig().padTokenId();
    }

    /** Scores a batch and copies the results to Java; native memory is released before returning. */
    public List<ResponseLikelihood> score(List<PromptResponse> batch, boolean withMeanHiddenState) {
        if (batch.isEmpty()) {
            return List.of();
        }
        try (InferenceMode noGradients = InferenceMode.enter();
                NDManager manager = modelManager.newSubManager()) {
            ResponseLogProbs logProbs = logProbs(manager, batch);
            int slots = (int) logProbs.tokenLogProbs().getShape().get(1);
            float[] perSlot = logProbs.tokenLogProbs().toFloatArray();
            float[] pooled = withMeanHiddenState ? meanOverResponse(logProbs) : null;
            int hidden = network.config().hiddenSize();
            List<ResponseLikelihood> scores = new ArrayList<>(batch.size());
            for (int row = 0; row < batch.size(); row++) {
                PromptResponse item = batch.get(row);
                int first = row * slots + item.promptIds().length - 1;
                float[] tokens = Arrays.copyOfRange(perSlot, first, first + item.responseIds().length);
                double sum = 0;
                for (float value : tokens) {
                    sum += value;
                }
                float[] mean = pooled == null || tokens.length == 0
                        ? null
                        : Arrays.copyOfRange(pooled, row * hidden, (row + 1) * hidden);
                scores.add(new ResponseLikelihood(tokens, sum, mean));
            }
            return scores;
        }
    }

    /**
     * The batch's log-probabilities as native arrays in {@code manager}, right-padded to the longest row.
     * Under a gradient collector they carry gradients to the model's parameters.
     */
    public ResponseLogProbs logProbs(NDManager manager, List<PromptResponse> batch) {
        int rows = batch.size();
        int vocab = network.config().vocabSize();
        for (int row = 0; row < rows; row++) {
            TokenIds.requireInVocabulary(batch.get(row).promptIds(), vocab, "row " + row + " prompt");
            TokenIds.requireInVocabulary(batch.get(row).responseIds(), vocab, "row " + row + " response");
        }
        int width = batch.stream().mapToInt(PromptResponse::length).max().orElseThrow();
        if (width > network.config().contextLength()) {
            throw new IllegalArgumentException("a row has " + width + " tokens; the model computes at most "
                    + network.config().contextLength());
        }
        if (width < 2) {
            throw new IllegalArgumentException("nothing to score: every row has fewer than two tokens");
        }
        long[] ids = new long[rows * width];
        Arrays.fill(ids, padTokenId);
        boolean[][] keyMask = new boolean[rows][width];
        long[] targets = new long[rows * (width - 1)];
        float[] responseMask = new float[rows * (width - 1)];
        for (int row = 0; row < rows; row++) {
            PromptResponse item = batch.get(row);
            int promptLength = item.promptIds().length;
            System.arraycopy(item.promptIds(), 0, ids, row * width, promptLength);
            System.arraycopy(item.responseIds(), 0, ids, row * width + promptLength, item.responseIds().length);
            Arrays.fill(keyMask[row], 0, item.length(), true);
            for (int slot = 0; slot < width - 1; slot++) {
                targets[row * (width - 1) + slot] = ids[row * width + slot + 1];
                boolean predictsResponse = slot + 1 >= promptLength && slot + 1 < item.length();
                responseMask[row * (width - 1) + slot] = predictsResponse ? 1f : 0f;
            }
        }
        NDArray input = manager.create(ids, new Shape(rows, width));
        NDArray hidden = network.hiddenStates(input, AttentionInputs.of(manager, keyMask, width), null);
        NDArray logProbs =
                network.logits(hidden).get(new NDIndex(":, 0:{}, :", width - 1)).logSoftmax(-1);
        NDArray targetIds = manager.create(targets, new Shape(rows, width - 1, 1));
        NDArray mask = manager.create(responseMask, new Shape(rows, width - 1));
        NDArray picked = logProbs.gather(targetIds, 2).reshape(rows, width - 1).mul(mask);
        return new ResponseLogProbs(picked, mask, hidden);
    }

    /** Mean hidden state over response tokens, (batch * hidden) floats; rows without response give 0. */
    private float[] meanOverResponse(ResponseLogProbs logProbs) {
        NDArray hidden = logProbs.hiddenStates();
        long rows = hidden.getShape().get(0);
        // slot t of the mask marks token t+1; prepend a zero column to align it with token positions
        NDArray tokenMask =
                logProbs.responseMask().getManager().zeros(new Shape(rows, 1)).concat(logProbs.responseMask(), 1);
        NDArray summed = hidden.mul(tokenMask.expandDims(-1)).sum(new int[] {1});
        NDArray counts = tokenMask.sum(new int[] {1}, true).maximum(1f);
        return summed.div(counts).toFloatArray();
    }
}
