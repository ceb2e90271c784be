package org.tsr.engine.model;

import java.util.Map;

/**
 * A deliberately plain, loop-by-loop implementation of the Llama forward pass for one unpadded sequence,
 * written from the Hugging Face modeling code, to check the engine against.
 */
public final class ReferenceLlama {

    private final ModelConfig config;
    private final Map<String, float[]> weights;

    public ReferenceLlama(ModelConfig config, Map<String, float[]> weights) {
        this.config = config;
        this.weights = weights;
    }

    /** Logits [time][vocab] for the token ids. */
    public float[][] logits(long[] ids) {
        int hidden = config.hiddenSize();
        int time = ids.length;
        float[][] x = new float[time][];
        float[] embed = weights.get("model.embed_tokens.weight");
        for (int t = 0; t < time; t++) {
            x[t] = new float[hidden];
            System.arraycopy(embed, (int) ids[t] * hidden, x[t], 0, hidden);
        }
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            String prefix = "model.layers." + layer + ".";
            float[][] normed = rmsNorm(x, weights.get(prefix + "input_layernorm.weight"));
            float[][] attention = attention(normed, prefix + "self_attn.");
            for (int t = 0; t < time; t++) {
                for (int i = 0; i < hidden; i++) {
                    x[t][i] += attention[t][i];
                }
            }
            float[][] normed2 = rmsNorm(x, weights.get(prefix + "post_attention_layernorm.weight"));
            for (int t = 0; t < time; t++) {
                float[] mlp = mlp(normed2[t], prefix + "mlp.");
                for (int i = 0; i < hidden; i++) {
                    x[t][i] += mlp[i];
                }
            }
        }
        float[][] last = rmsNorm(x, weights.get("model.norm.weight"));
        String head = config.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
        float[][] logits = new float[time][];
        for (int t = 0; t < time; t++) {
            logits[t] = linear(last[t], weights.get(head), null, config.vocabSize());
        }
        return logits;
    }

    private float[][] attention(float[][] x, String prefix) {
        int time = x.length;
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int headDim = config.headDim();
        float[][] q = new float[time][];
        float[][] k = new float[time][];
        float[][] v = new float[time][];
        for (int t = 0; t < time; t++) {
            q[t] = linear(
                    x[t], weights.get(prefix + "q_proj.weight"), weights.get(prefix + "q_proj.bias"), heads * headDim);
            k[t] = linear(
                    x[t],
                    weights.get(prefix + "k_proj.weight"),
                    weights.get(prefix + "k_proj.bias"),
                    kvHeads * headDim);
            v[t] = linear(
                    x[t],
                    weights.get(prefix + "v_proj.weight"),
                    weights.get(prefix + "v_proj.bias"),
                    kvHeads * headDim);
            rotate(q[t], heads, t);
            rotate(k[t], kvHeads, t);
        }
        float[][] context = new float[time][heads * headDim];
        int group = heads / kvHeads;
        for (int h = 0; h < heads; h++) {
            int kvh = h / group;
            for (int t = 0; t < time; t++) {
                double[] scores = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int d = 0; d < headDim; d++) {
                        dot += q[t][h * headDim + d] * k[s][kvh * headDim + d];
                    }
                    scores[s] = dot / Math.sqrt(headDim);
                    max = Math.max(max, scores[s]);
                }
                double sum = 0;
                for (int s = 0; s <= t; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    sum += scores[s];
                }
                for (int d = 0; d < headDim; d++) {
                    double value = 0;
                    for (int s = 0; s <= t; s++) {
                        value += scores[s] / sum * v[s][kvh * headDim + d];
                    }
                    context[t][h * headDim + d] = (float) value;
                }
            }
        }
        float[][] out = new float[time][];
        for (int t = 0; t < time; t++) {
            out[t] = linear(
                    context[t],
                    weights.get(prefix + "o_proj.weight"),
                    weights.get(prefix + "o_proj.bias"),
                    config.hiddenSize());
        }
        return out;
    }

    /** Rotate-half RoPE: dims i and i + headDim/2 form a pair. */
    private void rotate(float[] vector, int headCount, int position) {
        int headDim = config.headDim();
        int half = headDim / 2;
        for (int h = 0; h < headCount; h++) {
            int base = h * headDim;
            for (int i = 0; i < half; i++) {
                double frequency = 1.0 / Math.pow(config.ropeTheta(), 2.0 * i / headDim);
                double angle = position * frequency;
                double x1 = vector[base + i];
                double x2 = vector[base + i + half];
                vector[base + i] = (float) (x1 * Math.cos(angle) - x2 * Math.sin(angle));
                vector[base + i + half] = (float) (x2 * Math.cos(angle) + x1 * Math.sin(angle));
            }
        }
    }

    private float[] mlp(float[] x, String prefix) {
        int intermediate = config.intermediateSize();
        float[] gate = linear(x, weights.get(prefix + "gate_proj.weight"), null, intermediate);
        float[] up = linear(x, weights.get(prefix + "up_proj.weight"), null, intermediate);
        float[] product = new float[intermediate];
        for (int i = 0; i < intermediate; i++) {
            double silu = gate[i] / (1 + Math.exp(-gate[i]));
            product[i] = (float) (silu * up[i]);
        }
        return linear(product, weights.get(prefix + "down_proj.weight"), null, config.hiddenSize());
    }

    private float[][] rmsNorm(float[][] x, float[] weight) {
        float[][] out = new float[x.length][];
        for (int t = 0; t < x.length; t++) {
            double meanSquare = 0;
            for (float value : x[t]) {
                meanSquare += value * value;
            }
            meanSquare /= x[t].length;
            double scale = 1.0 / Math.sqrt(meanSquare + config.rmsNormEps());
            out[t] = new float[x[t].length];
            for (int i = 0; i < x[t].length; i++) {
                out[t][i] = (float) (x[t][i] * scale * weight[i]);
            }
        }
        return out;
    }

    /** y = W x + b with W stored (out, in) row-major, as in PyTorch. */
    private static float[] linear(float[] x, float[] weight, float[] bias, int outFeatures) {
        float[] y = new float[outFeatures];
        int in = x.length;
        for (int o = 0; o < outFeatures; o++) {
            double sum = bias == null ? 0 : bias[o];
            for (int i = 0; i < in; i++) {
                sum += weight[o * in + i] * x[i];
            }
            y[o] = (float) sum;
        }
        return y;
    }
}
