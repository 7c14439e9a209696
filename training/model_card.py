#!/usr/bin/env python3
"""Write models/README.md (the model card) from models/manifest.json.

Usage: /usr/bin/python3 training/model_card.py
The manifest is the single source; this only renders it for people.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fmt(v, nd=2):
    return "n/a" if v is None else f"{v:.{nd}f}"


def validation_table(val: dict | None) -> str:
    if not val:
        return "_Not measured for this export._\n"
    if "proxy" not in val:
        return ("_Measured before scores came through the engine (network only, clean holes); "
                "re-score with `training/evaluate.py --models-dir models --into-manifest`._\n")
    # Scores from before the texture measure have no texture ratio: their table goes without the columns.
    texture = all("texture" in val["model"][k] for k in val["kinds"])
    rows = ["| mask kind | hole area | Patina hole PSNR | Telea hole PSNR | lead (dB) | Patina PSNR (photo) "
            "| Telea PSNR (photo) | Patina SSIM | Telea SSIM | Patina L1 in hole | Telea L1 in hole |"
            + (" Patina texture | Telea texture |" if texture else ""),
            "|---|---|---|---|---|---|---|---|---|---|---|" + ("---|---|" if texture else "")]
    for k, band in val["kinds"].items():
        m, t = val["model"][k], val["telea"][k]
        rows.append(f"| {k} | {band[0]*100:.0f}-{band[1]*100:.0f} % | {fmt(m['holePsnr'])} | {fmt(t['holePsnr'])} | "
                    f"{m['holePsnr'] - t['holePsnr']:+.2f} | {fmt(m['psnr'])} | {fmt(t['psnr'])} | "
                    f"{fmt(m['ssim'], 4)} | {fmt(t['ssim'], 4)} | {fmt(m['l1_hole'], 4)} | {fmt(t['l1_hole'], 4)} |"
                    + (f" {fmt(m['texture'])} | {fmt(t['texture'])} |" if texture else ""))
    fills = ", ".join(val["fills"])
    mode = f" in quality mode `{val['qualityMode']}`" if val.get("qualityMode") else ""
    note = (f"\n\nThe product path: {val['photos']} held-out photos at {val['size']}x{val['size']}, each mask kind "
            f"with its holes holding {fills} (one fixed seed each, as damage does: the true picture is never "
            f"there), restored by the engine{mode} exactly as a user's folder is (`patina run`, "
            "`training/patina_train/engine_eval.py`) and scored against the true photo; mean over photos and fills. "
            "Hole PSNR is over the hole's pixels, photo PSNR over the whole photo; 8-bit results. Texture (the "
            "texture ratio): the fill's high-frequency energy over the original's in the hole (grey minus its "
            "Gaussian blur at sigma 1.5, standard deviation over the hole; geometric mean over photos and fills): "
            "1 = as much fine texture and grain as the photo had, under 1 smoother. Telea = OpenCV "
            f"`INPAINT_TELEA`, radius 5, on the same damaged photos. Pixels changed outside the holes: "
            f"{val['outsideChanged']}.")
    proxy = val.get("proxy")
    if proxy:
        raw = proxy["networkAt512"]
        note += (" As a proxy only (the network alone on inputs whose holes hold the true picture, composited in "
                 "Python, never through the engine's crops and paste): hole PSNR " +
                 ", ".join(f"{k} {raw[k]['holePsnr']:.2f} dB" for k in val["kinds"]) + " at 512 px")
        stage = proxy.get("refineGainDb")
        if stage:
            # evaluate.py scores the rough stage in one pass, so with the mirror the gain holds both.
            mirrored = val.get("mirror") or val.get("qualityMode") == "best"
            what = "the refinement stage and the mirror pass together adding" if mirrored else "the refinement stage adding"
            note += f", {what} " + ", ".join(f"{k} {stage[k]:+.2f} dB" for k in val["kinds"])
        note += "."
    if val.get("grain"):
        note += f" Grain matching: `{val['grain']}`."
    for name, scores in (val.get("grainModes") or {}).items():
        note += (f" With grain matching `{name}` the hole PSNR is " +
                 ", ".join(f"{k} {scores[k]['holePsnr']:.2f} dB ({scores[k]['holePsnr'] - val['model'][k]['holePsnr']:+.2f})"
                           for k in val["kinds"]) +
                 " and the texture ratio " + ", ".join(f"{k} {scores[k]['texture']:.2f}" for k in val["kinds"]) + ".")
    other = val.get("otherQualityModes") or {}
    for name, scores in other.items():
        note += (f" In quality mode `{name}` the hole PSNR is " +
                 ", ".join(f"{k} {scores[k]['holePsnr']:.2f} dB ({scores[k]['holePsnr'] - val['model'][k]['holePsnr']:+.2f})"
                           for k in val["kinds"]) + ".")
    return "\n".join(rows) + note + "\n"


def adversarial_section(adv: dict | None) -> str:
    """The paper's adversarial training as Patina implements it, and what its candidates scored."""
    if not adv:
        return ""
    lines = ["", "## Adversarial training (the paper's discriminators)", ""]
    lines += [f"* {item}" for item in adv.get("recipe", [])]
    if adv.get("result"):
        lines += ["", adv["result"]]
    table = adv.get("table")
    if table:
        lines += ["", "| | " + " | ".join(table["columns"]) + " |", "|---|" + "---|" * len(table["columns"])]
        lines += [f"| {row[0]} | " + " | ".join(row[1:]) + " |" for row in table["rows"]]
    return "\n".join(lines) + "\n"


def csa_activity_section(act: dict | None) -> str:
    """Whether the CSA layer does anything (patina_train/probe_csa.py), for this model and earlier ones."""
    if not act:
        return ""
    p = act["probe"]
    dead = not p["live"]
    lines = ["", "## Is the CSA layer doing anything?", "",
             f"Measured by `python -m patina_train.probe_csa` on {p['photos']} held-out photos at {p['size']} px with "
             "each validation mask: the share of the CSA layer's input activations (`e3 = relu(s3(...))`) that are "
             f"positive is {p['active']:.1%}, {p['liveChannels']} of its {p['channels']} channels are positive "
             f"anywhere, and {p['holeActive']:.1%} of what it copies into the hole is non-zero (largest s3 "
             f"pre-activation {p['s3PreMax']:.3g})." +
             (" **The layer is dead in this model**: it copies zeros into the hole, so the refinement's deep path "
              "(e4, the dilated middle blocks, d3) receives constants and the stage works as a shallow U-Net on its "
              "1/2- and 1/4-resolution features." if dead else "")]
    if act.get("cause"):
        lines += ["", act["cause"]]
    history = act.get("byVersion") or []
    if history:
        lines += ["", "| version | active | live channels | hole positions non-zero |", "|---|---|---|---|"]
        lines += [f"| {h['version']} | {h['active']:.1%} | {h['liveChannels']} / {h['channels']} | {h['holeActive']:.1%} |"
                  for h in history]
    if act.get("revival"):
        lines += ["", act["revival"]]
    return "\n".join(lines) + "\n"


def sheet_line(version: str) -> str:
    """The product-path contact sheet evaluate.py drew for this version, when it was kept in docs/results."""
    sheet = Path("docs") / "results" / f"inpaint-v{version}-engine.jpg"
    if not (ROOT / sheet).exists():
        return ""
    return (f"\nContact sheet ([`{sheet}`](../{sheet})): per row the damaged photo as the engine got it (white "
            "holes), Telea, Patina through `patina run`, the original.\n")


def phases_list(phases: list[dict]) -> str:
    if not phases:
        return "  - _not recorded for this export_"
    return "\n".join(f"  - from step {ph['fromStep']:,}: {ph['text']}" for ph in phases)


def main() -> None:
    manifest = json.loads((ROOT / "models" / "manifest.json").read_text())
    e = next(m for m in manifest["models"] if m["role"] == "inpaint")
    losses = e["training"].get("losses") or {}
    cfg = e["architecture"]["config"]
    blocks = cfg.get("rough_decoder_blocks", 0)
    rough_blocks = (f", {blocks} dilated residual block{'s' if blocks > 1 else ''} after each of its three "
                    "decoder convolutions" if blocks else "")
    mirror_note = ("\n* **mirror self-ensemble**: the graph runs the network on the photo and on its mirror image and "
                   "averages the two fills (mirrored back); the passes see the hole's context from opposite sides, "
                   "and their mean is closer to the truth. Twice the compute of one pass, counted in the GMAC below."
                   if e["architecture"].get("mirrorEnsemble") else
                   "\n* **quality modes**: the graph is one pass. The engine's `best` mode runs it on each crop and on the "
                   "crop's mirror image and averages the two fills (mirrored back): the passes see the hole's context from "
                   "opposite sides, and their mean is closer to the truth, for twice the compute. `fast` runs it once "
                   "(`patina run --quality-mode`, `src/main/inference/mirror-ensemble.ts`).")
    extra_losses = ""
    if losses.get("psnr"):
        extra_losses += (f"; a PSNR-aligned term, {losses.get('psnr_form', 'ln(MSE in hole)')}, "
                         f"weight {losses['psnr']}")
    if losses.get("feature_anchor"):
        extra_losses += (f"; a scale anchor, (ln mean |CSA input features|)^2, weight {losses['feature_anchor']}, "
                         "since the relative consistency loss leaves the encoder's scale free")
    if losses.get("freeze_refine"):
        extra_losses += ("; in the last phase the refinement stage was frozen and skipped, and the L1 and PSNR terms "
                         "scored the rough stage's composite in its place (`--freeze-refine`: the refinement adds "
                         "~0 dB and cost two thirds of a step), so that phase had no consistency term")
    if losses.get("freeze_rough"):
        extra_losses += ("; in the last phase the rough stage was frozen and the refinement trained alone on its "
                         "fixed output (`--freeze-rough`), the L1 and PSNR terms on the refined output")
    if losses.get("grafted"):
        ref = losses.get("refine_phase") or {}
        extra_losses += ("; in the last phase the two stages trained apart, one CPU thread each, from the same "
                         "checkpoint: the rough stage with the refinement frozen and skipped (the L1 and PSNR terms "
                         "on its composite, `--freeze-refine`), the refinement on the rough stage's fixed output "
                         f"(`--freeze-rough`; PSNR weight {ref.get('psnr', 0)}, consistency weight "
                         f"{ref.get('consistency', 0)}), and `python -m patina_train.surgery graft` joined the two")
    if losses.get("ema"):
        extra_losses += (f"; the shipped weights are an exponential moving average of the trained ones "
                         f"(decay {losses['ema']})")
    text = f"""# Patina CSA inpainting model — model card

**{e['name']} {e['version']}** · file `{e['file']}` · {e['bytes'] / 1e6:.1f} MB · sha256 `{e['sha256']}`

Generated from `manifest.json` by `training/model_card.py`; do not edit by hand.

## What it is
A two-stage inpainting network after "Coherent Semantic Attention for Image Inpainting"
(Liu et al., ICCV 2019), trained by Patina from scratch (no weights were ever published):

* a classical push-pull pyramid fill computed inside the graph (standard ops) as a first guess;
* a rough U-Net (4x4 stride-2 convolutions, skips; widths {cfg['rough']}{rough_blocks}) run at half resolution,
  its input the photo, mask and fill averaged 2x2, predicting a residual over that fill;
* a refinement U-Net (dilated 4x4 stride-2 convolutions, each followed by a 3x3 / depthwise-separable
  convolution; widths {cfg['refine']}) with the **CSA layer** at 1/8 resolution right after that level's
  convolution ({e['architecture']['csaChannels']} channels), predicting a residual over the rough composite;
* output `M * refined + (1 - M) * image`, so known pixels are never changed.{mirror_note}

The CSA layer is the node `{e['customDomain']}::CoherentSemanticAttention`, whose body is a model-local ONNX
function of standard ops (NonZero, Gather, MatMul, ReduceMax/ArgMax, Scan, ScatterND), so a stock
onnxruntime loads the single file. Its maths, the guard for vanishing similarities and the empty cases are
documented in `src/main/inference/csa-reference.ts` (TypeScript reference) and `training/patina_train/csa.py`.

| | |
|---|---|
| parameters | {e['parameters']:,} |
| convolution GMAC at 512x512 | {e['gmac512']} (the CSA search adds about holes x known x {e['architecture']['csaChannels']}) |
| input multiple | {e['inputMultiple']} (height and width must be multiples) |
| native resolution / max side | {e['nativeResolution']} / {e['maxSide']} px (the engine crops and scales larger regions) |
| ONNX opset | {e['opset']} + `{e['customDomain']}` v1 |
| latency 512x512, onnxruntime-node CPU, 2 threads | {fmt(e['latency512msCpu2Threads']['median'], 0)} ms median (measured at export on the 2-core build machine) |
| ONNX vs PyTorch max abs difference | {e['parity']['maxAbsDiffOnnxVsPytorch']:.2e} (tolerance 1e-4) |
| CSA ONNX function vs float64 reference | {e['parity']['csaFunctionVsFloat64Reference']:.2e} |

## I/O
* `image`: {e['inputs']['image']}
* `mask`: {e['inputs']['mask']}
* `output`: {e['outputs']['output']}

## Training
* steps: {e['training']['steps']:,}; images seen: {e['training']['imagesSeen']:,}; random crops with scale
  jitter and flips; Adam. Phases (`training/history.json`):
{phases_list(e['training'].get('phases') or [])}
* losses: L1 on the rough output (weight {losses.get('l1_rough', 1.0)}) and the refined output
  (weight {losses.get('l1_refined', 1.0)}), each {losses.get('l1', 'a hole mean')}; consistency loss between the CSA output
  and the refinement encoder's features of the ground truth (gradients stopped: no ImageNet VGG is available
  offline, so the network's own encoder is the feature network), weight {losses.get('consistency', 0)};
  adversarial patch loss (spectral-norm PatchGAN, hinge), weight {losses.get('adversarial', 0)}
  (0 = not yet switched on){extra_losses}.
* masks: procedural and seeded (`training/patina_train/masks.py`): old-photo damage (scratches and branching
  cracks 1-8 px, dust specks, torn corners, stains), free-form brush strokes, rectangles.
* resume checkpoint: `{e['training']['checkpoint']}`.

## Validation
{validation_table(e.get('validation'))}{sheet_line(e['version'])}{csa_activity_section(e.get('csaActivity'))}{adversarial_section(e.get('adversarial'))}
## Data provenance and licence
Trained on `shared/data/train` (1,519 photos; a fixed ~5 % split by file-name hash is held out):
903 ImageNet sample images (non-commercial research terms), 500 BSDS500 images (citation requested:
Arbelaez et al., TPAMI 2011), 80 SUN/Hays80 scenes, 36 CelebA-HQ portraits (CC BY-NC 4.0).

**Licence: {e['licence']}.**
"""
    (ROOT / "models" / "README.md").write_text(text)
    print("wrote models/README.md")


if __name__ == "__main__":
    main()
