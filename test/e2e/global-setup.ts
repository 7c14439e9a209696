import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { bridgeEntry, builtIndexHtml, repoRoot } from './paths';

/** Newest modification time of any file under dir (0 when it does not exist). */
function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Fails fast, with the fix, instead of testing a missing or stale build. */
export default function globalSetup(): void {
  for (const file of [bridgeEntry, builtIndexHtml]) {
    if (!existsSync(file)) throw new Error(`${path.relative(repoRoot, file)} is missing: run \`npm run build\` first.`);
  }
  const built = Math.min(statSync(bridgeEntry).mtimeMs, statSync(builtIndexHtml).mtimeMs);
  const sources = Math.max(
    ...['src/main', 'src/preload', 'src/renderer', 'src/shared'].map((d) => newestMtime(path.join(repoRoot, d))),
  );
  if (sources > built) throw new Error('The build in out/ is older than src/: run `npm run build` first.');
}
