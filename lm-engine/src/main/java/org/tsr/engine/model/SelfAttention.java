package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Causal multi-head attention with grouped key/value heads and rotary positions; for Qwen3, each query and key
 * head is RMS-normalised (q_norm, k_norm over head_dim) before it is rotated.
 */
final class SelfAttention extends ParameterSlots {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;
    private final LinearProjection q;
    private final LinearProjection k;
    private final LinearProjection v;
    private final LinearProjection o;
    private final RmsNorm qNorm;
    private final RmsNorm kNorm;

    SelfAttention(ModelConfig config) {
        heads = config.numAttentionHeads();
        kvHeads = config.numKeyValueHeads();
        headDim = config.headDim();
        scale = (float) (1.0 / Math.sqrt(headDim));
        int hidden = config.hiddenSize();
        Parameter qWeight = declare("q_proj.weight", Parameter.Type.WEIGHT, (long) heads * headDim, hidden);
        Parameter kWeight = declare("k_proj.weight", Parameter.Type.WEIGHT, (long) kvHeads * headDim, hidden);
        Parameter vWeight = declare("v_proj.weight", Parameter.Type.WEIGHT, (long) kvHeads * headDim, hidden);
        Parameter oWeight = declare("o_proj.weight", Parameter.Type.WEIGHT, hidden, (long) heads * headDim);
        boolean qkvBias = config.qkvBias();
        q = new LinearProjection(
                qWeight, qkvBias ? declare("q_proj.bias", Parameter.Type.BIAS, (long) heads * headDim) : null);
        k = new LinearProjection(
                kWeight, qkvBias ? declare("k_proj.bias", Parameter.Type.BIAS, (long) kvHeads * headDim) : null);
        v = new LinearProjection(
                vWeight, qkvBias ? declare("v_proj.bias", Parameter.Type.BIAS, (long) kvHeads * headDim) : null);
        o = new LinearProjection(
                oWeight, config.outputBias() ? declare("o_proj.bias", Parameter.Type.BIAS, hidden) : null);
        qNorm = config.qkNorm() ? addChildBlock("q_norm", new RmsNorm(headDim, config.rmsNormEps())) : null;
        kNorm = config.qkNorm() ? addChildBlock("k_norm", new RmsNorm(headDim, config.rmsNormEps())) : null;
    }

    /**
     * @param x (batch, time, hidden)
     * @param bias additive mask (batch, 1, time, keyTime); keyTime includes cached positions
     * @param cache this layer's cache, or null to attend only within x
     */
    NDArray apply(NDArray x, RotaryEmbedding.Angles rope, NDArray bias, LayerCache cache) {
        long batch = x.getShape().get(0);
        long time = x.getShape().get(1);
        NDArray[] qkv = cache == null ? projectSeparately(x, rope) : projectFused(x, rope, cache);
        NDArray queries = qkv[0];
        NDArray keys = qkv[1];
        NDArray values = qkv[2];
        if (cache != null) {
            NDArray[] history = cache.append(keys, values);
            keys = history[0];
            values = history[1];
        }
        long keyTime = keys.getShape().get(2);
        // Query heads h = kv * group + i share kv head `kv`; folding the group into the time axis lets one
        // batched matmul serve all of them without copying keys and values per query head.
        long grouped = (long) (heads / kvHeads) * time;
        NDArray scores = queries.reshape(batch, kvHeads, grouped, headDim)
                .matMul(keys.transpose(0, 1, 3, 2))
                .reshape(batch, heads, time, keyTime)
                .add(bias);
        NDArray context = scores.softmax(-1)
                .reshape(batch, kvHeads, grouped, keyTime)
                .matMul(values)
                .reshape(batch, heads, time, headDim)
                .transpose(0, 2, 1, 3)
                .reshape(batch, time, (long) heads * headDim);
        return o.apply(context);
    }

    /** Rotated and scaled queries, rotated keys and values, each (batch, heads, time, headDim). */
    private NDArray[] projectSeparately(NDArray x, RotaryEmbedding.Angles rope) {
        NDArray queries = project(x, q, heads);
        NDArray keys = project(x, k, kvHeads);
        if (qNorm != null) {
            queries = qNorm.apply(queries);
            keys = kNorm.apply(keys);
        }
        return new NDArray[] {Scalars.times(rope.apply(queries), scale), rope.apply(keys), project(x, v, kvHeads)};
    }

    /** The same with the decoding run's stacked q/k/v weight: one matmul and one rotation. */
    private NDArray[] projectFused(NDArray x, RotaryEmbedding.Angles rope, LayerCache cache) {
        FusedProjections fused = cache.projections();
        NDArray qkv = fused.qkv(x)
                .reshape(x.getShape().get(0), x.getShape().get(1), heads + 2L * kvHeads, headDim)
                .transpose(0, 2, 1, 3);
        NDArray queriesAndKeys = qkv.get(new NDIndex(":, 0:{}", heads + kvHeads));
        if (qNorm != null) {
            queriesAndKeys = NDArrays.concat(
                    new NDList(
                            qNorm.apply(queriesAndKeys.get(new NDIndex(":, 0:{}", heads))),
                            kNorm.apply(queriesAndKeys.get(new NDIndex(":, {}:", heads)))),
                    1);
        }
        NDArray rotated = rope.apply(queriesAndKeys);
        return new NDArray[] {
            rotated.get(new NDIndex(":, 0:{}", heads)).mul(scale),
            rotated.get(new NDIndex(":, {}:", heads)),
            qkv.get(new NDIndex(":, {}:", heads + kvHeads))
        };
    }

    FusedProjections fuseInto(ai.djl.ndarray.NDManager owner, SwiGluMlp mlp) {
        return FusedProjections.of(owner, new LinearProjection[] {q, k, v}, mlp.gate(), mlp.up());
    }

    LinearProjection projection(LinearModule module) {
        return switch (module) {
            case Q_PROJ -> q;
            case K_PROJ -> k;
            case V_PROJ -> v;
            case O_PROJ -> o;
            default -> throw new IllegalArgumentException(module.hfName() + " is not an attention projection");
        };
    }

    /** (batch, time, hidden) to (batch, heads, time, headDim). */
    private NDArray project(NDArray x, LinearProjection projection, int headCount) {
        NDArray projected = projection.apply(x);
        Shape shape = x.getShape();
        return projected.reshape(shape.get(0), shape.get(1), headCount, headDim).transpose(0, 2, 1, 3);
    }

    @Override
    void collect(String prefix, List<NamedParameter> into) {
        collectOwn(prefix, into);
        if (qNorm != null) {
            qNorm.collect(prefix + "q_norm.", into);
            kNorm.collect(prefix + "k_norm.", into);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("SelfAttention runs inside CausalLm.hiddenStates");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
