import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where models/ lives when the caller does not say: $PATINA_MODELS_DIR, else
 * the nearest `models/manifest.json` walking up from this module. That finds
 * the repo's models/ from src/ (tests), from out/ (built CLI, dev app) alike.
 * A packaged app passes its resources folder explicitly instead.
 */
export function defaultModelsDir(): string {
  const fromEnv = process.env['PATINA_MODELS_DIR'];
  if (fromEnv) return path.resolve(fromEnv);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'models');
    if (existsSync(path.join(candidate, 'manifest.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Nothing found: point at the conventional place so the error names it.
  return path.resolve(process.cwd(), 'models');
}
