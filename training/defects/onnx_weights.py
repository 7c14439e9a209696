"""A DefectNet holding the weights of a shipped models/defects ONNX file.

The export folds each batch norm into its convolution, so the training
checkpoint is not needed to fine-tune a shipped model: the ONNX convolutions,
in graph order, are the net's Conv2d modules in definition order (the forward
order), and each folded norm becomes an identity norm carrying the bias
(weight 1, mean 0, variance 1 - eps). Fine-tuning keeps the norms in eval mode
so that identity holds. Files whose skip connections split_concat.py
rewrote read back the same (merged_convs).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper


def conv_layers(net: nn.Module) -> list[tuple[nn.Conv2d, nn.BatchNorm2d | None]]:
    """Each Conv2d with the BatchNorm2d that follows it in its Sequential (None for the bare ones)."""
    out: list[tuple[nn.Conv2d, nn.BatchNorm2d | None]] = []
    mods = list(net.modules())
    for i, m in enumerate(mods):
        if isinstance(m, nn.Conv2d):
            nxt = mods[i + 1] if i + 1 < len(mods) else None
            out.append((m, nxt if isinstance(nxt, nn.BatchNorm2d) else None))
    return out


def load_onnx_into(net: nn.Module, path: Path) -> None:
    model = onnx.load(str(path))
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    convs = merged_convs(model, inits)
    layers = conv_layers(net)
    if len(convs) != len(layers):
        raise ValueError(f"{path} has {len(convs)} convolutions; the net has {len(layers)}")
    with torch.no_grad():
        for node, (conv, bn) in zip(convs, layers):
            w = inits[node.input[1]]
            b = inits[node.input[2]] if len(node.input) > 2 else np.zeros(w.shape[0], np.float32)
            if tuple(w.shape) != tuple(conv.weight.shape):
                raise ValueError(f"{node.input[1]} is {w.shape}; the net's conv is {tuple(conv.weight.shape)}")
            conv.weight.copy_(torch.from_numpy(w.copy()))
            if bn is None:
                conv.bias.copy_(torch.from_numpy(b.copy()))
                continue
            bn.weight.fill_(1.0)
            bn.bias.copy_(torch.from_numpy(b.copy()))
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)


def merged_convs(model: onnx.ModelProto, inits: dict[str, np.ndarray]) -> list[onnx.NodeProto]:
    """The graph's convolutions in order, each pair that split_concat.py made from one
    convolution (NAME_coarse, NAME_skip) joined back into it (weights concatenated
    coarse part first, as the net concatenates; the bias is the skip part's)."""
    out: list[onnx.NodeProto] = []
    for node in (n for n in model.graph.node if n.op_type == "Conv"):
        if node.name.endswith("_skip") and out and out[-1].name == node.name[:-len("_skip")] + "_coarse":
            coarse = out.pop()
            name = node.name[:-len("_skip")]
            inits[f"{name}_w"] = np.concatenate([inits[coarse.input[1]], inits[node.input[1]]], axis=1)
            joined = onnx.helper.make_node("Conv", [coarse.input[0], f"{name}_w", node.input[2]], [node.output[0]], name=name)
            out.append(joined)
            continue
        out.append(node)
    return out


def freeze_norms(net: nn.Module) -> None:
    """Batch norms in eval mode (running statistics), as load_onnx_into's identity norms need."""
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()
