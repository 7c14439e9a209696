"""Reading Patina's training checkpoints: the one place a `.pt` file becomes a network.

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
    return NetConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in state["cfg"].items()})


def net_from(weights: dict, cfg: NetConfig) -> PatinaCSA:
    """A network in eval mode holding `weights` (any float type) under `cfg`."""
    net = PatinaCSA(cfg)
    net.load_state_dict({k: v.float() for k, v in weights.items()})
    return net.eval()


def load_net(path: Path | str) -> tuple[PatinaCSA, dict]:
    """The shipped weights of a checkpoint as a network in eval mode, and the whole checkpoint dict."""
    state = read_checkpoint(path)
    return net_from(state["model"], config_of(state)), state
