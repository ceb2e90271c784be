"""Loads a model directory written by the engine with a plain safetensors parser into the reference
implementation (Hugging Face parameter names and layouts) and compares logits with the engine's."""
import json
import struct
import sys

import torch

from reference import Llama


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", (name, entry["dtype"])
        begin, end = entry["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry["shape"])
    return tensors


def main():
    directory = sys.argv[1]
    with open(f"{directory}/config.json") as f:
        config = json.load(f)
    model = Llama(config)
    weights = read_safetensors(f"{directory}/model.safetensors")
    state = {}
    for name, tensor in weights.items():
        # the reference nests the MLP projections one level higher than Hugging Face's "mlp."
        key = name.replace("model.", "", 1).replace("mlp.", "")
        state[key] = tensor
    state["inv_freq"] = model.inv_freq
    model.load_state_dict(state, strict=True)
    with open(f"{directory}/sequence.txt") as f:
        ids = torch.tensor([[int(t) for t in f.read().split()]])
    with torch.no_grad():
        logits = model(ids, 0).flatten()
    with open(f"{directory}/engine_logits.txt") as f:
        engine = torch.tensor([float(v) for v in f.read().split()])
    diff = (logits - engine).abs().max().item()
    print(f"parity max_abs_diff={diff:.2e} over {engine.numel()} logits")
    sys.exit(0 if diff < 1e-4 else 1)


if __name__ == "__main__":
    main()
