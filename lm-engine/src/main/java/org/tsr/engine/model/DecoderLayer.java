package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/** One pre-norm transformer layer: x + attn(norm(x)), then + mlp(norm(x)). */
final class DecoderLayer extends ParameterSlots {

    private final RmsNorm inputNorm;
    private final SelfAttention attention;
    private final RmsNorm postAttentionNorm;
    private final SwiGluMlp mlp;

    DecoderLayer(ModelConfig config) {
        inputNorm = addChildBlock("input_layernorm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
        attention = addChildBlock("self_attn", new SelfAttention(config));
        postAttentionNorm =
                addChildBlock("post_attention_layernorm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
        mlp = addChildBlock("mlp", new SwiGluMlp(config.hiddenSize(), config.intermediateSize()));
    }

    NDArray apply(NDArray x, RotaryEmbedding.Angles rope, NDArray bias, LayerCache cache) {
        NDArray attended = x.add(attention.apply(inputNorm.apply(x), rope, bias, cache));
        NDArray normed = postAttentionNorm.apply(attended);
        return attended.add(cache == null ? mlp.apply(normed) : mlp.applyFused(normed, cache.projections()));
    }

    LinearProjection projection(LinearModule module) {
        return module.ordinal() <= LinearModule.O_PROJ.ordinal()
                ? attention.projection(module)
                : mlp.projection(module);
    }

    FusedProjections fuseProjections(ai.djl.ndarray.NDManager owner) {
        return attention.fuseInto(owner, mlp);
    }

    @Override
    void collect(String prefix, List<NamedParameter> into) {
        inputNorm.collect(prefix + "input_layernorm.", into);
        attention.collect(prefix + "self_attn.", into);
        postAttentionNorm.collect(prefix + "post_attention_layernorm.", into);
        mlp.collect(prefix + "mlp.", into);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("DecoderLayer runs inside CausalLm.hiddenStates");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
