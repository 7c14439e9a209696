"""Reading Patina's training checkpoints: the one place a `.pt` file (or an exported model's
weights) becomes a network.

A checkpoint is a dict: "model" (the weights export ships, an average when the
run kept one), "cfg" (NetConfig as a dict), and as the run wrote them "step",
"images_seen", "losses", "train_model" (the raw weights the optimiser steps),
"opt" (its state) and a record of surgery ("widened", "grafted", ...).
"""
from __future__ import annotations

from pathlib import Path

import torch

from .model import NetConfig, PatinaCSA


def read_checkpoint(path: Path | str) -> dict:
    """The checkpoint dict, on the CPU. Our own files: torch >= 2.6 would otherwise refuse the non-tensor fields."""
    return torch.load(path, map_location="cpu", weights_only=False)


def config_of(state: dict) -> NetConfig:
    """The network configuration a checkpoint was saved with (lists in the dict become tuples)."""
    cfg = dict(state["cfg"])
    # Checkpoints of v0.9 and v0.10 name the rough net's input; the 2x2 average ("pool") is the only one built.
    if cfg.pop("rough_input", "pool") != "pool":
        raise ValueError(f"a checkpoint whose rough net reads {state['cfg']['rough_input']!r} input: only 'pool' is built")
    return NetConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in cfg.items()})


def net_from(weights: dict, cfg: NetConfig) -> PatinaCSA:
    """A network in eval mode holding `weights` (any float type) under `cfg`."""
    net = PatinaCSA(cfg)
    net.load_state_dict({k: v.float() for k, v in weights.items()})
    return net.eval()


def load_net(path: Path | str) -> tuple[PatinaCSA, dict]:
    """The shipped weights of a checkpoint as a network in eval mode, and the whole checkpoint dict."""
    state = read_checkpoint(path)
    return net_from(state["model"], config_of(state)), state


def onnx_tensors(path: Path | str) -> dict[str, torch.Tensor]:
    """An exported model's initializers as tensors, by name: what a PyTorch export wrote of the
    network's state dict (and any constants beside it)."""
    import onnx
    from onnx import numpy_helper

    return {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in onnx.load(str(path)).graph.initializer}


def net_from_onnx(path: Path | str) -> PatinaCSA:
    """The PyTorch network holding an exported model's weights (export names its initializers
    after the PyTorch parameters, `net.` first), its configuration read from their shapes:
    older versions survive in git history only as ONNX files."""
    weights = {name[len("net."):]: t for name, t in onnx_tensors(path).items()
               if name.startswith("net.") and name.endswith((".weight", ".bias"))}
    rough = tuple(int(weights[f"rough.e{i}.weight"].shape[0]) for i in range(1, 5))
    refine = tuple(int(weights[f"refine.e{i}.weight"].shape[0]) for i in range(1, 5))
    blocks = len({k.split(".")[2] for k in weights if k.startswith("rough.r3.")})
    cfg = NetConfig(rough=rough, refine=refine, rough_decoder_blocks=blocks)
    return net_from(weights, cfg)
