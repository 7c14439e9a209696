#!/usr/bin/env node
// Import-direction check (part of `npm run lint`). The rules, from docs/ARCHITECTURE.md:
//   - only src/main/app/**, the main entry (src/main/index.ts) and the preload import 'electron';
//   - src/shared imports nothing but src/shared and zod (no Node built-ins, no DOM: the latter is
//     enforced by tsconfig.shared.json having neither lib);
//   - the renderer imports only src/renderer, src/shared and its allow-listed packages;
//   - the preload imports only 'electron' and src/shared;
//   - the engine (src/main outside app/) never imports src/main/app, the preload or the renderer.
// Usage: node scripts/check-layers.mjs [root]   (exit 1 and one line per violation)
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** npm packages the renderer bundle may use. Add here, deliberately, when the renderer needs one. */
export const RENDERER_PACKAGES = ['svelte', 'fabric', '@fontsource-variable/inter'];
export const SHARED_PACKAGES = ['zod'];

const SOURCE_EXT = /\.(ts|js|mjs|cjs|svelte)$/;
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Lists module specifiers imported by a file (static, dynamic, re-exports, require). */
export function importsOf(file, text) {
  const code = file.endsWith('.svelte') ? svelteScripts(text) : text;
  const info = ts.preProcessFile(code, true, true);
  return info.importedFiles.map((f) => f.fileName);
}

function svelteScripts(text) {
  const blocks = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  return blocks.join('\n');
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Classifies a specifier relative to the importing file.
 * Returns { kind: 'electron' | 'builtin' | 'package' | 'local', target?: repo-relative path, pkg? }.
 */
function classify(root, fromFile, spec) {
  if (spec === 'electron' || spec.startsWith('electron/')) return { kind: 'electron' };
  if (BUILTINS.has(spec) || spec.startsWith('node:')) return { kind: 'builtin' };
  let abs;
  if (spec.startsWith('@shared/')) abs = path.join(root, 'src/shared', spec.slice('@shared/'.length));
  else if (spec.startsWith('.')) abs = path.resolve(path.dirname(fromFile), spec);
  else return { kind: 'package', pkg: packageName(spec) };
  const target = path.relative(root, abs.replace(/\?.*$/, '')).split(path.sep).join('/');
  return { kind: 'local', target };
}

function layerOf(rel) {
  if (rel.startsWith('src/shared/')) return 'shared';
  if (rel.startsWith('src/renderer/')) return 'renderer';
  if (rel.startsWith('src/preload/')) return 'preload';
  if (rel.startsWith('src/main/app/') || rel === 'src/main/index.ts') return 'app';
  if (rel.startsWith('src/main/')) return 'engine';
  return 'other';
}

/** Returns the violation message for one import, or null. */
export function checkImport(layer, imported) {
  const { kind, target, pkg } = imported;
  const targetLayer = kind === 'local' ? layerOf(target) : null;
  switch (layer) {
    case 'shared':
      if (kind === 'electron' || kind === 'builtin') return 'src/shared must not import Node or Electron modules';
      if (kind === 'package' && !SHARED_PACKAGES.includes(pkg)) return `src/shared may use only ${SHARED_PACKAGES.join(', ')}`;
      if (kind === 'local' && targetLayer !== 'shared') return 'src/shared may import only src/shared';
      return null;
    case 'renderer':
      if (kind === 'electron' || kind === 'builtin') return 'the renderer must not import Node or Electron modules';
      if (kind === 'package' && !RENDERER_PACKAGES.includes(pkg)) {
        return `renderer package "${pkg}" is not allow-listed (scripts/check-layers.mjs RENDERER_PACKAGES)`;
      }
      if (kind === 'local' && targetLayer !== 'renderer' && targetLayer !== 'shared') {
        return 'the renderer may import only src/renderer and src/shared';
      }
      return null;
    case 'preload':
      if (kind === 'builtin') return 'the sandboxed preload cannot load Node modules';
      if (kind === 'package') return 'the preload may import only electron and src/shared';
      if (kind === 'local' && targetLayer !== 'preload' && targetLayer !== 'shared') {
        return 'the preload may import only electron and src/shared';
      }
      return null;
    case 'engine':
      if (kind === 'electron') return "only src/main/app and src/main/index.ts may import 'electron'";
      if (kind === 'local' && ['app', 'renderer', 'preload'].includes(targetLayer)) {
        return `src/main engine code must not import ${targetLayer === 'app' ? 'src/main/app (Electron layer)' : `the ${targetLayer}`}`;
      }
      return null;
    case 'app':
      if (kind === 'local' && (targetLayer === 'renderer' || targetLayer === 'preload')) {
        return `the main process must not import the ${targetLayer}`;
      }
      return null;
    default:
      return null;
  }
}

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (SOURCE_EXT.test(entry.name) && !entry.name.endsWith('.d.ts')) yield full;
  }
}

/** Checks every source file under root/src; returns "file: message (import)" strings. */
export function checkLayers(root) {
  const violations = [];
  for (const file of walk(path.join(root, 'src'))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const layer = layerOf(rel);
    // Tests run under Vitest in Node, whatever folder they sit in.
    if (/\.test\.ts$/.test(rel)) continue;
    for (const spec of importsOf(file, readFileSync(file, 'utf8'))) {
      const message = checkImport(layer, classify(root, file, spec));
      if (message) violations.push(`${rel}: ${message} (imports "${spec}")`);
    }
  }
  return violations;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = checkLayers(root);
  for (const v of violations) console.error(v);
  if (violations.length > 0) {
    console.error(`check-layers: ${violations.length} import(s) cross a layer boundary`);
    process.exit(1);
  }
  console.log('check-layers: imports follow the layer rules');
}
