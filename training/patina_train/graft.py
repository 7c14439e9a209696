"""Join one checkpoint's rough stage with another's refinement stage.

On two CPU threads the stages train fastest apart, one thread each: the rough
stage with the refinement frozen and skipped (train.py --freeze-refine) and the
refinement on the rough stage's fixed output (--freeze-rough). Both runs start
from the same parent, so the refinement has learnt to correct a rough stage
close to the one it is joined with; evaluate the graft before shipping it.
"""
from __future__ import annotations

from .model import NetConfig, PatinaCSA

# Config fields the refinement's weights depend on: they must agree between the two halves.
REFINE_FIELDS = ("refine", "use_csa", "pushpull_levels")


def graft_weights(rough: dict, rough_cfg: NetConfig, refine: dict, refine_cfg: NetConfig) -> tuple[dict, NetConfig]:
    """State dict and config of a net with `rough`'s rough stage and `refine`'s refinement."""
    for field in REFINE_FIELDS:
        if getattr(rough_cfg, field) != getattr(refine_cfg, field):
            raise ValueError(f"the two checkpoints differ in {field}: "
                             f"{getattr(rough_cfg, field)!r} vs {getattr(refine_cfg, field)!r}")
    stray = [k for k in (*rough, *refine) if not k.startswith(("rough.", "refine."))]
    if stray:
        raise ValueError(f"weights outside the two stages: {stray[:3]}")
    weights = {**{k: v for k, v in rough.items() if k.startswith("rough.")},
               **{k: v for k, v in refine.items() if k.startswith("refine.")}}
    return weights, rough_cfg


def graft_states(rough: dict, refine: dict, parent: dict) -> dict:
    """The checkpoint dict of the graft; each argument is a loaded checkpoint with a parsed "cfg".

    The graft counts the steps and images of both runs (less the parent's,
    counted once); its losses are the rough run's, with the refinement run's
    under "refine_phase".
    """
    weights, cfg = graft_weights(rough["model"], rough["cfg"], refine["model"], refine["cfg"])
    PatinaCSA(cfg).load_state_dict(weights)  # strict: the two halves cover the net exactly
    out = {"model": weights, "cfg": cfg.to_dict(),
           "step": rough["step"] + refine["step"] - parent.get("step", 0),
           "images_seen": rough["images_seen"] + refine["images_seen"] - parent.get("images_seen", 0),
           "losses": {**(rough.get("losses") or {}), "freeze_refine": False, "grafted": True,
                      "refine_phase": refine.get("losses") or {}}}
    if "train_model" in rough and "train_model" in refine:
        out["train_model"], _ = graft_weights(rough["train_model"], rough["cfg"], refine["train_model"], refine["cfg"])
    return out
