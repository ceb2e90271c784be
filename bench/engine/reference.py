"""PyTorch reference for bench/run.sh engine: the same Llama architecture and shapes as the engine,
written the way a Hugging Face-style implementation would be (RMSNorm, rotate-half RoPE, SwiGLU, GQA via
repeat_kv, KV cache by concatenation, multinomial sampling; during generation the tied head runs on the last
position only, as transformers' generate does). Prints "result <size> <metric> <tokens/s>".

Besides, as EngineBench does: the float32 GEMM rate of square 2048 x 2048 matmuls ("result machine
gemm_gflops"), the 25m training step's achieved FLOP rate ("train_gflops", FLOPs counted per matmul as in
EngineBench.trainStepFlops), and for size "0.5b" (Qwen2.5-0.5B's shape, random weights, q/k/v bias) prefill of
1 x 128 tokens and decode of 32 tokens at batch 1 and 16 from 16-token prompts."""
import json
import math
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

PROMPTS, PROMPT_TOKENS, NEW_TOKENS = 16, 16, 64
TRAIN_ROWS, TRAIN_TOKENS = 32, 128
PREFILL_TOKENS, DECODE_PROMPT_TOKENS, DECODE_TOKENS = 128, 16, 32
GEMM_SIZE, GEMM_ROUNDS, GEMM_PER_ROUND = 2048, 5, 4


class RMSNorm(nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        hidden = c["hidden_size"]
        bias = c["model_type"] == "qwen2" or c.get("attention_bias", False)  # Qwen2: q/k/v biases, none on o_proj
        self.q_proj = nn.Linear(hidden, self.heads * self.head_dim, bias=bias)
        self.k_proj = nn.Linear(hidden, self.kv_heads * self.head_dim, bias=bias)
        self.v_proj = nn.Linear(hidden, self.kv_heads * self.head_dim, bias=bias)
        self.o_proj = nn.Linear(self.heads * self.head_dim, hidden, bias=False)

    def forward(self, x, cos, sin, mask, cache):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if cache is not None:
            if cache[0] is not None:
                k = torch.cat([cache[0], k], dim=2)
                v = torch.cat([cache[1], v], dim=2)
            cache[0], cache[1] = k, v
        group = self.heads // self.kv_heads
        k = k.repeat_interleave(group, dim=1)
        v = v.repeat_interleave(group, dim=1)
        scores = q @ k.transpose(2, 3) / math.sqrt(self.head_dim)
        if mask is not None:
            scores = scores + mask
        out = scores.softmax(-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(b, t, -1))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        hidden, inter, eps = c["hidden_size"], c["intermediate_size"], c["rms_norm_eps"]
        self.input_layernorm = RMSNorm(hidden, eps)
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RMSNorm(hidden, eps)
        self.gate_proj = nn.Linear(hidden, inter, bias=False)
        self.up_proj = nn.Linear(hidden, inter, bias=False)
        self.down_proj = nn.Linear(inter, hidden, bias=False)

    def forward(self, x, cos, sin, mask, cache):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask, cache)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Llama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList(Layer(c) for _ in range(c["num_hidden_layers"]))
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        dim = c["head_dim"]
        self.register_buffer("inv_freq", 1.0 / (c["rope_theta"] ** (torch.arange(0, dim, 2).float() / dim)))
        for p in self.parameters():
            nn.init.normal_(p, std=0.02) if p.dim() > 1 else None

    def forward(self, ids, start, caches=None):
        b, t = ids.shape
        positions = torch.arange(start, start + t, dtype=torch.float32)
        freqs = positions[:, None] * self.inv_freq[None, :]
        emb = torch.cat([freqs, freqs], dim=-1)
        x = self.embed_tokens(ids)
        cos, sin = emb.cos()[None, None].to(x.dtype), emb.sin()[None, None].to(x.dtype)
        mask = None
        if t > 1:
            mask = torch.full((t, t), float("-inf")).triu(1)[None, None].to(x.dtype)
        for i, layer in enumerate(self.layers):
            x = layer(x, cos, sin, mask, None if caches is None else caches[i])
        if caches is not None:
            x = x[:, -1:]  # generating: only the last position's logits are used
        x = self.norm(x)
        return x @ self.embed_tokens.weight.t()  # tied head


@torch.no_grad()
def sample(model, prompts, new_tokens=NEW_TOKENS):
    caches = [[None, None] for _ in model.layers]
    logits = model(prompts, 0, caches)[:, -1]
    out = []
    for step in range(new_tokens):
        probs = (logits.float() / 1.0).softmax(-1)
        token = torch.multinomial(probs, 1)
        out.append(token)
        if step + 1 < new_tokens:
            logits = model(token, prompts.shape[1] + step, caches)[:, -1]
    return torch.cat(out, dim=1)


def train_step(model, ids):
    logits = model(ids, 0)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))
    loss.backward()
    model.zero_grad(set_to_none=True)


def gemm():
    """Best sustained rate of square float32 matmuls, as EngineBench.gemm (2 n^3 FLOPs a matmul)."""
    a, b = torch.rand(GEMM_SIZE, GEMM_SIZE) * 2 - 1, torch.rand(GEMM_SIZE, GEMM_SIZE) * 2 - 1
    a @ b
    best = 0.0
    for _ in range(GEMM_ROUNDS):
        start = time.perf_counter()
        for _ in range(GEMM_PER_ROUND):
            a @ b
        best = max(best, GEMM_PER_ROUND * 2.0 * GEMM_SIZE ** 3 / (time.perf_counter() - start))
    print(f"result machine gemm_gflops {best / 1e9:.2f}", flush=True)


def train_step_flops(c, rows, tokens):
    """As EngineBench.trainStepFlops: linear layers and tied head, attention products, backward = 2 x forward."""
    attention_width = c["num_attention_heads"] * c["head_dim"]
    kv_width = c["num_key_value_heads"] * c["head_dim"]
    linear = c["hidden_size"] * (2 * attention_width + 2 * kv_width) + 3 * c["hidden_size"] * c["intermediate_size"]
    per_token = 2 * (c["num_hidden_layers"] * linear + c["hidden_size"] * c["vocab_size"])
    attention = 4 * tokens * tokens * attention_width * c["num_hidden_layers"]
    return 3 * rows * (tokens * per_token + attention)


def seconds_of(model, prompts, new_tokens):
    """As EngineBench.bestSeconds: one new token best of two after a warm-up; a decode one run."""
    if new_tokens == 1:
        sample(model, prompts, 1)
    best = float("inf")
    for _ in range(2 if new_tokens == 1 else 1):
        start = time.perf_counter()
        sample(model, prompts, new_tokens)
        best = min(best, time.perf_counter() - start)
    return best


def qwen05b(config):
    model = Llama(config)
    speeds(model, config, "")
    # PyTorch eager in bfloat16: every weight and activation (the rotary frequencies stay float32)
    model = model.to(torch.bfloat16)
    model.inv_freq = model.inv_freq.float()
    speeds(model, config, "_bf16")


def speeds(model, config, suffix):
    vocab = config["vocab_size"]
    prefill = torch.randint(1000, vocab - 1000, (1, PREFILL_TOKENS))
    print(f"result 0.5b prefill{suffix} {PREFILL_TOKENS / seconds_of(model, prefill, 1):.1f}", flush=True)
    for batch in (1, 16):
        prompts = torch.randint(1000, vocab - 1000, (batch, DECODE_PROMPT_TOKENS))
        one = seconds_of(model, prompts, 1)
        everything = seconds_of(model, prompts, DECODE_TOKENS)
        print(f"result 0.5b decode_b{batch}{suffix} {(DECODE_TOKENS - 1) * batch / (everything - one):.1f}",
              flush=True)


def main():
    threads, work, sizes = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(",")
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    gemm()
    for size in sizes:
        with open(f"{work}/{size}/config.json") as f:
            config = json.load(f)
        if size == "0.5b":
            qwen05b(config)
            continue
        model = Llama(config)
        prompts = torch.randint(66, 92, (PROMPTS, PROMPT_TOKENS))
        sample(model, prompts)
        repeats = 5 if size == "tiny" else 2
        start = time.perf_counter()
        for _ in range(repeats):
            sample(model, prompts)
        seconds = time.perf_counter() - start
        print(f"result {size} sampling {PROMPTS * NEW_TOKENS * repeats / seconds:.1f}", flush=True)
        ids = torch.randint(66, 92, (TRAIN_ROWS, TRAIN_TOKENS))
        train_step(model, ids)
        start = time.perf_counter()
        for _ in range(repeats):
            train_step(model, ids)
        seconds = (time.perf_counter() - start) / repeats
        print(f"result {size} train_step {TRAIN_ROWS * TRAIN_TOKENS / seconds:.1f}", flush=True)
        print(f"result {size} train_gflops {train_step_flops(config, TRAIN_ROWS, TRAIN_TOKENS) / seconds / 1e9:.2f}",
              flush=True)


if __name__ == "__main__":
    main()
