import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DROPPED_FILE_CHANNEL, REQUEST_CHANNELS } from '@shared/ipc/contract';

/*
 * The Electron hardening that only exists inside Electron, checked without the
 * Electron binary (it cannot be downloaded on the development machines): the
 * packaging config as the packager reads it, and the main-process sources as
 * syntax trees (which call, with which event name and handler), so a removed
 * guard or a flipped setting fails here. What these settings do at run time
 * inside Electron is not exercised (docs/SECURITY.md, "Not tested here").
 */

const root = path.resolve(__dirname, '../../..');
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

function sourceOf(rel: string): ts.SourceFile {
  return ts.createSourceFile(rel, read(rel), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function callsIn(file: ts.SourceFile): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return calls;
}

/** `x.method(...)` calls, as [receiver text, first argument text or '', the call]. */
function methodCalls(file: ts.SourceFile, method: string): { receiver: string; first: string; call: ts.CallExpression }[] {
  return callsIn(file)
    .filter((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === method)
    .map((c) => {
      const first = c.arguments[0];
      return {
        receiver: (c.expression as ts.PropertyAccessExpression).expression.getText(file),
        first: first && ts.isStringLiteralLike(first) ? first.text : (first?.getText(file) ?? ''),
        call: c,
      };
    });
}

describe('Electron hardening in code and config', () => {
  it('the packaged binary has its fuses flipped and its code in an integrity-checked asar', () => {
    const config = parse(read('electron-builder.yml')) as { electronFuses?: Record<string, boolean>; asar?: unknown };
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.asar).not.toBe(false);
  });

  it('sandboxes every renderer before the app is ready', () => {
    const start = sourceOf('src/main/app/start.ts');
    const sandbox = methodCalls(start, 'enableSandbox').filter((c) => c.receiver === 'app');
    expect(sandbox).toHaveLength(1);
    const ready = methodCalls(start, 'whenReady').concat(methodCalls(start, 'on').filter((c) => c.first === 'ready'));
    for (const r of ready) expect(sandbox[0]!.call.getStart()).toBeLessThan(r.call.getStart());
  });

  it('denies navigation of the main frame and of sub-frames, redirects, webviews and new windows', () => {
    const security = sourceOf('src/main/app/security.ts');
    const handlers = new Map(methodCalls(security, 'on').map((c) => [c.first, c.call.arguments[1]?.getText(security) ?? '']));
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(handlers.get(event), event).toMatch(/event\.preventDefault\(\)/);
    }
    const opener = methodCalls(security, 'setWindowOpenHandler');
    expect(opener).toHaveLength(1);
    expect(opener[0]!.call.arguments[0]!.getText(security)).toMatch(/action: 'deny'/);
    for (const permission of ['setPermissionRequestHandler', 'setPermissionCheckHandler', 'setDevicePermissionHandler']) {
      expect(methodCalls(security, permission), permission).toHaveLength(1);
    }
  });

  it('opens the window isolated, sandboxed and without Node', () => {
    const window = sourceOf('src/main/app/window.ts');
    let prefs: ts.ObjectLiteralExpression | undefined;
    const visit = (node: ts.Node) => {
      if (ts.isPropertyAssignment(node) && node.name.getText(window) === 'webPreferences' && ts.isObjectLiteralExpression(node.initializer)) prefs = node.initializer;
      ts.forEachChild(node, visit);
    };
    visit(window);
    expect(prefs).toBeDefined();
    const values = Object.fromEntries(prefs!.properties.filter(ts.isPropertyAssignment).map((p) => [p.name.getText(window), p.initializer.getText(window)]));
    expect(values).toMatchObject({
      contextIsolation: 'true',
      sandbox: 'true',
      nodeIntegration: 'false',
      nodeIntegrationInWorker: 'false',
      webSecurity: 'true',
      allowRunningInsecureContent: 'false',
      webviewTag: 'false',
    });
  });

  it('answers CORS on patina:// results for the app origin only, never *', () => {
    const protocol = sourceOf('src/main/app/result-protocol.ts');
    const origins: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isPropertyAssignment(node) && node.name.getText(protocol).replace(/['"]/g, '') === 'Access-Control-Allow-Origin') origins.push(node.initializer.getText(protocol));
      ts.forEachChild(node, visit);
    };
    visit(protocol);
    expect(origins).toEqual(['appOrigin']);
  });

  it('refuses IPC from frames that are not the app, on every channel main serves', () => {
    const transport = sourceOf('src/main/app/ipc-transport.ts');
    const handles = methodCalls(transport, 'handle').filter((c) => c.receiver === 'ipcMain');
    expect(handles.map((h) => h.first)).toEqual(['channel', 'DROPPED_FILE_CHANNEL']);
    for (const h of handles) expect(h.call.arguments[1]!.getText(transport), h.first).toMatch(/if \(!frameUrl \|\| !isTrustedUrl\(frameUrl\)\)/);
  });

  it("keeps the preload's dropped-file grant channel out of the renderer's reach", () => {
    // The page's invoke() refuses any channel outside REQUEST_CHANNELS; only the preload's grantFile sends this one.
    expect(REQUEST_CHANNELS as readonly string[]).not.toContain(DROPPED_FILE_CHANNEL);
    const preload = sourceOf('src/preload/index.ts');
    const sent = methodCalls(preload, 'invoke').filter((c) => c.receiver === 'ipcRenderer');
    expect(sent.map((c) => c.first).sort()).toEqual(['DROPPED_FILE_CHANNEL', 'channel']);
    // Its path argument comes from webUtils, which only a real File from disk has.
    expect(methodCalls(preload, 'getPathForFile').map((c) => c.receiver)).toEqual(['webUtils']);
    expect(methodCalls(preload, 'exposeInMainWorld').map((c) => c.first)).toEqual(['patina']);
  });
});
