/**
 * Before / after contact sheet of real scans through `patina run --tone auto`:
 * `node training/run-ts.mjs bench/tone/contact-sheet.ts --out docs/results/tone-old.jpg [--fill] DIR [DIR...]`
 * (`--fill`: `--auto-mask` too, so the detected damage is filled before the tone).
 * Each pair: the scan as found, then Patina's Auto tone, labelled with what
 * Auto saw (colour, monochrome or sepia) and the colour mode it chose.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp, { type OverlayOptions } from 'sharp';
import { buildEngineForTests } from '../../src/main/restore/testing/build-engine';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const OUT = outAt >= 0 ? args[outAt + 1]! : 'docs/results/tone-contact-sheet.jpg';
const FILL = args.includes('--fill');
const dirs = args.filter((a, i) => a !== '--out' && a !== '--fill' && i !== outAt + 1);
const TILE = 230;
const COLS = 4;

interface Item {
  readonly image: string;
  readonly output: string;
  readonly tone: { look: string; colour: string; grain: number };
}

const label = (text: string, width: number) =>
  Buffer.from(`<svg width="${width}" height="22"><rect width="100%" height="100%" fill="#fff"/><text x="4" y="16" font-family="sans-serif" font-size="13" fill="#222">${text}</text></svg>`);

async function tile(file: string): Promise<Buffer> {
  return sharp(file).removeAlpha().resize(TILE, TILE, { fit: 'contain', background: '#fff' }).png().toBuffer();
}

async function main(): Promise<void> {
  const engine = await buildEngineForTests();
  const work = await mkdtemp(path.join(os.tmpdir(), 'patina-tone-sheet-'));
  try {
    const items: Item[] = [];
    for (const [k, dir] of dirs.entries()) {
      const { stdout } = await promisify(execFile)(process.execPath, [engine.cli, 'run', '--image', dir, '--output', path.join(work, String(k)), '--tone', 'auto', ...(FILL ? ['--auto-mask'] : []), '--json'], {
        maxBuffer: 64 << 20,
      });
      for (const line of stdout.trim().split('\n')) {
        const o = JSON.parse(line) as { type: string; status?: string } & Item;
        if (o.type === 'item' && o.status === 'restored') items.push(o);
      }
    }
    const pairW = 2 * TILE + 12;
    const cellH = TILE + 26;
    const rows = Math.ceil(items.length / COLS);
    const parts: OverlayOptions[] = [];
    for (const [i, it] of items.entries()) {
      const x = (i % COLS) * (pairW + 16);
      const y = Math.floor(i / COLS) * (cellH + 10);
      const name = `${path.basename(path.dirname(it.image))}/${path.basename(it.image)}`;
      parts.push({ input: await tile(it.image), left: x, top: y });
      parts.push({ input: await tile(it.output), left: x + TILE + 4, top: y });
      parts.push({ input: label(`${name}: ${it.tone.look}, ${it.tone.colour}, grain ${it.tone.grain}`, pairW), left: x, top: y + TILE + 2 });
    }
    await sharp({ create: { width: COLS * (pairW + 16), height: rows * (cellH + 10), channels: 3, background: '#fff' } })
      .composite(parts)
      .jpeg({ quality: 85 })
      .toFile(OUT);
    console.log(`${items.length} scans -> ${OUT}`);
  } finally {
    await engine.dispose();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
