import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bridgeEntry = path.join(repoRoot, 'out', 'main', 'bridge.js');
export const builtIndexHtml = path.join(repoRoot, 'out', 'renderer', 'index.html');
/** Git-ignored; screenshots a person (or CI) can look at after a run. */
export const artifactsDir = path.join(repoRoot, 'test', 'artifacts');
/** The project's shared, read-only data beside the repository (../shared/data); specs copy from it, never write to it. */
export function sharedData(relative: string): string {
  return path.resolve(repoRoot, '..', 'shared', 'data', relative);
}
