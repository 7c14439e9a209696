/**
 * Runs one restore the way the app does (engine + worker thread) in its own
 * process, so the parent can report this process's peak resident memory
 * without the bench's own buffers in it.
 * argv: <image> <mask> <output> <device>; prints one JSON line.
 */
import { defaultModelsDir } from '../src/main/inference/models-dir';
import { isDeviceSetting } from '../src/main/inference/providers';
import { RestoreEngine } from '../src/main/restore/engine';

const [image, mask, output, device = 'auto'] = process.argv.slice(2);
if (!image || !mask || !output || !isDeviceSetting(device)) {
  process.stderr.write('usage: peak-rss-child <image> <mask> <output> [device]\n');
  process.exit(2);
}
const engine = new RestoreEngine({ modelsDir: defaultModelsDir(), device });
const started = performance.now();
try {
  const result = await engine.run({ imagePath: image, mask: { kind: 'file', path: mask }, output: { kind: 'file', path: output, ifExists: 'overwrite' } }).result;
  const status = await engine.status();
  process.stdout.write(
    `${JSON.stringify({
      ms: Math.round(performance.now() - started),
      crops: result.status === 'restored' ? result.stats.crops : 0,
      provider: status.provider,
      // resourceUsage().maxRSS is in kilobytes and covers every thread of this process.
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
} finally {
  await engine.close();
}
