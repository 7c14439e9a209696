/** Scores for the tone benchmark: PSNR, mean CIEDE2000 and contrast, against the clean original. */
import sharp from 'sharp';

/** PSNR in dB over all RGB samples (8-bit). */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  const mse = se / a.length;
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}

/** CIELAB (D65) of 8-bit sRGB, as sharp converts it: Float32 L, a, b interleaved. */
export async function lab(rgb: Uint8Array, width: number, height: number): Promise<Float32Array> {
  const { data } = await sharp(rgb, { raw: { width, height, channels: 3 } }).toColourspace('lab').raw({ depth: 'float' }).toBuffer({ resolveWithObject: true });
  return new Float32Array(data.buffer, data.byteOffset, data.byteLength / 4);
}

/** Mean CIEDE2000 over all pixels (Sharma, Wu and Dalal's formulation; kL = kC = kH = 1). */
export function meanDeltaE2000(x: Float32Array, y: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i += 3) sum += de2000(x[i]!, x[i + 1]!, x[i + 2]!, y[i]!, y[i + 1]!, y[i + 2]!);
  return sum / (x.length / 3);
}

/** Standard deviation of L* (global contrast). */
export function lightnessSpread(l: Float32Array): number {
  let s = 0;
  let s2 = 0;
  const n = l.length / 3;
  for (let i = 0; i < l.length; i += 3) {
    s += l[i]!;
    s2 += l[i]! * l[i]!;
  }
  return Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2));
}

const DEG = Math.PI / 180;

function de2000(L1: number, a1: number, b1: number, L2: number, a2: number, b2: number): number {
  const C1 = Math.hypot(a1, b1);
  const C2 = Math.hypot(a2, b2);
  const Cm = (C1 + C2) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cm ** 7 / (Cm ** 7 + 25 ** 7)));
  const a1p = (1 + G) * a1;
  const a2p = (1 + G) * a2;
  const C1p = Math.hypot(a1p, b1);
  const C2p = Math.hypot(a2p, b2);
  const h1p = C1p === 0 ? 0 : (Math.atan2(b1, a1p) / DEG + 360) % 360;
  const h2p = C2p === 0 ? 0 : (Math.atan2(b2, a2p) / DEG + 360) % 360;
  const dLp = L2 - L1;
  const dCp = C2p - C1p;
  let dhp = 0;
  if (C1p * C2p !== 0) {
    dhp = h2p - h1p;
    if (dhp > 180) dhp -= 360;
    else if (dhp < -180) dhp += 360;
  }
  const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin((dhp / 2) * DEG);
  const Lpm = (L1 + L2) / 2;
  const Cpm = (C1p + C2p) / 2;
  let hpm = h1p + h2p;
  if (C1p * C2p !== 0) {
    if (Math.abs(h1p - h2p) <= 180) hpm = (h1p + h2p) / 2;
    else hpm = h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
  }
  const T = 1 - 0.17 * Math.cos((hpm - 30) * DEG) + 0.24 * Math.cos(2 * hpm * DEG) + 0.32 * Math.cos((3 * hpm + 6) * DEG) - 0.2 * Math.cos((4 * hpm - 63) * DEG);
  const dTheta = 30 * Math.exp(-(((hpm - 275) / 25) ** 2));
  const Rc = 2 * Math.sqrt(Cpm ** 7 / (Cpm ** 7 + 25 ** 7));
  const Sl = 1 + (0.015 * (Lpm - 50) ** 2) / Math.sqrt(20 + (Lpm - 50) ** 2);
  const Sc = 1 + 0.045 * Cpm;
  const Sh = 1 + 0.015 * Cpm * T;
  const Rt = -Math.sin(2 * dTheta * DEG) * Rc;
  return Math.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2 + Rt * (dCp / Sc) * (dHp / Sh));
}
