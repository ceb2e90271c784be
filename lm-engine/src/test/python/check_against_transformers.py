#!/usr/bin/env python3
"""Checks the committed parity logits against transformers itself, where torch and transformers are installed.

For every case under the parity folder it writes the seeded checkpoint (as generate_parity_cases.py does),
loads it with AutoModelForCausalLM in float32 with eager attention, and prints the largest absolute difference
between transformers' logits and the committed ones. The build never runs this; it documents how the numpy
reference was confirmed.

    python3 lm-engine/src/test/python/check_against_transformers.py lm-engine/src/test/resources/parity
"""

import json
import os
import shutil
import sys
import tempfile

import numpy as np
import torch
import transformers
from transformers import AutoModelForCausalLM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_parity_cases  # noqa: E402
import reference_forward  # noqa: E402


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = argv[1]
    print(f"transformers {transformers.__version__}, torch {torch.__version__}")
    worst = 0.0
    for name in sorted(os.listdir(root)):
        case_dir = os.path.join(root, name)
        if not os.path.isfile(os.path.join(case_dir, "case.json")):
            continue
        with open(os.path.join(case_dir, "case.json")) as file:
            case = json.load(file)
        expected = reference_forward.read_safetensors(os.path.join(case_dir, "expected_logits.safetensors"))["logits"]
        with tempfile.TemporaryDirectory() as checkpoint:
            shutil.copy(os.path.join(case_dir, "config.json"), checkpoint)
            weights = generate_parity_cases.seeded_weights(case["tensors"], case["seed"])
            generate_parity_cases.write_safetensors(os.path.join(checkpoint, "model.safetensors"), weights)
            model = AutoModelForCausalLM.from_pretrained(
                checkpoint, dtype=torch.float32, attn_implementation="eager"
            ).eval()
            with torch.no_grad():
                logits = model(torch.tensor([case["input_ids"]])).logits.numpy()
        difference = float(np.max(np.abs(logits - expected)))
        worst = max(worst, difference)
        print(f"{name}: max |transformers - committed| = {difference:.2e}")
    print(f"largest: {worst:.2e}")
    return 0 if worst <= 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
