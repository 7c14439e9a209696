"""Scores a model the way a user's photo meets it: through the engine (`patina run`).

Each validation photo and mask kind becomes a damaged photo on disk, its hole
holding white (an emulsion crack, dust), black (a tear) or noise, one fixed seed
each, with a mask PNG whose edge is anti-aliased as a drawn or detected mask's
often is. The built CLI restores the whole set as one folder run; the outputs are
scored against the true photo in the hole, and OpenCV Telea (radius 5) runs on
the same damaged photos and masks.

Images here are uint8 (S, S, 3) RGB; holes uint8 (S, S), 1 = damage.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from . import metrics
from .validate import KINDS, ValItem, mean_of

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "bin" / "patina.js"
FILLS: tuple[str, ...] = ("white", "black", "noise")
_FILL_SEED = {"white": 1, "black": 2, "noise": 3}


@dataclass
class Case:
    name: str
    photo: str
    kind: str
    fill: str
    truth: np.ndarray
    hole: np.ndarray
    damaged: np.ndarray
    mask_png: np.ndarray


def soft_mask(hole: np.ndarray, seed: int) -> np.ndarray:
    """The hole as an 8-bit mask image with an anti-aliased edge: the hole's rim pixels
    take 128-227 and the pixels just outside it 1-127, so only the documented rule
    (white = fill above 127) recovers the hole exactly; 255 inside, 0 elsewhere."""
    rng = np.random.default_rng(seed)
    h = hole.astype(bool)
    kernel = np.ones((3, 3), np.uint8)
    rim = h & ~cv2.erode(h.astype(np.uint8), kernel, borderType=cv2.BORDER_REPLICATE).astype(bool)
    halo = ~h & cv2.dilate(h.astype(np.uint8), kernel).astype(bool)
    out = np.where(h, 255, 0).astype(np.uint8)
    out[rim] = rng.integers(128, 228, int(rim.sum()), dtype=np.uint8)
    out[halo] = rng.integers(1, 128, int(halo.sum()), dtype=np.uint8)
    return out


def damage(image: np.ndarray, hole: np.ndarray, fill: str, seed: int) -> np.ndarray:
    """image with every hole pixel replaced by `fill` content."""
    out = image.copy()
    sel = hole.astype(bool)
    if fill == "white":
        out[sel] = 255
    elif fill == "black":
        out[sel] = 0
    elif fill == "noise":
        out[sel] = np.random.default_rng(seed).integers(0, 256, (int(sel.sum()), 3), dtype=np.uint8)
    else:
        raise ValueError(f"unknown fill {fill!r}")
    return out


def make_cases(items: list[ValItem], fills: tuple[str, ...] = FILLS) -> list[Case]:
    cases = []
    for i, it in enumerate(items):
        for k in KINDS:
            hole = it.masks[k]
            for f in fills:
                seed = 1_000 * i + 10 * KINDS.index(k) + _FILL_SEED[f]
                cases.append(Case(f"{i:03d}-{k}-{f}", it.name, k, f, it.image, hole,
                                  damage(it.image, hole, f, seed), soft_mask(hole, seed)))
    return cases


def restore_with_cli(cases: list[Case], models_dir: Path, work: Path, quality_mode: str | None = None,
                     grain: str | None = None, texture: str | None = None) -> dict[str, np.ndarray]:
    """Runs `patina run --image in --mask masks --output out` over all cases at once (with
    --quality-mode, --grain and --texture when given, else the engine's defaults); returns each case's
    restored photo. Raises with the CLI's own words when it fails."""
    if not (ROOT / "out" / "main" / "cli.js").exists():
        raise SystemExit("the CLI is not built: run `npm run build` first")
    (work / "in").mkdir(parents=True)
    (work / "masks").mkdir()
    for c in cases:
        cv2.imwrite(str(work / "in" / f"{c.name}.png"), cv2.cvtColor(c.damaged, cv2.COLOR_RGB2BGR))
        cv2.imwrite(str(work / "masks" / f"{c.name}.png"), c.mask_png)
    env = {**os.environ, "PATINA_MODELS_DIR": str(models_dir.resolve())}
    cmd = ["node", str(CLI), "run", "--image", "in", "--mask", "masks", "--output", "out", "--device", "cpu",
           *(["--quality-mode", quality_mode] if quality_mode else []), *(["--grain", grain] if grain else []),
           *(["--texture", texture] if texture else [])]
    res = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"patina run exited {res.returncode}:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    out = {}
    for c in cases:
        bgr = cv2.imread(str(work / "out" / f"{c.name}.png"), cv2.IMREAD_COLOR)
        if bgr is None:
            raise RuntimeError(f"patina run wrote no readable output for {c.name}")
        out[c.name] = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    return out


def evaluate(items: list[ValItem], models_dir: Path, fills: tuple[str, ...] = FILLS,
             work: Path | None = None, quality_mode: str | None = None, grain: str | None = None,
             texture: str | None = None) -> dict:
    """Product-path scores of the model in models_dir, and Telea's on the same cases.

    Returns {"model": {kind: metrics}, "telea": {kind: metrics}, "modelByFill": {fill: {kind: metrics}},
    "outsideChanged": pixels outside the holes that differ from the input (must be 0),
    "rows": {kind: [(photo, fill, model metrics, telea metrics)]}, "outputs": {case: image}, "cases": [...]}.
    Metrics per case: metrics.score (holePsnr over the hole, psnr over the photo, SSIM, L1 in hole,
    texture ratio in the hole; kinds' texture is a geometric mean)."""
    cases = make_cases(items, fills)
    with tempfile.TemporaryDirectory(prefix="patina-eval-") as tmp:
        outputs = restore_with_cli(cases, models_dir, Path(work or tmp) / "run", quality_mode, grain, texture)
    rows: dict[str, list] = {k: [] for k in KINDS}
    outside = 0
    for c in cases:
        ours = outputs[c.name]
        outside += int(np.any(ours != c.damaged, axis=2)[c.hole == 0].sum())
        telea = metrics.telea(c.damaged, c.hole)
        rows[c.kind].append((c.photo, c.fill, metrics.score(ours, c.truth, c.hole), metrics.score(telea, c.truth, c.hole)))
    return {
        "model": {k: mean_of([r[2] for r in v]) for k, v in rows.items()},
        "telea": {k: mean_of([r[3] for r in v]) for k, v in rows.items()},
        "modelByFill": {f: {k: mean_of([r[2] for r in v if r[1] == f]) for k, v in rows.items()} for f in fills},
        "outsideChanged": outside,
        "rows": rows,
        "outputs": outputs,
        "cases": cases,
    }


def hardest(rows: dict[str, list], n: int = 5) -> dict[str, list[dict]]:
    """The n photos of each kind where the model gains least over Telea (mean over fills)."""
    out = {}
    for k, v in rows.items():
        per: dict[str, list] = {}
        for photo, _fill, ours, telea in v:
            per.setdefault(photo, []).append((ours["holePsnr"], telea["holePsnr"]))
        table = [{"photo": p, "holePsnr": float(np.mean([a for a, _ in s])), "teleaHolePsnr": float(np.mean([b for _, b in s]))}
                 for p, s in per.items()]
        for r in table:
            r["gainDb"] = r["holePsnr"] - r["teleaHolePsnr"]
        out[k] = sorted(table, key=lambda r: r["gainDb"])[:n]
    return out


def contact_sheet(result: dict, path: Path, n: int = 9) -> None:
    """Rows: damaged input as restored (white-filled hole) | Telea | Patina through the engine | original,
    256 px per tile; the kinds take turns."""
    by_kind = {k: [c for c in result["cases"] if c.kind == k and c.fill == "white"] for k in KINDS}
    rows = []
    for i in range(n):
        k = KINDS[i % len(KINDS)]
        if i // len(KINDS) >= len(by_kind[k]):
            continue
        c = by_kind[k][i // len(KINDS)]
        tiles = [c.damaged, metrics.telea(c.damaged, c.hole), result["outputs"][c.name], c.truth]
        rows.append(np.hstack([cv2.resize(t, (256, 256), interpolation=cv2.INTER_AREA) for t in tiles]))
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), cv2.cvtColor(np.vstack(rows), cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 88])


def summary(result: dict) -> dict:
    """The JSON-able part of an evaluate() result."""
    return {k: result[k] for k in ("model", "telea", "modelByFill", "outsideChanged")} | {
        "gainDb": {k: result["model"][k]["holePsnr"] - result["telea"][k]["holePsnr"] for k in result["model"]},
        "hardest": hardest(result["rows"]),
    }


def engine_fields(model_file: Path, hole_reach: float | None) -> dict:
    """The manifest fields the engine acts on (src/main/inference/manifest.ts) for an ONNX file."""
    import hashlib

    from .model import MULTIPLE
    return {"file": model_file.name, "sha256": hashlib.sha256(model_file.read_bytes()).hexdigest(),
            "bytes": model_file.stat().st_size, "inputMultiple": MULTIPLE, "nativeResolution": 256, "maxSide": 512,
            **({"holeReach": hole_reach} if hole_reach else {})}


def write_models_dir(onnx_path: Path, dest: Path, hole_reach: float | None, mirror: bool) -> Path:
    """A models folder the engine loads (PATINA_MODELS_DIR) for an ONNX file not yet shipped."""
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / onnx_path.name
    if onnx_path.resolve() != target.resolve():
        target.write_bytes(onnx_path.read_bytes())
    entry = {"role": "inpaint", "name": "Patina CSA (under evaluation)", "version": "0.0.0-eval",
             **engine_fields(target, hole_reach), "architecture": {"mirrorEnsemble": mirror}}
    (dest / "manifest.json").write_text(json.dumps({"schemaVersion": 1, "models": [entry]}, indent=2))
    return dest


def texture_table(result: dict) -> str:
    """Hole PSNR and texture ratio (fill's high-frequency energy over the original's, geometric mean;
    metrics.texture_ratio) per kind, Patina against Telea, as markdown."""
    lines = ["| kind | Patina hole PSNR | Telea hole PSNR | Patina texture ratio | Telea texture ratio |",
             "|---|---|---|---|---|"]
    for k, m in result["model"].items():
        t = result["telea"][k]
        lines.append(f"| {k} | {m['holePsnr']:.2f} | {t['holePsnr']:.2f} | {m['texture']:.3f} | {t['texture']:.3f} |")
    return "\n".join(lines)
