#!/usr/bin/env node
// Import-direction check (part of `npm run lint`). The rules, from docs/ARCHITECTURE.md:
//   - only src/main/app/**, the main entry (src/main/index.ts) and the preload import 'electron';
//   - src/shared imports nothing but src/shared and zod (no Node built-ins, no DOM: the latter is
//     enforced by tsconfig.shared.json having neither lib);
//   - the renderer imports only src/renderer, src/shared and its allow-listed packages;
//   - the preload imports only 'electron' and src/shared;
//   - the engine (src/main outside app/) never imports src/main/app, the preload or the renderer;
//   - inside the engine, a folder imports only folders on lower floors (ENGINE_FLOORS);
//   - no import circles anywhere under src/ (file to file, type-only imports included).
// Usage: node scripts/check-layers.mjs [root]   (exit 1 and one line per violation)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** npm packages the renderer bundle may use. Add here, deliberately, when the renderer needs one. */
export const RENDERER_PACKAGES = ['svelte', 'fabric', '@fontsource-variable/inter'];
export const SHARED_PACKAGES = ['zod'];

/**
 * The engine's floors, lowest first: a folder of src/main (or a file at its root, without .ts)
 * imports its own folder and folders on lower floors only, never one beside it or above it, so
 * every capability can be read and tested without the ones built on it. errors/ is the ground
 * under everything (the one EngineError); imaging, inference and jobs are the first floor.
 * A new folder goes on a floor here before other engine folders may import it or it them.
 */
export const ENGINE_FLOORS = [
  ['errors'],
  ['imaging', 'inference', 'jobs', 'ipc', 'static'],
  ['access', 'tone', 'faces'],
  ['defects', 'documents', 'about', 'dialogs'],
  ['restore', 'settings'],
  ['batch'],
  ['cli'],
  ['backend'],
  ['bridge'],
];

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

/** The engine folder of a src/main path ('restore', 'backend' for src/main/backend.ts), or null. */
function engineRoomOf(rel) {
  const m = /^src\/main\/([^/]+?)(\.[cm]?[jt]s)?(\/|$)/.exec(rel);
  return m ? m[1] : null;
}

function floorOf(room) {
  const floor = ENGINE_FLOORS.findIndex((rooms) => rooms.includes(room));
  return floor < 0 ? null : floor;
}

/** Test support under a testing/ folder builds and drives the engine the way tests do, so it sits outside the floors. */
function isTestSupport(rel) {
  return /\.test\.ts$/.test(rel) || /(^|\/)testing\//.test(rel);
}

/** Returns the violation message for an engine import that runs against ENGINE_FLOORS, or null. */
export function checkEngineOrder(fromRel, targetRel) {
  const from = engineRoomOf(fromRel);
  const to = engineRoomOf(targetRel);
  if (!from || !to || from === to || layerOf(targetRel) !== 'engine') return null;
  const fromFloor = floorOf(from);
  const toFloor = floorOf(to);
  if (fromFloor === null) return `src/main/${from} is not on a floor of ENGINE_FLOORS (scripts/check-layers.mjs)`;
  if (toFloor === null) return `src/main/${to} is not on a floor of ENGINE_FLOORS (scripts/check-layers.mjs)`;
  if (toFloor >= fromFloor) {
    return `engine floors: ${from} (floor ${fromFloor}) must not import ${to} (floor ${toFloor}); imports go down only`;
  }
  return null;
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

const RESOLVE_SUFFIXES = ['', '.ts', '.js', '.mjs', '.svelte', '/index.ts', '/index.js'];

/** The repo-relative file an import names, or null when it names none in the tree (a CSS file, say). */
function resolveLocal(root, target) {
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = path.join(root, target + suffix);
    if (existsSync(candidate) && statSync(candidate).isFile() && SOURCE_EXT.test(candidate)) return target + suffix;
  }
  return null;
}

/** Checks every source file under root/src; returns "file: message (import)" strings. */
export function checkLayers(root) {
  const violations = [];
  const graph = new Map();
  for (const file of walk(path.join(root, 'src'))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const layer = layerOf(rel);
    // Tests run under Vitest in Node, whatever folder they sit in.
    if (/\.test\.ts$/.test(rel)) continue;
    const edges = [];
    graph.set(rel, edges);
    for (const spec of importsOf(file, readFileSync(file, 'utf8'))) {
      const imported = classify(root, file, spec);
      const message = checkImport(layer, imported);
      if (message) violations.push(`${rel}: ${message} (imports "${spec}")`);
      if (imported.kind !== 'local') continue;
      const target = resolveLocal(root, imported.target);
      if (target) edges.push(target);
      const order = layer === 'engine' && !isTestSupport(rel) ? checkEngineOrder(rel, target ?? imported.target) : null;
      if (order) violations.push(`${rel}: ${order} (imports "${spec}")`);
    }
  }
  for (const circle of findCircles(graph)) {
    violations.push(`${circle[0]}: import circle ${[...circle, circle[0]].join(' -> ')}`);
  }
  return violations;
}

/**
 * Import circles in a file graph (Map of file -> files it imports): one list per strongly connected
 * set of two or more files (or a file importing itself), as one loop through it, in a stable order.
 */
export function findCircles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const circles = [];
  const strongConnect = (start) => {
    // Iterative Tarjan: deep renderer chains would overflow a recursive one on small stacks.
    const work = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const [node, i] = top;
      const edges = graph.get(node) ?? [];
      if (i < edges.length) {
        top[1]++;
        const to = edges[i];
        if (!graph.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push([to, 0]);
        } else if (onStack.has(to)) {
          low.set(node, Math.min(low.get(node), index.get(to)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) !== index.get(node)) continue;
      const members = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        members.push(member);
      } while (member !== node);
      if (members.length > 1 || edges.includes(node)) circles.push(loopThrough(graph, new Set(members)));
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) strongConnect(node);
  return circles.sort((a, b) => a[0].localeCompare(b[0]));
}

/** One loop through a strongly connected set, from its first file (by name) back to it. */
function loopThrough(graph, members) {
  const first = [...members].sort()[0];
  const previous = new Map([[first, null]]);
  const queue = [first];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const to of [...(graph.get(node) ?? [])].sort()) {
      if (to === first) {
        const loop = [];
        for (let at = node; at !== null; at = previous.get(at)) loop.unshift(at);
        return loop;
      }
      if (members.has(to) && !previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [first];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = checkLayers(root);
  for (const v of violations) console.error(v);
  if (violations.length > 0) {
    console.error(`check-layers: ${violations.length} import(s) break the layer rules`);
    process.exit(1);
  }
  console.log('check-layers: imports follow the layer rules');
}
