"""Damage as it looks on real old prints, for the detector's training and its second evaluation set.

The first renderer (strokes.render) paints smooth, even strokes onto clean
modern photos. A network trained only on those found almost nothing on the
real cracked prints of shared/data/damaged (26 px of a 496x624 photo whose
cracks anyone can see): real damage sits on a monochrome or toned, faded,
grainy print, and a real crack is lifted emulsion: an irregular, jagged white
core with a dark shadow along one side, often among many short hairline
crazes, and the print's edges are worn ragged. This module renders that:

  age_photo     the clean photo as an old print (toning, fading, blur, grain, vignette)
  relief_cracks jagged cracks of uneven width with a white core and a shadow rim
  crack_network a dense network of such cracks over part or all of the print, with flakes
  crazing       dozens of short hairline cracks and chips
  edge_wear     ragged paper-white (or dark) bands along the print's edges

render_old(kind, photo, rng) returns the aged photo, the damaged print before
the JPEG pass and the damage mask; strokes.ground_truth then marks what is
visible against the aged photo, so the grain and toning themselves are never
damage.
"""
from __future__ import annotations

import math

import cv2
import numpy as np

from defects import strokes
from patina_train import masks

Rng = np.random.Generator

# (R, G, B) multipliers of a monochrome print's tone: neutral silver, sepia, warm, selenium-cool.
TONES = (
    (1.0, 1.0, 1.0),
    (1.0, 0.84, 0.62),
    (1.0, 0.93, 0.80),
    (0.92, 0.96, 1.0),
)


def age_photo(photo: np.ndarray, rng: Rng) -> np.ndarray:
    """uint8/float RGB -> float32 RGB 0..255 that looks like an old print of it."""
    f = photo.astype(np.float32)
    h, w = f.shape[:2]
    if rng.random() < 0.75:
        # Monochrome print, toned.
        y = strokes._luma(f)
        tone = np.array(TONES[int(rng.integers(len(TONES)))], np.float32)
        tone = 1 + (tone - 1) * rng.uniform(0.4, 1.0)
        f = y[..., None] * tone[None, None, :]
    else:
        # Faded colour print: less saturation and a warm or magenta cast.
        y = strokes._luma(f)[..., None]
        f = y + (f - y) * rng.uniform(0.3, 0.8)
        f = f * np.array([1.0, rng.uniform(0.85, 1.0), rng.uniform(0.7, 0.95)], np.float32)
    # Faded contrast with lifted blacks.
    c = rng.uniform(0.55, 1.0)
    lift = rng.uniform(0, 45)
    f = lift + f * c * (255 - lift) / 255
    if rng.random() < 0.6:
        f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.3, 1.1))
    # Film grain: luminance only, clumped by a slight blur.
    sigma = rng.uniform(1.0, 7.0)
    g = rng.normal(0, 1, (h, w)).astype(np.float32)
    clump = rng.uniform(0.0, 0.9)
    if clump > 0.3:
        g = cv2.GaussianBlur(g, (0, 0), clump)
        g /= max(float(g.std()), 1e-6)
    f = f + g[..., None] * sigma
    if rng.random() < 0.4:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        r2 = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
        f = f * (1 - rng.uniform(0.1, 0.35) * np.clip(r2 - 0.3, 0, None))[..., None]
    return np.clip(f, 0, 255)


def _paper_colour(rng: Rng) -> np.ndarray:
    """The print's paper base where the emulsion came away: white to cream or yellowed."""
    v = rng.uniform(200, 250)
    return np.array([v, v * rng.uniform(0.88, 0.99), v * rng.uniform(0.62, 0.95)], np.float32)


def _shift(m: np.ndarray, dx: int, dy: int) -> np.ndarray:
    out = np.zeros_like(m)
    h, w = m.shape
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[yd, xd] = m[ys, xs]
    return out


def _uneven(base: np.ndarray, rng: Rng) -> np.ndarray:
    """A stroke mask made uneven: wider where a fine noise field is high, jagged at its edges."""
    h, w = base.shape
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    noise = strokes._smooth_noise(rng, h, w, rng.uniform(3, 10), 0, 1)
    out = base | (cv2.dilate(base, k) & (noise > 0.55).astype(np.uint8))
    jag = strokes._smooth_noise(rng, h, w, 2.0, 0, 1) > 0.7
    dx, dy = int(rng.integers(-1, 2)), int(rng.integers(-1, 2))
    return out | (_shift(out, dx, dy) & jag.astype(np.uint8))


def _paint_relief(img: np.ndarray, core: np.ndarray, rng: Rng, bright: bool) -> tuple[np.ndarray, np.ndarray]:
    """Paints a lifted-emulsion stroke: textured core and, for a bright one, a shadow rim on one side.
    Returns (image, mask of what was painted)."""
    h, w = core.shape
    s = min(h, w) / 512
    texture = strokes._smooth_noise(rng, h, w, rng.uniform(1.5, 4), 0.8, 1.0)[..., None]
    if bright:
        colour = _paper_colour(rng)[None, None, :] * texture
    else:
        colour = strokes._dark_colour(rng)[None, None, :] * (2 - texture)
    alpha = core.astype(np.float32) * rng.uniform(0.75, 1.0)
    alpha = np.maximum(cv2.GaussianBlur(alpha, (0, 0), 0.4), 0.9 * alpha)
    out = strokes._paint(img, np.clip(alpha, 0, 1), colour)
    painted = core.copy()
    if bright and rng.random() < 0.8:
        angle = rng.uniform(0, 2 * math.pi)
        d = max(1.0, rng.uniform(1, 2) * s)
        rim = _shift(core, int(round(math.cos(angle) * d)), int(round(math.sin(angle) * d))) & (1 - core)
        shade = rng.uniform(0.3, 0.6)
        out = strokes._paint(out, rim.astype(np.float32) * rng.uniform(0.5, 0.9), out * shade)
        painted |= rim
    return out, painted


def relief_cracks(img: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray]:
    """Branching cracks of uneven width; mostly white lifted emulsion with a shadow, some dark."""
    h, w = img.shape[:2]
    base = masks.cracks(rng, h, w)
    if rng.random() < 0.5:
        base |= masks.scratches(rng, h, w, count=int(rng.integers(1, 3)))
    return _paint_relief(img, _uneven(base, rng), rng, bright=rng.random() < 0.8)


def _network_mask(rng: Rng, h: int, w: int, s: float) -> np.ndarray:
    """uint8 (h, w): the cracked edges of warped random cells over part of the area; sizes in px times s."""
    n = int(rng.integers(12, 80))
    seeds = np.ones((h, w), np.uint8)
    for x, y in zip(rng.integers(0, w, n), rng.integers(0, h, n)):
        seeds[y, x] = 0
    _, labels = cv2.distanceTransformWithLabels(seeds, cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL)
    # Warp the cells: large smooth bends plus a fine jitter make the edges wander like fractures.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    bend = rng.uniform(6, 20) * s
    jitter = rng.uniform(0.8, 2.0) * s
    mx = xx + (strokes._smooth_noise(rng, h, w, rng.uniform(25, 70) * s, -1, 1) * bend
               + strokes._smooth_noise(rng, h, w, 3.0 * s, -1, 1) * jitter)
    my = yy + (strokes._smooth_noise(rng, h, w, rng.uniform(25, 70) * s, -1, 1) * bend
               + strokes._smooth_noise(rng, h, w, 3.0 * s, -1, 1) * jitter)
    labels = cv2.remap(labels.astype(np.float32), mx, my, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REFLECT)
    edges = np.zeros((h, w), np.uint8)
    edges[:, 1:] |= (labels[:, 1:] != labels[:, :-1]).astype(np.uint8)
    edges[1:, :] |= (labels[1:, :] != labels[:-1, :]).astype(np.uint8)
    # Part of the print only, and not every cell edge cracked.
    region = strokes._smooth_noise(rng, h, w, rng.uniform(60, 200) * s, 0, 1) > rng.uniform(0.0, 0.55)
    keep = strokes._smooth_noise(rng, h, w, rng.uniform(30, 80) * s, 0, 1) > rng.uniform(0.05, 0.35)
    m = edges & region.astype(np.uint8) & keep.astype(np.uint8)
    width = int(round(rng.uniform(0, 2.2) * s))
    if width > 0:
        m = cv2.dilate(m, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * width + 1, 2 * width + 1)))
    m = _uneven(m, rng)
    if rng.random() < 0.5:
        ys, xs = np.nonzero(m)
        for k in rng.integers(0, len(ys), min(len(ys), int(rng.integers(3, 30)))) if len(ys) else []:
            cv2.circle(m, (int(xs[k]), int(ys[k])), max(1, int(round(rng.uniform(1.5, 7) * s))), 1, -1)
        m = _uneven(m, rng)
    return m


def crack_network(img: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray]:
    """A dense network of cracks (a print that was folded, rolled or dried out): the jagged
    edges of warped random cells over part or all of the photo, with flakes where the
    emulsion came away. Real cracked prints carry 2-15 % of such damage; the sparse
    single cracks of the first renderer taught the network none of it.

    Most networks are drawn on a 2-3x finer grid and reduced, as on the small scans
    of shared/data/damaged: hairlines under a pixel wide with soft edges and partial
    cover, the rest 1-8 px with hard edges."""
    h, w = img.shape[:2]
    s = min(h, w) / 512
    k = int(rng.choice([1, 2, 3], p=[0.4, 0.35, 0.25]))
    if k == 1:
        return _paint_relief(img, _network_mask(rng, h, w, s), rng, bright=rng.random() < 0.85)
    fine = _network_mask(rng, h * k, w * k, s).astype(np.float32)
    cover = cv2.resize(fine, (w, h), interpolation=cv2.INTER_AREA)
    return _paint_soft(img, cover, rng, bright=rng.random() < 0.8)


def _paint_soft(img: np.ndarray, cover: np.ndarray, rng: Rng, bright: bool) -> tuple[np.ndarray, np.ndarray]:
    """Paints strokes given as fractional pixel cover (0..1); the mask is where the cover is 1/4 or more.
    No shadow rim: at this width it is below a pixel."""
    h, w = cover.shape
    texture = strokes._smooth_noise(rng, h, w, rng.uniform(1.5, 4), 0.85, 1.0)[..., None]
    colour = (_paper_colour(rng) if bright else strokes._dark_colour(rng))[None, None, :] * texture
    alpha = np.clip(cover * rng.uniform(0.7, 1.0) * 1.3, 0, 1)
    return strokes._paint(img, alpha, colour), (cover >= 0.25).astype(np.uint8)


def crazing(img: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray]:
    """Many short hairline cracks and chips, 1-2 px, scattered or clustered."""
    h, w = img.shape[:2]
    s = min(h, w) / 512
    m = np.zeros((h, w), np.uint8)
    n = int(rng.integers(15, 120))
    cluster = rng.random() < 0.5
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    spread = rng.uniform(0.1, 0.3) * min(h, w)
    for _ in range(n):
        if cluster:
            x, y = cx + rng.normal(0, spread), cy + rng.normal(0, spread)
        else:
            x, y = rng.uniform(0, w), rng.uniform(0, h)
        if rng.random() < 0.75:
            pts = masks._walk(rng, (x, y), rng.uniform(0, 2 * math.pi), int(rng.integers(2, 7)),
                              rng.uniform(2, 5) * s, 0.7)
            cv2.polylines(m, [pts], False, 1, thickness=max(1, int(round(rng.uniform(1, 2) * s))))
        else:
            cv2.circle(m, (int(x), int(y)), max(1, int(round(rng.uniform(0.5, 2) * s))), 1, -1)
    return _paint_relief(img, m, rng, bright=rng.random() < 0.85)


def edge_wear(img: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray]:
    """Ragged bands along one to four edges where the print's emulsion or paper wore away."""
    h, w = img.shape[:2]
    s = min(h, w) / 512
    m = np.zeros((h, w), np.uint8)
    for side in range(4):
        if rng.random() > 0.55:
            continue
        n = w if side in (0, 2) else h
        depth = strokes._smooth_noise(rng, 1, n, rng.uniform(8, 40), 0, 1)[0]
        depth = np.clip(depth - rng.uniform(0.1, 0.5), 0, None) * rng.uniform(8, 30) * s
        for i, d in enumerate(depth):
            d = int(round(d))
            if d <= 0:
                continue
            if side == 0:
                m[:d, i] = 1
            elif side == 1:
                m[i, w - d:] = 1
            elif side == 2:
                m[h - d:, i] = 1
            else:
                m[i, :d] = 1
    if not m.any():
        m[: max(2, int(6 * s)), :] = 1
    m = _uneven(m, rng)
    if rng.random() < 0.7:
        paper = strokes._bright_colour(rng)[None, None, :] + rng.normal(0, 3.0, (h, w, 1)).astype(np.float32)
    else:
        paper = np.full((1, 1, 3), rng.uniform(5, 35), np.float32) + rng.normal(0, 1.5, (h, w, 1)).astype(np.float32)
    alpha = np.maximum(cv2.GaussianBlur(m.astype(np.float32), (0, 0), 0.6), m.astype(np.float32))
    return strokes._paint(img, alpha, paper), m


def creases(img: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray]:
    """One to three folds across the print: long, gently bent lines, 1-6 px wide, often broken into
    runs where the emulsion cracked along the fold, and faint (a fold lifts the paper's base colour or
    a shadow only part of the way, unlike a crack's white core). Such creases on the real prints
    (`old_w_scratch/c.png`) were what the net passed over."""
    h, w = img.shape[:2]
    s = min(h, w) / 512
    m = np.zeros((h, w), np.uint8)
    for _ in range(int(rng.integers(1, 4))):
        # From somewhere on one edge across most of the print.
        side = int(rng.integers(4))
        t = rng.uniform(0.1, 0.9)
        x0, y0 = [(t * w, 0), (w - 1, t * h), (t * w, h - 1), (0, t * h)][side]
        angle = [math.pi / 2, math.pi, -math.pi / 2, 0][side] + rng.uniform(-0.6, 0.6)
        length = rng.uniform(0.5, 1.3) * max(h, w)
        steps = max(4, int(length / (12 * s + 1)))
        pts = masks._walk(rng, (x0, y0), angle, steps, length / steps, rng.uniform(0.01, 0.06))
        line = np.zeros((h, w), np.uint8)
        cv2.polylines(line, [pts], False, 1, thickness=max(1, int(round(rng.uniform(1, 6) * s))))
        if rng.random() < 0.6:
            runs = strokes._smooth_noise(rng, h, w, rng.uniform(6, 25) * s, 0, 1) > rng.uniform(0.2, 0.5)
            line &= runs.astype(np.uint8)
        m |= line
    m = _uneven(m, rng)
    bright = rng.random() < 0.7
    colour = (_paper_colour(rng) if bright else strokes._dark_colour(rng))[None, None, :]
    alpha = m.astype(np.float32) * rng.uniform(0.3, 0.8) * strokes._smooth_noise(rng, h, w, 8 * s + 1, 0.6, 1.0)
    alpha = np.maximum(cv2.GaussianBlur(alpha, (0, 0), 0.5 + 0.5 * s), 0.8 * alpha)
    out = strokes._paint(img, np.clip(alpha, 0, 1), colour)
    if bright and rng.random() < 0.7:
        # The fold's shadow on one side.
        d = max(1, int(round(rng.uniform(1, 2.5) * s)))
        dx, dy = [(d, 0), (0, d), (-d, 0), (0, -d)][int(rng.integers(4))]
        rim = _shift(m, dx, dy) & (1 - m)
        out = strokes._paint(out, rim.astype(np.float32) * rng.uniform(0.3, 0.6), out * rng.uniform(0.4, 0.7))
        m = m | rim
    return out, m


def render_old(kind: str, photo: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(aged photo float32, damaged float32 before the JPEG pass, mask uint8 0/1) for make_eval's kinds.

    scratch and dust are make_eval's strokes on the aged print; crack is relief
    cracks, often with crazing; corner is a torn corner or worn edges; mixed is
    all of them; clean is the aged print alone.
    """
    aged = age_photo(photo, rng)
    h, w = aged.shape[:2]
    m = np.zeros((h, w), np.uint8)
    img = aged
    if kind == "clean":
        return aged, aged, m
    if kind in ("scratch", "dust"):
        img, m = strokes.render(kind, aged, rng)
        return aged, img, m
    parts = {
        "crack": [crack_network if rng.random() < 0.5 else relief_cracks] + ([crazing] if rng.random() < 0.5 else []),
        "corner": [edge_wear] if rng.random() < 0.6 else [],
        "mixed": [crack_network if rng.random() < 0.4 else relief_cracks, crazing]
                 + ([edge_wear] if rng.random() < 0.4 else []),
    }[kind]
    if kind == "corner" and not parts:
        img, m = strokes.render("corner", aged, rng)
        return aged, img, m
    if kind == "mixed":
        img, m = strokes.render("scratch", aged, rng)
    for part in parts:
        img, pm = part(img, rng)
        m = m | pm
    return aged, img, m.astype(np.uint8)
