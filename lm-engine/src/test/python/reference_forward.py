#!/usr/bin/env python3
"""Reference forward pass, in numpy, of the Hugging Face causal LMs that lm-engine loads.

Reads a Hugging Face model folder (config.json; model.safetensors or model.safetensors.index.json with its
shards; F32, F16 or BF16 tensors) and computes the logits that transformers' *ForCausalLM computes for a row of
token ids, in float32 (as with torch_dtype=torch.float32 and attn_implementation="eager").

It is written from transformers 5.18.0 (git tag v5.18.0, the sources of the release wheel), following these
files line by line; each function below names the class or function it follows:

    src/transformers/models/llama/modeling_llama.py          LlamaForCausalLM and its parts
    src/transformers/models/qwen2/modeling_qwen2.py          Qwen2Attention (q/k/v bias, no o_proj bias)
    src/transformers/models/qwen3/modeling_qwen3.py          Qwen3Attention (q_norm, k_norm over head_dim)
    src/transformers/models/mistral/modeling_mistral.py      MistralAttention, MistralModel (sliding window)
    src/transformers/models/*/configuration_*.py             defaults, head_dim, layer_types
    src/transformers/modeling_rope_utils.py                  the rope types, dynamic_rope_update,
                                                              RotaryEmbeddingConfigMixin (rope_scaling and
                                                              rope_parameters to one dict)
    src/transformers/masking_utils.py                        causal_mask_function, sliding_window_overlay

transformers 4.57.6 (tag v4.57.6) computes the same numbers for these families from rope_scaling; it does not
read transformers 5's rope_parameters key.

It shares no code with lm-engine, and lm-engine's tests do not run it: the logits it computed are committed
next to the checkpoints (see generate_parity_cases.py).

    python3 reference_forward.py MODEL_DIR TOKEN_ID [TOKEN_ID ...]   prints the logits of the last position
"""

import json
import math
import os
import struct
import sys

import numpy as np

F32 = np.float32


# --- safetensors ---------------------------------------------------------------------------------------------


def read_safetensors(path):
    """The tensors of one .safetensors file as float32 arrays, by name."""
    with open(path, "rb") as file:
        (header_size,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(header_size))
        data = file.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        raw = data[start:end]
        dtype = entry["dtype"]
        if dtype == "F32":
            values = np.frombuffer(raw, dtype="<f4")
        elif dtype == "F16":
            values = np.frombuffer(raw, dtype="<f2").astype(F32)
        elif dtype == "BF16":
            # bfloat16 is the upper half of a float32
            values = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(F32)
        else:
            raise ValueError(f"{path}: {name}: dtype {dtype} is not read here")
        tensors[name] = values.reshape(entry["shape"]).astype(F32)
    return tensors


def read_weights(model_dir):
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    with open(os.path.join(model_dir, "model.safetensors.index.json")) as file:
        shards = sorted(set(json.load(file)["weight_map"].values()))
    weights = {}
    for shard in shards:
        weights.update(read_safetensors(os.path.join(model_dir, shard)))
    return weights


# --- configuration -------------------------------------------------------------------------------------------

# The dataclass defaults of configuration_<family>.py, for the keys this forward pass reads.
FAMILY_DEFAULTS = {
    "llama": dict(
        vocab_size=32000, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32,
        num_attention_heads=32, num_key_value_heads=None, hidden_act="silu", max_position_embeddings=2048,
        rms_norm_eps=1e-6, tie_word_embeddings=False, attention_bias=False, mlp_bias=False, head_dim=None,
    ),
    "qwen2": dict(
        vocab_size=151936, hidden_size=4096, intermediate_size=22016, num_hidden_layers=32,
        num_attention_heads=32, num_key_value_heads=32, hidden_act="silu", max_position_embeddings=32768,
        rms_norm_eps=1e-6, tie_word_embeddings=False, use_sliding_window=False, sliding_window=4096,
        max_window_layers=28, layer_types=None,
    ),
    "qwen3": dict(
        vocab_size=151936, hidden_size=4096, intermediate_size=22016, num_hidden_layers=32,
        num_attention_heads=32, num_key_value_heads=32, head_dim=128, hidden_act="silu",
        max_position_embeddings=32768, rms_norm_eps=1e-6, tie_word_embeddings=False, attention_bias=False,
        use_sliding_window=False, sliding_window=4096, max_window_layers=28, layer_types=None,
    ),
    "mistral": dict(
        vocab_size=32000, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
        num_attention_heads=32, num_key_value_heads=8, head_dim=None, hidden_act="silu",
        max_position_embeddings=4096 * 32, rms_norm_eps=1e-6, tie_word_embeddings=False, sliding_window=4096,
    ),
}

ARCHITECTURES = {
    "LlamaForCausalLM": "llama",
    "Qwen2ForCausalLM": "qwen2",
    "Qwen3ForCausalLM": "qwen3",
    "MistralForCausalLM": "mistral",
}

DEFAULT_THETA = 10_000.0  # RotaryEmbeddingConfigMixin.default_theta


class Config:
    """The attributes a config class of configuration_<family>.py ends up with after its __post_init__."""

    def __init__(self, raw):
        self.family = ARCHITECTURES[raw["architectures"][0]]
        values = dict(FAMILY_DEFAULTS[self.family])
        values.update(raw)
        for key, value in values.items():
            setattr(self, key, value)
        if self.num_key_value_heads is None:
            self.num_key_value_heads = self.num_attention_heads
        if self.family in ("llama", "mistral") and self.head_dim is None:
            # LlamaConfig.__post_init__, MistralConfig.__post_init__
            self.head_dim = self.hidden_size // self.num_attention_heads
        if self.family in ("qwen2", "qwen3"):
            # Qwen2Config.__post_init__, Qwen3Config.__post_init__
            self.sliding_window = self.sliding_window if self.use_sliding_window else None
            if self.layer_types is None:
                self.layer_types = [
                    "sliding_attention"
                    if self.sliding_window is not None and i >= self.max_window_layers
                    else "full_attention"
                    for i in range(self.num_hidden_layers)
                ]
        if self.hidden_act != "silu":
            raise ValueError(f"hidden_act {self.hidden_act} is not computed here")
        if getattr(self, "mlp_bias", False):
            raise ValueError("mlp_bias is not computed here")
        self.rope_parameters = standardized_rope_parameters(raw, self)


def standardized_rope_parameters(raw, config):
    """RotaryEmbeddingConfigMixin.convert_rope_params_to_dict, then standardize_rope_params (one global dict)."""
    rope_scaling = raw.get("rope_scaling")
    rope_parameters = dict(rope_scaling or raw.get("rope_parameters") or {})
    rope_theta = raw.get("rope_theta", DEFAULT_THETA)
    partial_rotary_factor = raw.get("partial_rotary_factor")
    rope_parameters.setdefault("rope_theta", rope_theta)
    if partial_rotary_factor is not None:
        rope_parameters.setdefault("partial_rotary_factor", partial_rotary_factor)
    rope_parameters.setdefault("rope_type", rope_parameters.get("type", "default"))
    if rope_parameters["rope_type"] in ["llama3", "yarn", "longrope"]:
        if "original_max_position_embeddings" in raw:
            rope_parameters["original_max_position_embeddings"] = raw["original_max_position_embeddings"]
        else:
            rope_parameters.setdefault("original_max_position_embeddings", config.max_position_embeddings)
    return rope_parameters


# --- rotary embeddings (modeling_rope_utils.py, LlamaRotaryEmbedding) ----------------------------------------


def compute_default_rope_parameters(config, seq_len=None):
    """LlamaRotaryEmbedding.compute_default_rope_parameters"""
    base = config.rope_parameters["rope_theta"]
    dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    attention_factor = 1.0
    inv_freq = 1.0 / (base ** (np.arange(0, dim, 2, dtype=F32) / dim))
    return inv_freq.astype(F32), attention_factor


def _rope_dim(config, rope_parameters):
    partial_rotary_factor = rope_parameters.get("partial_rotary_factor", 1.0)
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    return int(head_dim * partial_rotary_factor)


def _compute_linear_scaling_rope_parameters(config, seq_len=None):
    rope_parameters_dict = config.rope_parameters
    factor = rope_parameters_dict["factor"]
    base = rope_parameters_dict["rope_theta"]
    dim = _rope_dim(config, rope_parameters_dict)
    attention_factor = 1.0
    inv_freq = 1.0 / (base ** (np.arange(0, dim, 2, dtype=np.int64).astype(F32) / dim))
    # "originally, scaling was applied to the position_ids ... applying scaling to the inverse frequencies is
    # equivalent"
    inv_freq /= F32(factor)
    return inv_freq.astype(F32), attention_factor


def _compute_dynamic_ntk_parameters(config, seq_len=None):
    rope_parameters_dict = config.rope_parameters
    base = rope_parameters_dict["rope_theta"]
    dim = _rope_dim(config, rope_parameters_dict)
    factor = rope_parameters_dict["factor"]
    attention_factor = 1.0
    if seq_len is None:
        seq_len = config.max_position_embeddings
    else:
        # a tensor in transformers (torch.max(position_ids) + 1): torch.maximum keeps it int64
        seq_len = max(int(seq_len), config.max_position_embeddings)
    # torch computes these on a 0-dim tensor, in float32
    scaled = F32(factor) * F32(seq_len) / F32(config.max_position_embeddings) - F32(factor - 1)
    base = F32(base) * scaled ** F32(dim / (dim - 2))
    inv_freq = F32(1.0) / (base ** (np.arange(0, dim, 2, dtype=np.int64).astype(F32) / F32(dim)))
    return inv_freq.astype(F32), attention_factor


def _compute_yarn_parameters(config, seq_len=None):
    rope_parameters_dict = config.rope_parameters
    base = rope_parameters_dict["rope_theta"]
    dim = _rope_dim(config, rope_parameters_dict)
    factor = rope_parameters_dict["factor"]
    attention_factor = rope_parameters_dict.get("attention_factor")
    mscale = rope_parameters_dict.get("mscale")
    mscale_all_dim = rope_parameters_dict.get("mscale_all_dim")
    original_max_position_embeddings = rope_parameters_dict["original_max_position_embeddings"]
    if factor is None:
        factor = config.max_position_embeddings / original_max_position_embeddings

    def get_mscale(scale, mscale=1):
        if scale <= 1:
            return 1.0
        return 0.1 * mscale * math.log(scale) + 1.0

    if attention_factor is None:
        if mscale and mscale_all_dim:
            attention_factor = float(get_mscale(factor, mscale) / get_mscale(factor, mscale_all_dim))
        else:
            attention_factor = get_mscale(factor)
    beta_fast = rope_parameters_dict.get("beta_fast") or 32
    beta_slow = rope_parameters_dict.get("beta_slow") or 1

    def find_correction_dim(num_rotations, dim, base, max_position_embeddings):
        return (dim * math.log(max_position_embeddings / (num_rotations * 2 * math.pi))) / (2 * math.log(base))

    def find_correction_range(low_rot, high_rot, dim, base, max_position_embeddings, truncate):
        low = find_correction_dim(low_rot, dim, base, max_position_embeddings)
        high = find_correction_dim(high_rot, dim, base, max_position_embeddings)
        if truncate:
            low = math.floor(low)
            high = math.ceil(high)
        return max(low, 0), min(high, dim - 1)

    def linear_ramp_factor(min, max, dim):
        if min == max:
            max += 0.001  # Prevent singularity
        linear_func = (np.arange(dim, dtype=F32) - F32(min)) / F32(max - min)
        return np.clip(linear_func, 0, 1).astype(F32)

    pos_freqs = base ** (np.arange(0, dim, 2).astype(F32) / dim)
    inv_freq_extrapolation = 1.0 / pos_freqs
    inv_freq_interpolation = 1.0 / (factor * pos_freqs)
    truncate = config.rope_parameters.get("truncate", True)
    low, high = find_correction_range(beta_fast, beta_slow, dim, base, original_max_position_embeddings, truncate)
    inv_freq_extrapolation_factor = 1 - linear_ramp_factor(low, high, dim // 2)
    inv_freq = (
        inv_freq_interpolation * (1 - inv_freq_extrapolation_factor)
        + inv_freq_extrapolation * inv_freq_extrapolation_factor
    )
    return inv_freq.astype(F32), attention_factor


def _compute_llama3_parameters(config, seq_len=None):
    rope_parameters_dict = config.rope_parameters
    base = rope_parameters_dict["rope_theta"]
    dim = _rope_dim(config, rope_parameters_dict)
    attention_factor = 1.0
    inv_freq = 1.0 / (base ** (np.arange(0, dim, 2, dtype=np.int64).astype(F32) / dim))

    factor = rope_parameters_dict["factor"]
    low_freq_factor = rope_parameters_dict["low_freq_factor"]
    high_freq_factor = rope_parameters_dict["high_freq_factor"]
    old_context_len = rope_parameters_dict["original_max_position_embeddings"]

    low_freq_wavelen = old_context_len / low_freq_factor
    high_freq_wavelen = old_context_len / high_freq_factor

    wavelen = 2 * math.pi / inv_freq
    # wavelen < high_freq_wavelen: do nothing; wavelen > low_freq_wavelen: divide by factor
    inv_freq_llama = np.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    # otherwise: interpolate between the two, using a smooth factor
    smooth_factor = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
    smoothed_inv_freq = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
    is_medium_freq = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    inv_freq_llama = np.where(is_medium_freq, smoothed_inv_freq, inv_freq_llama)
    return inv_freq_llama.astype(F32), attention_factor


ROPE_INIT_FUNCTIONS = {
    "linear": _compute_linear_scaling_rope_parameters,
    "dynamic": _compute_dynamic_ntk_parameters,
    "yarn": _compute_yarn_parameters,
    "llama3": _compute_llama3_parameters,
}


class RotaryEmbedding:
    """LlamaRotaryEmbedding (Qwen2/Qwen3/Mistral's are copies), with dynamic_rope_update's frequency update."""

    def __init__(self, config):
        self.max_seq_len_cached = config.max_position_embeddings
        self.original_max_seq_len = config.max_position_embeddings
        self.config = config
        self.rope_type = config.rope_parameters["rope_type"]
        self.rope_init_fn = compute_default_rope_parameters
        if self.rope_type != "default":
            if self.rope_type not in ROPE_INIT_FUNCTIONS:
                raise ValueError(f"rope_type {self.rope_type} is not computed here")
            self.rope_init_fn = ROPE_INIT_FUNCTIONS[self.rope_type]
        self.inv_freq, self.attention_scaling = self.rope_init_fn(config)
        self.original_inv_freq = self.inv_freq.copy()

    def dynamic_frequency_update(self, position_ids):
        seq_len = int(np.max(position_ids)) + 1
        if seq_len > self.max_seq_len_cached:  # growth
            self.inv_freq, self.attention_scaling = self.rope_init_fn(self.config, seq_len=seq_len)
            self.max_seq_len_cached = seq_len
        if seq_len < self.original_max_seq_len and self.max_seq_len_cached > self.original_max_seq_len:  # reset
            self.inv_freq = self.original_inv_freq
            self.max_seq_len_cached = self.original_max_seq_len

    def __call__(self, position_ids):
        if "dynamic" in self.rope_type:
            self.dynamic_frequency_update(position_ids)
        inv_freq_expanded = np.broadcast_to(
            self.inv_freq[None, :, None], (position_ids.shape[0], self.inv_freq.shape[0], 1)
        ).astype(F32)
        position_ids_expanded = position_ids[:, None, :].astype(F32)
        freqs = np.matmul(inv_freq_expanded, position_ids_expanded).transpose(0, 2, 1)
        emb = np.concatenate((freqs, freqs), axis=-1)
        cos = np.cos(emb) * F32(self.attention_scaling)
        sin = np.sin(emb) * F32(self.attention_scaling)
        return cos.astype(F32), sin.astype(F32)


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2 :]
    return np.concatenate((-x2, x1), axis=-1)


def apply_rotary_pos_emb(q, k, cos, sin, unsqueeze_dim=1):
    cos = np.expand_dims(cos, unsqueeze_dim)
    sin = np.expand_dims(sin, unsqueeze_dim)
    q_embed = (q * cos) + (rotate_half(q) * sin)
    k_embed = (k * cos) + (rotate_half(k) * sin)
    return q_embed, k_embed


# --- layers ----------------------------------------------------------------------------------------------------


def linear(x, weight, bias=None):
    """nn.Linear: x @ W^T + b, W stored (out, in)."""
    y = np.matmul(x, weight.T)
    return y if bias is None else y + bias


class RMSNorm:
    """LlamaRMSNorm (Qwen2RMSNorm, Qwen3RMSNorm and MistralRMSNorm are the same)."""

    def __init__(self, weight, eps):
        self.weight = weight
        self.variance_epsilon = eps

    def __call__(self, hidden_states):
        hidden_states = hidden_states.astype(F32)
        variance = np.mean(hidden_states**2, axis=-1, keepdims=True)
        hidden_states = hidden_states * (F32(1.0) / np.sqrt(variance + F32(self.variance_epsilon)))
        return self.weight * hidden_states


def silu(x):
    return x / (F32(1.0) + np.exp(-x))


class MLP:
    """LlamaMLP with mlp_bias false (Qwen2MLP, Qwen3MLP, MistralMLP: no bias)."""

    def __init__(self, weights, prefix):
        self.gate_proj = weights[prefix + "gate_proj.weight"]
        self.up_proj = weights[prefix + "up_proj.weight"]
        self.down_proj = weights[prefix + "down_proj.weight"]

    def __call__(self, x):
        return linear(silu(linear(x, self.gate_proj)) * linear(x, self.up_proj), self.down_proj)


def repeat_kv(hidden_states, n_rep):
    batch, num_key_value_heads, slen, head_dim = hidden_states.shape
    if n_rep == 1:
        return hidden_states
    hidden_states = np.broadcast_to(
        hidden_states[:, :, None, :, :], (batch, num_key_value_heads, n_rep, slen, head_dim)
    )
    return hidden_states.reshape(batch, num_key_value_heads * n_rep, slen, head_dim)


def softmax_float32(x):
    x = x.astype(F32)
    shifted = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return shifted / np.sum(shifted, axis=-1, keepdims=True)


def eager_attention_forward(module, query, key, value, attention_mask, scaling):
    key_states = repeat_kv(key, module.num_key_value_groups)
    value_states = repeat_kv(value, module.num_key_value_groups)
    attn_weights = np.matmul(query, key_states.transpose(0, 1, 3, 2)) * F32(scaling)
    if attention_mask is not None:
        attn_weights = attn_weights + attention_mask
    attn_weights = softmax_float32(attn_weights)
    attn_output = np.matmul(attn_weights, value_states)
    return attn_output.transpose(0, 2, 1, 3)


class Attention:
    """LlamaAttention, with each family's differences:

    Qwen2Attention: q/k/v always with bias, o_proj without; Qwen3Attention: bias per attention_bias on all four,
    q_norm and k_norm (RMSNorm over head_dim) on the (batch, time, heads, head_dim) view, before the transpose
    and the rotation; MistralAttention: no bias. Sliding windows enter through the mask (see causal_mask).
    """

    def __init__(self, config, weights, layer_idx):
        prefix = f"model.layers.{layer_idx}.self_attn."
        self.head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
        self.num_key_value_groups = config.num_attention_heads // config.num_key_value_heads
        self.scaling = self.head_dim**-0.5
        family = config.family
        if family == "qwen2":
            qkv_bias, o_bias = True, False
        elif family == "mistral":
            qkv_bias, o_bias = False, False
        else:  # LlamaAttention, Qwen3Attention: bias=config.attention_bias on q, k, v and o
            qkv_bias, o_bias = config.attention_bias, config.attention_bias
        self.q_proj = (weights[prefix + "q_proj.weight"], weights[prefix + "q_proj.bias"] if qkv_bias else None)
        self.k_proj = (weights[prefix + "k_proj.weight"], weights[prefix + "k_proj.bias"] if qkv_bias else None)
        self.v_proj = (weights[prefix + "v_proj.weight"], weights[prefix + "v_proj.bias"] if qkv_bias else None)
        self.o_proj = (weights[prefix + "o_proj.weight"], weights[prefix + "o_proj.bias"] if o_bias else None)
        self.q_norm = None
        self.k_norm = None
        if family == "qwen3":
            self.q_norm = RMSNorm(weights[prefix + "q_norm.weight"], config.rms_norm_eps)
            self.k_norm = RMSNorm(weights[prefix + "k_norm.weight"], config.rms_norm_eps)

    def __call__(self, hidden_states, position_embeddings, attention_mask):
        input_shape = hidden_states.shape[:-1]
        hidden_shape = (*input_shape, -1, self.head_dim)
        query_states = linear(hidden_states, *self.q_proj).reshape(hidden_shape)
        key_states = linear(hidden_states, *self.k_proj).reshape(hidden_shape)
        if self.q_norm is not None:
            query_states = self.q_norm(query_states)
            key_states = self.k_norm(key_states)
        query_states = query_states.transpose(0, 2, 1, 3)
        key_states = key_states.transpose(0, 2, 1, 3)
        value_states = linear(hidden_states, *self.v_proj).reshape(hidden_shape).transpose(0, 2, 1, 3)

        cos, sin = position_embeddings
        query_states, key_states = apply_rotary_pos_emb(query_states, key_states, cos, sin)

        attn_output = eager_attention_forward(
            self, query_states, key_states, value_states, attention_mask, scaling=self.scaling
        )
        attn_output = attn_output.reshape(*input_shape, -1)
        return linear(attn_output, *self.o_proj)


class DecoderLayer:
    """LlamaDecoderLayer (the same in all four families)."""

    def __init__(self, config, weights, layer_idx):
        prefix = f"model.layers.{layer_idx}."
        self.self_attn = Attention(config, weights, layer_idx)
        self.mlp = MLP(weights, prefix + "mlp.")
        self.input_layernorm = RMSNorm(weights[prefix + "input_layernorm.weight"], config.rms_norm_eps)
        self.post_attention_layernorm = RMSNorm(
            weights[prefix + "post_attention_layernorm.weight"], config.rms_norm_eps
        )

    def __call__(self, hidden_states, attention_mask, position_embeddings):
        residual = hidden_states
        hidden_states = self.input_layernorm(hidden_states)
        hidden_states = self.self_attn(hidden_states, position_embeddings, attention_mask)
        hidden_states = residual + hidden_states
        residual = hidden_states
        hidden_states = self.post_attention_layernorm(hidden_states)
        hidden_states = self.mlp(hidden_states)
        return residual + hidden_states


def causal_mask(length, sliding_window=None):
    """masking_utils: causal_mask_function (kv_idx <= q_idx), and with a window sliding_window_overlay
    (kv_idx > q_idx - sliding_window); allowed 0, else torch.finfo(float32).min, shaped (1, 1, q, kv)."""
    q_idx = np.arange(length)[:, None]
    kv_idx = np.arange(length)[None, :]
    allowed = kv_idx <= q_idx
    if sliding_window is not None:
        allowed &= kv_idx > q_idx - sliding_window
    return np.where(allowed, F32(0.0), np.finfo(F32).min).astype(F32)[None, None, :, :]


class CausalLM:
    """LlamaForCausalLM / Qwen2ForCausalLM / Qwen3ForCausalLM / MistralForCausalLM without a cache."""

    def __init__(self, raw_config, weights):
        self.config = Config(raw_config)
        config = self.config
        self.embed_tokens = weights["model.embed_tokens.weight"]
        self.layers = [DecoderLayer(config, weights, i) for i in range(config.num_hidden_layers)]
        self.norm = RMSNorm(weights["model.norm.weight"], config.rms_norm_eps)
        self.rotary_emb = RotaryEmbedding(config)
        # tie_word_embeddings: lm_head.weight is embed_tokens.weight (_tied_weights_keys)
        self.lm_head = self.embed_tokens if config.tie_word_embeddings else weights["lm_head.weight"]

    def layer_masks(self, length):
        """The mask each layer attends with: MistralModel slides every layer when sliding_window is set;
        Qwen2Model and Qwen3Model pick per layer_types; LlamaModel never slides."""
        config = self.config
        full = causal_mask(length)
        if config.family == "mistral":
            mask = full if config.sliding_window is None else causal_mask(length, config.sliding_window)
            return [mask] * config.num_hidden_layers
        if config.family in ("qwen2", "qwen3"):
            sliding = causal_mask(length, config.sliding_window)
            return [sliding if kind == "sliding_attention" else full for kind in config.layer_types]
        return [full] * config.num_hidden_layers

    def logits(self, input_ids):
        """Logits (batch, time, vocab) for int64 input_ids (batch, time), positions 0 .. time - 1."""
        input_ids = np.asarray(input_ids, dtype=np.int64)
        inputs_embeds = self.embed_tokens[input_ids]
        position_ids = np.arange(input_ids.shape[1], dtype=np.int64)[None, :]
        masks = self.layer_masks(input_ids.shape[1])
        hidden_states = inputs_embeds
        position_embeddings = self.rotary_emb(position_ids)
        for decoder_layer, mask in zip(self.layers, masks):
            hidden_states = decoder_layer(hidden_states, mask, position_embeddings)
        hidden_states = self.norm(hidden_states)
        return linear(hidden_states, self.lm_head).astype(F32)


def load(model_dir):
    with open(os.path.join(model_dir, "config.json")) as file:
        raw_config = json.load(file)
    return CausalLM(raw_config, read_weights(model_dir))


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    model = load(argv[1])
    logits = model.logits([[int(token) for token in argv[2:]]])
    np.set_printoptions(precision=6, suppress=True, linewidth=120)
    print(logits[0, -1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
