"""PyTorch reference for bench/run.sh engine: the same Llama architecture and shapes as the engine,
written the way a Hugging Face-style implementation would be (RMSNorm, rotate-half RoPE, SwiGLU, GQA via
repeat_kv, KV cache by concatenation, multinomial sampling). Prints "result <size> <metric> <tokens/s>"."""
import json
import math
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

PROMPTS, PROMPT_TOKENS, NEW_TOKENS = 16, 16, 64
TRAIN_ROWS, TRAIN_TOKENS = 32, 128


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
        self.q_proj = nn.Linear(hidden, self.heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(hidden, self.kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(hidden, self.kv_heads * self.head_dim, bias=False)
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
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        mask = None
        if t > 1:
            mask = torch.full((t, t), float("-inf")).triu(1)[None, None]
        x = self.embed_tokens(ids)
        for i, layer in enumerate(self.layers):
            x = layer(x, cos, sin, mask, None if caches is None else caches[i])
        x = self.norm(x)
        return x @ self.embed_tokens.weight.t()  # tied head


@torch.no_grad()
def sample(model, prompts):
    caches = [[None, None] for _ in model.layers]
    logits = model(prompts, 0, caches)[:, -1]
    out = []
    for step in range(NEW_TOKENS):
        probs = (logits / 1.0).softmax(-1)
        token = torch.multinomial(probs, 1)
        out.append(token)
        if step + 1 < NEW_TOKENS:
            logits = model(token, prompts.shape[1] + step, caches)[:, -1]
    return torch.cat(out, dim=1)


def train_step(model, ids):
    logits = model(ids, 0)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))
    loss.backward()
    model.zero_grad(set_to_none=True)


def main():
    threads, work, sizes = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(",")
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    for size in sizes:
        with open(f"{work}/{size}/config.json") as f:
            config = json.load(f)
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


if __name__ == "__main__":
    main()
