package org.tsr.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.tsr.engine.precision.Bfloat16;

/**
 * A Llama-family decoder-only language model as one DJL block, used unchanged for sampling, scoring and
 * training. Parameters carry Hugging Face checkpoint names (see {@link #namedParameters()}).
 *
 * <p>Every op takes an activation (not a parameter) as its first operand, so results belong to the
 * manager of the input ids and die with it: parameters' managers never collect intermediates.
 */
public final class CausalLm extends ParameterSlots {

    private final ModelConfig config;
    private final Parameter embedTokens;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final RmsNorm finalNorm;
    private final Parameter lmHead;
    private final RotaryEmbedding rotary;
    private final List<NamedParameter> namedParameters;
    private LoraAdapters lora;
    private Bfloat16 bfloat16;
    private NDArray bfloat16Head;

    public CausalLm(ModelConfig config) {
        this.config = config;
        embedTokens =
                declare("model.embed_tokens.weight", Parameter.Type.WEIGHT, config.vocabSize(), config.hiddenSize());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(addChildBlock("layer" + i, new DecoderLayer(config)));
        }
        finalNorm = addChildBlock("norm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
        lmHead = config.tieWordEmbeddings()
                ? null
                : declare("lm_head.weight", Parameter.Type.WEIGHT, config.vocabSize(), config.hiddenSize());
        rotary = new RotaryEmbedding(config);
        List<NamedParameter> all = new ArrayList<>();
        collect("", all);
        namedParameters = Collections.unmodifiableList(all);
    }

    public ModelConfig config() {
        return config;
    }

    /** Every parameter under its checkpoint name, in checkpoint order; tied heads appear once. */
    public List<NamedParameter> namedParameters() {
        return namedParameters;
    }

    /** The adapters attached to this network, if any. */
    public Optional<LoraAdapters> lora() {
        return Optional.ofNullable(lora);
    }

    void lora(LoraAdapters adapters) {
        this.lora = adapters;
    }

    /**
     * From now on every projection and the head multiply in bfloat16, with bfloat16 copies of their weights kept beside
     * the float32 ones (norms, embeddings, attention scores and softmax stay float32). For inference only: training
     * updates the float32 weights and would leave the copies stale, so the trainer refuses such a model.
     */
    public void computeInBfloat16(Bfloat16 kernels) {
        if (bfloat16 != null) {
            return;
        }
        for (int layer = 0; layer < layers.size(); layer++) {
            for (LinearModule module : LinearModule.values()) {
                projection(layer, module).computeInBfloat16(kernels);
            }
        }
        bfloat16Head = kernels.copyOf(head().getArray());
        bfloat16 = kernels;
    }

    /** Whether the projections multiply in bfloat16 ({@link #computeInBfloat16}). */
    public boolean computesInBfloat16() {
        return bfloat16 != null;
    }

    /** Bytes of the bfloat16 weight copies, 0 in float32. */
    public long bfloat16Bytes() {
        if (bfloat16 == null) {
            return 0;
        }
        long elements = head().getArray().size();
        for (int layer = 0; layer < layers.size(); layer++) {
            for (LinearModule module : LinearModule.values()) {
                elements += projection(layer, module).weight().getArray().size();
            }
        }
        return 2 * elements;
    }

    LinearProjection projection(int layer, LinearModule module) {
        return layers.get(layer).projection(module);
    }

    /**
     * The values a checkpoint stores for {@code slot}: the parameter's own array, or for a projection weight with
     * an enabled LoRA adapter the merged W + scale * B A, so the saved model computes what this one does without
     * adapters. Call it inside an NDScope (and inference mode): a merged weight is a new array that the scope frees.
     */
    public NDArray savedArray(NamedParameter slot) {
        if (lora != null && lora.enabled()) {
            for (int layer = 0; layer < layers.size(); layer++) {
                for (LinearModule module : lora.targetModules()) {
                    if (slot.name().equals(module.path(layer) + ".weight")) {
                        return projection(layer, module).effectiveWeight();
                    }
                }
            }
        }
        return slot.parameter().getArray();
    }

    /**
     * The last layer's hidden states after the final norm (what Hugging Face reports as the last hidden
     * state), shaped (batch, time, hidden).
     *
     * @param inputIds (batch, time) int64; results are created in its manager
     * @param attention positions and mask for these time slots (and the cached ones)
     * @param cache the run's cache, extended by this call, or null for a standalone pass
     */
    public NDArray hiddenStates(NDArray inputIds, AttentionInputs attention, KvCache cache) {
        NDArray x = inputIds.getNDArrayInternal()
                .embedding(inputIds, embedTokens.getArray(), SparseFormat.DENSE)
                .singletonOrThrow();
        RotaryEmbedding.Angles rope = rotary.at(attention.positions());
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).apply(x, rope, attention.bias(), cache == null ? null : cache.layer(i));
        }
        return finalNorm.apply(x);
    }

    /** Projects hidden states (..., hidden) to vocabulary logits (..., vocab). */
    public NDArray logits(NDArray hidden) {
        if (bfloat16Head != null) {
            return bfloat16.linear(hidden, bfloat16Head);
        }
        return Linear.linear(hidden, head().getArray()).singletonOrThrow();
    }

    /** The output projection: its own weight, or the embedding's when tied. */
    private Parameter head() {
        return lmHead == null ? embedTokens : lmHead;
    }

    public KvCache newCache(ai.djl.ndarray.NDManager parent) {
        return new KvCache(parent, layers);
    }

    @Override
    void collect(String prefix, List<NamedParameter> into) {
        List<NamedParameter> own = ownSlots();
        into.add(own.get(0)); // model.embed_tokens.weight, declared first
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).collect("model.layers." + i + ".", into);
        }
        finalNorm.collect("model.norm.", into);
        into.addAll(own.subList(1, own.size())); // lm_head.weight unless tied
    }

    /** DJL entry point: inputs are ids (batch, time) and optionally a 0/1 padding mask; output is logits. */
    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        int batch = (int) ids.getShape().get(0);
        int time = (int) ids.getShape().get(1);
        AttentionInputs attention;
        if (inputs.size() > 1) {
            long[] flat = inputs.get(1)
                    .toType(ai.djl.ndarray.types.DataType.INT64, false)
                    .toLongArray();
            boolean[][] mask = new boolean[batch][time];
            for (int i = 0; i < flat.length; i++) {
                mask[i / time][i % time] = flat[i] != 0;
            }
            attention = AttentionInputs.of(ids.getManager(), mask, time);
        } else {
            attention = AttentionInputs.causal(ids.getManager(), batch, time);
        }
        return new NDList(logits(hiddenStates(ids, attention, null)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.vocabSize())};
    }
}
