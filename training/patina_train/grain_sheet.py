"""Grain matching on real scans, through the CLI: a contact sheet and the fill's texture
against its surroundings.

  cd training && /usr/bin/python3 -m patina_train.grain_sheet [--out ../docs/results/grain-real-scans.jpg]

The real scans (../shared/data/damaged) have no clean originals, so a hole is cut into each:
a box and a brush stroke, holding white, at fixed places. `patina run` restores every scan
with --grain off, auto and on and detail transfer off (grain alone; texture_sheet has it on).
Per scan and mode it prints the fill's high-frequency energy (grey minus its Gaussian blur at
sigma 1.5, std over the box) over that of the ring of known pixels 4-16 px around the box: near
1, the fill is as grainy as what surrounds it. Rows of
the sheet: the damaged scan | off | auto | on | the scan as it was, cropped around the box
and shown at 2x.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

import cv2
import numpy as np

from . import metrics

ROOT = Path(__file__).resolve().parents[2]
SCANS = ROOT.parent / "shared" / "data" / "damaged" / "bopb_old_photos"
MODES = ("off", "auto", "on")


def holes(h: int, w: int) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A box (15 % of the short side, a little left of and above the middle) and a brush stroke under it."""
    side = max(24, int(0.15 * min(h, w)))
    y0, x0 = int(0.38 * h), int(0.42 * w) - side // 2
    mask = np.zeros((h, w), np.uint8)
    mask[y0:y0 + side, x0:x0 + side] = 1
    pts = np.array([[int(0.2 * w), int(0.75 * h)], [int(0.45 * w), int(0.7 * h)], [int(0.7 * w), int(0.8 * h)]], np.int32)
    cv2.polylines(mask, [pts], False, 1, thickness=max(5, min(h, w) // 60))
    return mask, (y0, x0, side, side)


def ring_ratio(img: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """High-pass std over the box / over the known ring 4-16 px outside it."""
    y0, x0, bh, bw = box
    hp = metrics.high_pass(img.astype(np.float64) / 255.0)
    inner = hp[y0 + 2:y0 + bh - 2, x0 + 2:x0 + bw - 2]
    ring = np.zeros(hp.shape, bool)
    ring[max(0, y0 - 16):y0 + bh + 16, max(0, x0 - 16):x0 + bw + 16] = True
    ring[max(0, y0 - 4):y0 + bh + 4, max(0, x0 - 4):x0 + bw + 4] = False
    return float(inner.std() / max(hp[ring].std(), metrics.TEXTURE_FLOOR))


def crop(img: np.ndarray, box: tuple[int, int, int, int], pad: int) -> np.ndarray:
    y0, x0, bh, bw = box
    h, w = img.shape[:2]
    c = img[max(0, y0 - pad):min(h, y0 + bh + pad), max(0, x0 - pad):min(w, x0 + bw + pad)]
    return cv2.resize(c, (2 * c.shape[1], 2 * c.shape[0]), interpolation=cv2.INTER_NEAREST)


def tile(img: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The box with half its side around it (crop), as a 256 x 256 tile of a sheet's row."""
    return cv2.resize(crop(img, box, box[2] // 2), (256, 256), interpolation=cv2.INTER_NEAREST)


def run_cli(work: Path, out: str, *flags: str) -> dict[str, dict]:
    """`patina run --image in --output <out> <flags> --json` in work; returns its items by file stem."""
    res = subprocess.run(["node", str(ROOT / "bin" / "patina.js"), "run", "--image", "in", "--output", out, "--device", "cpu",
                          "--json", *flags], cwd=work, capture_output=True, text=True, env=os.environ)
    if res.returncode != 0:
        raise SystemExit(f"patina run {' '.join(flags)} failed:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    return {Path(o["image"]).stem: o for o in map(json.loads, res.stdout.splitlines()) if o.get("type") == "item"}


def cut_holes(scans: list[str], work: Path) -> dict[str, tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]]:
    """Writes each scan with holes() cut into it (white) to work/in and its mask to work/masks;
    returns {file stem: (scan, damaged scan, the box)}."""
    (work / "in").mkdir()
    (work / "masks").mkdir()
    cases = {}
    for rel in scans:
        img = cv2.imread(str(SCANS / rel), cv2.IMREAD_COLOR)
        mask, box = holes(*img.shape[:2])
        damaged = img.copy()
        damaged[mask == 1] = 255
        stem = rel.replace("/", "-").rsplit(".", 1)[0]
        cv2.imwrite(str(work / "in" / f"{stem}.png"), damaged)
        cv2.imwrite(str(work / "masks" / f"{stem}.png"), mask * 255)
        cases[stem] = (img, damaged, box)
    return cases


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "results" / "grain-real-scans.jpg"))
    ap.add_argument("--scans", nargs="*", default=["old/a.png", "old/d.png", "old/e.png", "old/h.png", "history/9.png",
                                                    "history/19.png", "old/b.png", "old/c.png"])
    args = ap.parse_args()
    rows, report = [], []
    with tempfile.TemporaryDirectory(prefix="patina-grain-") as tmp:
        work = Path(tmp)
        cases = cut_holes(args.scans, work)
        out = {}
        for mode in MODES:
            items = run_cli(work, f"out-{mode}", "--mask", "masks", "--grain", mode, "--texture", "off")
            out[mode] = ({s: cv2.imread(str(work / f"out-{mode}" / f"{s}.png")) for s in cases}, items)
        for stem, (img, damaged, box) in cases.items():
            line = {"scan": stem, "original": round(ring_ratio(img, box), 3)}
            for mode in MODES:
                line[mode] = round(ring_ratio(out[mode][0][stem], box), 3)
                grain = out[mode][1].get(stem, {}).get("grain")
                if grain:
                    line[f"{mode}Grain"] = grain
            report.append(line)
            rows.append(np.hstack([tile(t, box) for t in (damaged, *(out[m][0][stem] for m in MODES), img)]))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(args.out, np.vstack(rows), [cv2.IMWRITE_JPEG_QUALITY, 90])
    print("| scan | scan's own box | grain off | auto | on |")
    print("|---|---|---|---|---|")
    for r in report:
        print(f"| {r['scan']} | {r['original']:.2f} | {r['off']:.2f} | {r['auto']:.2f} | {r['on']:.2f} |")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
