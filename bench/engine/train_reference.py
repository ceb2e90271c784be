"""PyTorch reference for bench/run.sh train: optimizer steps on the model of reference.py (same architecture
and shapes as the engine), written as a TRL-style trainer does them, with the engine trainer's defaults
(torch.optim.AdamW at lr 1e-5 without weight decay, gradients clipped to global norm 1):
  dpo_step = 16 pairs x 128 tokens: chosen and rejected rows in one policy pass, summed response log-probs,
             sigmoid DPO loss (beta 0.1) on reference log-probs computed beforehand;
  sft_step = 16 rows x 128 tokens: mean NLL of the response tokens.
A step is forward, backward, clipping, AdamW update and zero_grad. Prints "result <size> <metric> <tokens/s>"
for the median of the timed steps after warm-up."""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from reference import Llama

ROWS, PROMPT_TOKENS, RESPONSE_TOKENS = 16, 32, 96
BETA = 0.1


def response_logps(model, ids):
    """Summed log-probs of each row's response tokens (the last RESPONSE_TOKENS), shape (rows,)."""
    logits = model(ids, 0)[:, PROMPT_TOKENS - 1:-1]
    targets = ids[:, PROMPT_TOKENS:]
    return logits.log_softmax(-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1).sum(-1)


def dpo_loss(model, ids, ref_chosen, ref_rejected):
    logps = response_logps(model, ids)
    chosen, rejected = logps[:ROWS], logps[ROWS:]
    z = (chosen - rejected) - (ref_chosen - ref_rejected)
    return -F.logsigmoid(BETA * z).mean()


def sft_loss(model, ids):
    logits = model(ids, 0)[:, PROMPT_TOKENS - 1:-1]
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, PROMPT_TOKENS:].reshape(-1))


def measure(model, loss_fn, warmup, timed, tokens_per_step):
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    seconds = []
    for step in range(warmup + timed):
        start = time.perf_counter()
        loss = loss_fn()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if step >= warmup:
            seconds.append(time.perf_counter() - start)
        if not torch.isfinite(loss):
            raise RuntimeError(f"step {step} was not finite")
    return tokens_per_step / statistics.median(seconds)


def main():
    threads, work, sizes = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(",")
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    length = PROMPT_TOKENS + RESPONSE_TOKENS
    for size in sizes:
        with open(f"{work}/{size}/config.json") as f:
            config = json.load(f)
        model = Llama(config)
        warmup, timed = (2, 5) if size == "tiny" else (1, 3)

        # the chosen rows, then the rejected rows, sharing each pair's prompt
        prompts = torch.randint(66, 92, (ROWS, PROMPT_TOKENS))
        chosen = torch.cat([prompts, torch.randint(66, 92, (ROWS, RESPONSE_TOKENS))], dim=1)
        rejected = torch.cat([prompts, torch.randint(66, 92, (ROWS, RESPONSE_TOKENS))], dim=1)
        pairs = torch.cat([chosen, rejected])
        with torch.no_grad():
            reference = response_logps(model, pairs)
        ref_chosen, ref_rejected = reference[:ROWS], reference[ROWS:]
        rate = measure(model, lambda: dpo_loss(model, pairs, ref_chosen, ref_rejected), warmup, timed, 2 * ROWS * length)
        print(f"result {size} dpo_step {rate:.1f}", flush=True)

        rows = torch.randint(66, 92, (ROWS, length))
        rate = measure(model, lambda: sft_loss(model, rows), warmup, timed, ROWS * length)
        print(f"result {size} sft_step {rate:.1f}", flush=True)


if __name__ == "__main__":
    main()
