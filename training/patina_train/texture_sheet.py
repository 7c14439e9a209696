"""Detail transfer (--texture) through the CLI: contact sheets of box fills on textured regions
of held-out photos and on the real scans, and the fill's texture against its surroundings.

  cd training && /usr/bin/python3 -m patina_train.texture_sheet [--limit 61] [--rows 8]

Held-out photos: the box masks of the product-path evaluation (engine_eval, white holes), the
`rows` cases whose true hole has the most fine texture (high-pass std), restored by `patina run`
with --texture off and on (grain matching at the engine's default). Rows: the damaged photo |
texture off (the network and grain) | texture on | the original, cropped around the box at 2x.

Real scans (../shared/data/damaged): grain_sheet's box and brush stroke cut into each scan, the
same two runs; per scan the fill's high-frequency energy over that of the known ring 4-16 px
around the box (grain_sheet.ring_ratio). Rows: the damaged scan | off | on | the scan as it was.
And `patina run --auto-mask` on every scan, --texture off and on: how many pixels of the detected
damage got detail (the stats' texture.pixels) and how many pixels differ between the two outputs;
a sheet of the largest change on each scan where there is one (the scan | off | on).
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import cv2
import numpy as np

from . import engine_eval, metrics, validate
from .grain_sheet import SCANS, cut_holes, ring_ratio, run_cli, tile

ROOT = Path(__file__).resolve().parents[2]
MODES = ("off", "on")
ALL_SCANS = sorted(str(p.relative_to(SCANS)) for p in SCANS.rglob("*.png"))


def box_of(hole: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(hole)
    return int(ys.min()), int(xs.min()), int(ys.max() - ys.min() + 1), int(xs.max() - xs.min() + 1)


def held_out(limit: int | None, n_rows: int, out: Path) -> None:
    items = validate.load_items(limit=limit)
    cases = [c for c in engine_eval.make_cases(items, ("white",)) if c.kind == "box"]
    texture = {c.name: float(metrics.high_pass(c.truth.astype(np.float64) / 255.0)[c.hole == 1].std()) for c in cases}
    chosen = sorted(cases, key=lambda c: -texture[c.name])[:n_rows]
    with tempfile.TemporaryDirectory(prefix="patina-texture-") as tmp:
        outs = {m: engine_eval.restore_with_cli(chosen, ROOT / "models", Path(tmp) / m, texture=m) for m in MODES}
    rows = []
    print("| photo | box texture (truth high-pass std) | texture ratio off | on |")
    print("|---|---|---|---|")
    for c in chosen:
        ratios = [metrics.texture_ratio(outs[m][c.name] / 255.0, c.truth / 255.0, c.hole) for m in MODES]
        print(f"| {c.photo} | {texture[c.name]:.3f} | {ratios[0]:.2f} | {ratios[1]:.2f} |")
        box = box_of(c.hole)
        rows.append(np.hstack([tile(cv2.cvtColor(t, cv2.COLOR_RGB2BGR), box)
                               for t in (c.damaged, outs["off"][c.name], outs["on"][c.name], c.truth)]))
    out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(out), np.vstack(rows), [cv2.IMWRITE_JPEG_QUALITY, 90])


def real_scans(scans: list[str], out: Path) -> None:
    rows, report = [], []
    with tempfile.TemporaryDirectory(prefix="patina-texture-real-") as tmp:
        work = Path(tmp)
        cases = cut_holes(scans, work)
        outs = {}
        for m in MODES:
            items = run_cli(work, f"out-{m}", "--mask", "masks", "--texture", m)
            outs[m] = ({s: cv2.imread(str(work / f"out-{m}" / f"{s}.png")) for s in cases}, items)
        for stem, (img, damaged, box) in cases.items():
            line = {"scan": stem, "original": round(ring_ratio(img, box), 3)}
            for m in MODES:
                line[m] = round(ring_ratio(outs[m][0][stem], box), 3)
            line["texture"] = outs["on"][1].get(stem, {}).get("texture")
            report.append(line)
            rows.append(np.hstack([tile(t, box) for t in (damaged, outs["off"][0][stem], outs["on"][0][stem], img)]))
    out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(out), np.vstack(rows), [cv2.IMWRITE_JPEG_QUALITY, 90])
    print("| scan | scan's own box | texture off | on |")
    print("|---|---|---|---|")
    for r in report:
        print(f"| {r['scan']} | {r['original']:.2f} | {r['off']:.2f} | {r['on']:.2f} |")
    print(json.dumps(report))


def auto_mask(scans: list[str], out: Path) -> None:
    """--auto-mask on the real scans as they are: what detail transfer touched. Sheet rows, for
    each scan where it changed something, around the largest change: the scan | off | on."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="patina-texture-auto-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        for rel in scans:
            img = cv2.imread(str(SCANS / rel), cv2.IMREAD_COLOR)
            cv2.imwrite(str(work / "in" / (rel.replace("/", "-").rsplit(".", 1)[0] + ".png")), img)
        items = {m: run_cli(work, f"out-{m}", "--auto-mask", "--texture", m) for m in MODES}
        print("| scan | pixels given detail | pixels that differ (off vs on) |")
        print("|---|---|---|")
        for stem in sorted(items["on"]):
            if items["on"][stem].get("status") != "restored":
                print(f"| {stem} | (no damage found) | |")
                continue
            a = cv2.imread(str(work / "out-off" / f"{stem}.png"))
            b = cv2.imread(str(work / "out-on" / f"{stem}.png"))
            differ = np.any(a != b, axis=2)
            print(f"| {stem} | {(items['on'][stem].get('texture') or {}).get('pixels', 0)} | {int(differ.sum())} |")
            if not differ.any():
                continue
            n, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(differ.astype(np.uint8), np.ones((9, 9), np.uint8)))
            k = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
            x, y, w, h = (int(v) for v in stats[k, :4])
            side = max(w, h) // 2 + 24
            cy, cx = y + h // 2, x + w // 2
            box = (max(0, cy - side), max(0, cx - side), 2 * side, 2 * side)
            src = cv2.imread(str(work / "in" / f"{stem}.png"))
            rows.append(np.hstack([cv2.resize(t[box[0]:box[0] + box[2], box[1]:box[1] + box[3]], (256, 256), interpolation=cv2.INTER_NEAREST)
                                   for t in (src, a, b)]))
    if rows:
        out.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(out), np.vstack(rows), [cv2.IMWRITE_JPEG_QUALITY, 90])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None, help="held-out photos to choose the textured boxes from")
    ap.add_argument("--rows", type=int, default=8)
    ap.add_argument("--held-out-sheet", default=str(ROOT / "docs" / "results" / "texture-held-out.jpg"))
    ap.add_argument("--real-sheet", default=str(ROOT / "docs" / "results" / "texture-real-scans.jpg"))
    ap.add_argument("--auto-sheet", default=str(ROOT / "docs" / "results" / "texture-real-scans-auto-mask.jpg"))
    ap.add_argument("--scans", nargs="*", default=["old/a.png", "old/d.png", "old/e.png", "old/h.png", "history/9.png",
                                                    "history/19.png", "old/b.png", "old/c.png"])
    ap.add_argument("--only", choices=("held-out", "real", "auto-mask"), default=None)
    args = ap.parse_args()
    if args.only in (None, "held-out"):
        held_out(args.limit, args.rows, Path(args.held_out_sheet))
    if args.only in (None, "real"):
        real_scans(args.scans, Path(args.real_sheet))
    if args.only in (None, "auto-mask"):
        auto_mask(ALL_SCANS, Path(args.auto_sheet))


if __name__ == "__main__":
    main()
