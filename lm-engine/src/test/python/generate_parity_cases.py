#!/usr/bin/env python3
"""Writes the parity cases of lm-engine's RealModelParityTest.

Each case is the config.json of a real Hugging Face model scaled down (same family, same keys, same rope
settings and head layout; fewer and narrower layers, a 128-token vocabulary), random weights for it, a row of
token ids, and the logits reference_forward.py computes for them:

    <out>/<case>/config.json                  the scaled-down config, in the layout the real model ships
    <out>/<case>/case.json                    what the case is modelled on, its token ids, and the checkpoint's
                                              tensors (Hugging Face names, shapes, seed, mean and spread)
    <out>/<case>/expected_logits.safetensors  "logits", F32 (1, time, vocab), from reference_forward.py

The weights are not committed: every value follows from the case seed, the tensor's name and the element's
index (seeded_values below), so the Java test writes the same float32 checkpoint from case.json that this
script writes to a temporary folder and hands to reference_forward.py.

Run from the repository root (python3 with numpy; writes the same bytes each time):

    python3 lm-engine/src/test/python/generate_parity_cases.py lm-engine/src/test/resources/parity
"""

import json
import math
import os
import shutil
import struct
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_forward  # noqa: E402

VOCAB = 128

# Each case: the real model it is scaled from, its config.json (keys as that model's file has them, values
# scaled), the number of tokens, and whether its rope scaling must visibly change the logits.
CASES = {
    "llama-3.2-1b": dict(
        source="meta-llama/Llama-3.2-1B: llama3 rope_scaling (factor 32, original context 8192 -> 64, "
        "max_position_embeddings 131072 -> 2048), tied head, 32 heads over 8 KV heads -> 4 over 1",
        tokens=80,
        config={
            "architectures": ["LlamaForCausalLM"], "model_type": "llama", "attention_bias": False,
            "attention_dropout": 0.0, "bos_token_id": 0, "eos_token_id": 1, "head_dim": 16, "hidden_act": "silu",
            "hidden_size": 64, "initializer_range": 0.02, "intermediate_size": 256, "max_position_embeddings": 2048,
            "mlp_bias": False, "num_attention_heads": 4, "num_hidden_layers": 2, "num_key_value_heads": 1,
            "pretraining_tp": 1, "rms_norm_eps": 1e-05,
            "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                             "original_max_position_embeddings": 64, "rope_type": "llama3"},
            "rope_theta": 500000.0, "tie_word_embeddings": True, "torch_dtype": "bfloat16",
            "transformers_version": "4.45.0.dev0", "use_cache": True, "vocab_size": VOCAB,
        },
    ),
    "llama-3.1-8b-rope-parameters": dict(
        source="meta-llama/Llama-3.1-8B saved by transformers 5 (rope_parameters carrying rope_theta): llama3 "
        "scaling (factor 8, original context 8192 -> 64), untied head, 32 heads over 8 KV heads -> 4 over 1",
        tokens=72,
        config={
            "architectures": ["LlamaForCausalLM"], "model_type": "llama", "attention_bias": False,
            "attention_dropout": 0.0, "bos_token_id": 0, "eos_token_id": 1, "head_dim": 16, "hidden_act": "silu",
            "hidden_size": 64, "initializer_range": 0.02, "intermediate_size": 224, "max_position_embeddings": 512,
            "mlp_bias": False, "num_attention_heads": 4, "num_hidden_layers": 2, "num_key_value_heads": 1,
            "pretraining_tp": 1, "rms_norm_eps": 1e-05,
            "rope_parameters": {"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                                "original_max_position_embeddings": 64, "rope_theta": 500000.0,
                                "rope_type": "llama3"},
            "tie_word_embeddings": False, "dtype": "bfloat16", "transformers_version": "5.18.0",
            "use_cache": True, "vocab_size": VOCAB,
        },
    ),
    "qwen2.5-0.5b": dict(
        source="Qwen/Qwen2.5-0.5B: q/k/v biases, tied head, theta 1e6, 14 heads over 2 KV heads -> 7 over 1",
        tokens=40,
        config={
            "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "attention_dropout": 0.0,
            "bos_token_id": 0, "eos_token_id": 1, "hidden_act": "silu", "hidden_size": 56,
            "initializer_range": 0.02, "intermediate_size": 304, "max_position_embeddings": 32768,
            "max_window_layers": 24, "num_attention_heads": 7, "num_hidden_layers": 2, "num_key_value_heads": 1,
            "rms_norm_eps": 1e-06, "rope_scaling": None, "rope_theta": 1000000.0, "sliding_window": 32768,
            "tie_word_embeddings": True, "torch_dtype": "bfloat16", "transformers_version": "4.43.1",
            "use_cache": True, "use_sliding_window": False, "vocab_size": VOCAB,
        },
    ),
    "qwen3-0.6b": dict(
        source="Qwen/Qwen3-0.6B: q_norm/k_norm, head_dim 128 with hidden 1024 over 16 heads -> head_dim 32 with "
        "hidden 64 over 4 heads, 8 KV heads -> 2, tied head",
        tokens=40,
        config={
            "architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "attention_bias": False,
            "attention_dropout": 0.0, "bos_token_id": 0, "eos_token_id": 1, "head_dim": 32, "hidden_act": "silu",
            "hidden_size": 64, "initializer_range": 0.02, "intermediate_size": 192, "max_position_embeddings": 40960,
            "max_window_layers": 28, "num_attention_heads": 4, "num_hidden_layers": 2, "num_key_value_heads": 2,
            "rms_norm_eps": 1e-06, "rope_scaling": None, "rope_theta": 1000000, "sliding_window": None,
            "tie_word_embeddings": True, "torch_dtype": "bfloat16", "transformers_version": "4.51.0",
            "use_cache": True, "use_sliding_window": False, "vocab_size": VOCAB,
        },
    ),
    "qwen3-8b-yarn": dict(
        source="Qwen/Qwen3-8B with the yarn rope_scaling its model card gives for long texts (factor 4, original "
        "context 32768 -> 32, max_position_embeddings 131072 -> 128), untied head, head_dim 128 -> 32",
        tokens=48,
        config={
            "architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "attention_bias": False,
            "attention_dropout": 0.0, "bos_token_id": 0, "eos_token_id": 1, "head_dim": 32, "hidden_act": "silu",
            "hidden_size": 64, "initializer_range": 0.02, "intermediate_size": 192, "max_position_embeddings": 128,
            "max_window_layers": 36, "num_attention_heads": 4, "num_hidden_layers": 2, "num_key_value_heads": 1,
            "rms_norm_eps": 1e-06,
            "rope_scaling": {"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32},
            "rope_theta": 1000000, "sliding_window": None, "tie_word_embeddings": False, "torch_dtype": "bfloat16",
            "transformers_version": "4.51.0", "use_cache": True, "use_sliding_window": False, "vocab_size": VOCAB,
        },
    ),
    "mistral-7b-v0.1": dict(
        source="mistralai/Mistral-7B-v0.1: sliding_window 4096 -> 32 (the engine reads up to the window), "
        "untied head, 32 heads over 8 KV heads -> 4 over 1",
        tokens=32,
        config={
            "architectures": ["MistralForCausalLM"], "model_type": "mistral", "bos_token_id": 0, "eos_token_id": 1,
            "hidden_act": "silu", "hidden_size": 64, "initializer_range": 0.02, "intermediate_size": 224,
            "max_position_embeddings": 256, "num_attention_heads": 4, "num_hidden_layers": 2,
            "num_key_value_heads": 1, "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "sliding_window": 32,
            "tie_word_embeddings": False, "torch_dtype": "bfloat16", "transformers_version": "4.34.0.dev0",
            "use_cache": True, "vocab_size": VOCAB,
        },
    ),
    "llama-2-linear": dict(
        source="a Llama 2 7B fine-tuned with position interpolation (rope_scaling {type: linear, factor 8}, the "
        "older 'type' key), 32 heads without grouping -> 4",
        tokens=40,
        config={
            "architectures": ["LlamaForCausalLM"], "model_type": "llama", "bos_token_id": 0, "eos_token_id": 1,
            "hidden_act": "silu", "hidden_size": 64, "initializer_range": 0.02, "intermediate_size": 172,
            "max_position_embeddings": 256, "num_attention_heads": 4, "num_hidden_layers": 2,
            "num_key_value_heads": 4, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
            "rope_scaling": {"type": "linear", "factor": 8.0}, "tie_word_embeddings": False,
            "torch_dtype": "float16", "transformers_version": "4.31.0", "use_cache": True, "vocab_size": VOCAB,
        },
    ),
    "llama-2-dynamic": dict(
        source="a Llama 2 with dynamic NTK scaling (rope_scaling {type: dynamic, factor 2}), max_position_embeddings "
        "4096 -> 32, read for 56 tokens so the frequencies are recomputed for that length",
        tokens=56,
        config={
            "architectures": ["LlamaForCausalLM"], "model_type": "llama", "bos_token_id": 0, "eos_token_id": 1,
            "hidden_act": "silu", "hidden_size": 64, "initializer_range": 0.02, "intermediate_size": 172,
            "max_position_embeddings": 32, "num_attention_heads": 4, "num_hidden_layers": 2,
            "num_key_value_heads": 4, "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
            "rope_scaling": {"type": "dynamic", "factor": 2.0}, "tie_word_embeddings": False,
            "torch_dtype": "float16", "transformers_version": "4.31.0", "use_cache": True, "vocab_size": VOCAB,
        },
    ),
}


def tensor_shapes(config):
    """Every tensor of the checkpoint with its shape, in the order transformers saves them."""
    cfg = reference_forward.Config(config)
    hidden, inter = cfg.hidden_size, cfg.intermediate_size
    head_dim = getattr(cfg, "head_dim", None) or hidden // cfg.num_attention_heads
    q_out = cfg.num_attention_heads * head_dim
    kv_out = cfg.num_key_value_heads * head_dim
    shapes = {"model.embed_tokens.weight": (cfg.vocab_size, hidden)}
    for i in range(cfg.num_hidden_layers):
        p = f"model.layers.{i}."
        shapes[p + "input_layernorm.weight"] = (hidden,)
        shapes[p + "mlp.down_proj.weight"] = (hidden, inter)
        shapes[p + "mlp.gate_proj.weight"] = (inter, hidden)
        shapes[p + "mlp.up_proj.weight"] = (inter, hidden)
        shapes[p + "post_attention_layernorm.weight"] = (hidden,)
        shapes[p + "self_attn.q_proj.weight"] = (q_out, hidden)
        shapes[p + "self_attn.k_proj.weight"] = (kv_out, hidden)
        shapes[p + "self_attn.v_proj.weight"] = (kv_out, hidden)
        shapes[p + "self_attn.o_proj.weight"] = (hidden, q_out)
        if cfg.family == "qwen2" or (cfg.family in ("llama", "qwen3") and cfg.attention_bias):
            shapes[p + "self_attn.q_proj.bias"] = (q_out,)
            shapes[p + "self_attn.k_proj.bias"] = (kv_out,)
            shapes[p + "self_attn.v_proj.bias"] = (kv_out,)
        if cfg.family == "qwen3":
            shapes[p + "self_attn.q_norm.weight"] = (head_dim,)
            shapes[p + "self_attn.k_norm.weight"] = (head_dim,)
    shapes["model.norm.weight"] = (hidden,)
    if not cfg.tie_word_embeddings:
        shapes["lm_head.weight"] = (cfg.vocab_size, hidden)
    return shapes


def weight_spreads(config):
    """(mean, std) of each tensor: norms near 1, and matrices scaled by their fan-in so activations stay near
    unit size and attention is neither uniform nor one-hot."""
    spreads = {}
    for name, shape in tensor_shapes(config).items():
        if name.endswith("norm.weight"):
            spreads[name] = (1.0, 0.1)
        elif name.endswith(".bias"):
            spreads[name] = (0.0, 0.3)
        elif name == "model.embed_tokens.weight":
            spreads[name] = (0.0, 0.5)
        elif name == "lm_head.weight":
            spreads[name] = (0.0, 2.0 / math.sqrt(shape[1]))
        else:
            spreads[name] = (0.0, 1.0 / math.sqrt(shape[1]))
    return spreads


MASK64 = (1 << 64) - 1


def seeded_values(seed, name, count, mean, std):
    """count float32 values, uniform with the given mean and standard deviation. Element i is the i-th output
    of splitmix64 started at seed XOR fnv1a64(name), mapped to u in [0, 1) by its top 53 bits, then
    mean + std * sqrt(3) * (2u - 1) in double and rounded to float32 once: integer arithmetic and IEEE double
    operations, so the Java test reproduces every bit."""
    state = 0xCBF29CE484222325
    for byte in name.encode("utf-8"):
        state = ((state ^ byte) * 0x100000001B3) & MASK64
    state ^= seed & MASK64
    values = np.empty(count, dtype=np.float32)
    for i in range(count):
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        z = z ^ (z >> 31)
        u = (z >> 11) * 2.0**-53
        values[i] = mean + std * math.sqrt(3.0) * (2 * u - 1)
    return values


def seeded_weights(tensors, seed):
    return {
        t["name"]: seeded_values(seed, t["name"], int(np.prod(t["shape"])), t["mean"], t["std"]).reshape(t["shape"])
        for t in tensors
    }


def write_safetensors(path, tensors):
    """float32 tensors in safetensors' layout: header length, JSON header padded to 8 bytes, raw data."""
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name, values in tensors.items():
        blob = values.astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(values.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(text)))
        file.write(text)
        for blob in blobs:
            file.write(blob)


def without_rope_scaling(config):
    plain = dict(config)
    plain.pop("rope_scaling", None)
    rope_parameters = plain.pop("rope_parameters", None)
    if rope_parameters and "rope_theta" in rope_parameters:
        plain["rope_theta"] = rope_parameters["rope_theta"]
    return plain


def write_case(out_dir, name, spec, seed):
    case_dir = os.path.join(out_dir, name)
    os.makedirs(case_dir, exist_ok=True)
    config = spec["config"]
    with open(os.path.join(case_dir, "config.json"), "w") as file:
        json.dump(config, file, indent=2)
        file.write("\n")
    spreads = weight_spreads(config)
    tensors = [
        {"name": tensor, "shape": list(shape), "mean": spreads[tensor][0], "std": spreads[tensor][1]}
        for tensor, shape in tensor_shapes(config).items()
    ]
    input_ids = np.random.default_rng(seed).integers(0, VOCAB, size=spec["tokens"]).tolist()

    with tempfile.TemporaryDirectory() as checkpoint:
        shutil.copy(os.path.join(case_dir, "config.json"), checkpoint)
        write_safetensors(os.path.join(checkpoint, "model.safetensors"), seeded_weights(tensors, seed))
        logits = reference_forward.load(checkpoint).logits([input_ids])
        weights = reference_forward.read_weights(checkpoint)
    write_safetensors(os.path.join(case_dir, "expected_logits.safetensors"), {"logits": logits})

    case = {
        "modelled_on": spec["source"],
        "reference": "lm-engine/src/test/python/reference_forward.py, following transformers 5.18.0",
        "max_abs_difference": 1e-4,
        "input_ids": input_ids,
        "seed": seed,
        "tensors": tensors,
    }
    if reference_forward.Config(config).rope_parameters["rope_type"] != "default":
        # the same weights read as if the config had no rope scaling: the engine must not pass by ignoring it
        plain = reference_forward.CausalLM(without_rope_scaling(config), weights).logits([input_ids])
        case["unscaled_max_abs_difference"] = round(float(np.max(np.abs(plain - logits))), 4)
    with open(os.path.join(case_dir, "case.json"), "w") as file:
        file.write(case_json(case))
    return case


def case_json(case):
    """One key a line, one tensor a line."""
    lines = []
    for key, value in case.items():
        if key == "tensors":
            rows = ",\n".join("    " + json.dumps(tensor) for tensor in value)
            lines.append(f'  "{key}": [\n{rows}\n  ]')
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    for index, (name, spec) in enumerate(CASES.items()):
        case = write_case(argv[1], name, spec, seed=1000 + 10 * index)
        note = case.get("unscaled_max_abs_difference")
        print(f"{name}: {len(case['input_ids'])} tokens"
              + ("" if note is None else f", without rope scaling the logits move by up to {note:.4f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
