package org.tsr.engine.model;

/**
 * The hyperparameters of a Llama-family decoder, as named in a Hugging Face {@code config.json}.
 *
 * @param ropeScaling how the rotary frequencies are stretched ({@link RopeScaling#NONE} for plain RoPE)
 * @param qkvBias whether q/k/v projections carry a bias (Qwen2 always, Llama and Qwen3 when attention_bias)
 * @param outputBias whether o_proj carries a bias (attention_bias covers o_proj too in Llama and Qwen3, Qwen2 has
 *     none)
 * @param slidingWindow attention window of Mistral (and Qwen2, Qwen3 with use_sliding_window), 0 for none; the engine
 *     attends to the whole sequence, so it limits sequences to the window instead of sliding
 */
public record ModelConfig(
        Architecture architecture,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int maxPositionEmbeddings,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        boolean outputBias,
        int bosTokenId,
        int eosTokenId,
        int slidingWindow) {

    public ModelConfig {
        requirePositive("vocab_size", vocabSize);
        requirePositive("hidden_size", hiddenSize);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("num_hidden_layers", numHiddenLayers);
        requirePositive("num_attention_heads", numAttentionHeads);
        requirePositive("num_key_value_heads", numKeyValueHeads);
        requirePositive("head_dim", headDim);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        if (ropeScaling == null) {
            throw new IllegalArgumentException("rope scaling must be given, RopeScaling.NONE for none");
        }
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numAttentionHeads
                    + ") must be a multiple of num_key_value_heads (" + numKeyValueHeads + ")");
        }
        if (slidingWindow < 0) {
            throw new IllegalArgumentException("sliding_window must not be negative, got " + slidingWindow);
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got " + headDim);
        }
    }

    /** The longest sequence (prompt plus completion) this engine computes exactly for the config. */
    public int contextLength() {
        int positions = ropeScaling.contextLength(maxPositionEmbeddings);
        return slidingWindow > 0 ? Math.min(positions, slidingWindow) : positions;
    }

    /** Whether queries and keys are RMS-normalised per head before rotation (Qwen3's q_norm and k_norm). */
    public boolean qkNorm() {
        return architecture.qkNorm();
    }

    /** Query heads that share one key/value head. */
    public int queriesPerKeyValueHead() {
        return numAttentionHeads / numKeyValueHeads;
    }

    public long parameterCount() {
        long attention = (long) hiddenSize * headDim * (numAttentionHeads * 2L + numKeyValueHeads * 2L);
        if (qkvBias) {
            attention += (long) headDim * (numAttentionHeads + 2L * numKeyValueHeads);
        }
        if (outputBias) {
            attention += hiddenSize;
        }
        long mlp = 3L * hiddenSize * intermediateSize;
        long norms = 2L * hiddenSize + (qkNorm() ? 2L * headDim : 0);
        long embeddings = (long) vocabSize * hiddenSize * (tieWordEmbeddings ? 1 : 2);
        return numHiddenLayers * (attention + mlp + norms) + hiddenSize + embeddings;
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
