import { describe, expect, it, vi } from 'vitest';
import type { AppInfo } from '@shared/ipc/app';
import { defineHandlers, type CallContext, type HandlerModule } from './handlers';
import { createRouter, IpcFailure } from './router';
import { withUnusedHandlers } from './unused-handlers';

const info: AppInfo = {
  name: 'Patina',
  version: '9.9.9',
  platform: 'linux',
  arch: 'x64',
  versions: { node: '20', electron: null, chrome: null },
  model: null,
  modelIssue: 'none yet',
  executionProvider: 'cpu',
};

const ctx: CallContext = { callerId: 'test', emit: () => {} };

/** Channels these tests do not exercise still need a handler: the router refuses gaps. */
const restoreUnused: HandlerModule = {
  'restore:run': async () => {
    throw new Error('restore:run is not exercised here');
  },
  'restore:cancel': () => ({ cancelled: false }),
};

function modules(openImage: HandlerModule['dialog:open-image'] = async () => ({ files: [] })): HandlerModule[] {
  return withUnusedHandlers([defineHandlers({ 'app:info': async () => info }), { 'dialog:open-image': openImage }, restoreUnused]);
}

describe('createRouter', () => {
  it('answers a valid request with ok + value', async () => {
    const router = createRouter(modules());
    await expect(router.dispatch('app:info', undefined, ctx)).resolves.toEqual({ ok: true, value: info });
  });

  it('passes the validated argument and the context to the handler', async () => {
    const handler = vi.fn(async () => ({ files: [{ grant: 'handle-of-a-png-0001', path: '/a.png' }] }));
    const router = createRouter(modules(handler));
    const result = await router.dispatch('dialog:open-image', { multiple: true, title: 'Pick' }, ctx);
    expect(result).toEqual({ ok: true, value: { files: [{ grant: 'handle-of-a-png-0001', path: '/a.png' }] } });
    expect(handler).toHaveBeenCalledWith({ multiple: true, title: 'Pick' }, ctx);
  });

  it.each([
    ['a string', 'restore:everything'],
    ['a number', 42],
    ['null', null],
    ['an inherited property name', 'toString'],
  ])('refuses an unknown channel given as %s', async (_label, channel) => {
    const router = createRouter(modules());
    const result = await router.dispatch(channel, undefined, ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('UNKNOWN_CHANNEL');
  });

  it.each([
    ['app:info', 42, ''],
    ['app:info', { verbose: true }, ''],
    ['dialog:open-image', { multiple: 'yes' }, 'multiple'],
    ['dialog:open-image', { title: '' }, 'title'],
    ['dialog:open-image', { unexpected: 1 }, ''],
    ['dialog:open-image', 'open', ''],
  ])('answers INVALID_ARGUMENT for %s(%j) without calling the handler', async (channel, arg, path) => {
    const handler = vi.fn(async () => ({ files: [] }));
    const router = createRouter(modules(handler));
    const result = await router.dispatch(channel, arg, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_ARGUMENT');
    expect(result.error.message).toContain(channel);
    const issues = (result.error.details as { issues: { path: string }[] }).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => i.path)).toContain(path);
    expect(handler).not.toHaveBeenCalled();
  });

  it('returns the code of an IpcFailure a handler throws', async () => {
    const router = createRouter(
      modules(async () => {
        throw new IpcFailure('NOT_FOUND', 'No such photo', { path: '/x.png' });
      }),
    );
    await expect(router.dispatch('dialog:open-image', undefined, ctx)).resolves.toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No such photo', details: { path: '/x.png' } },
    });
  });

  it('hides unexpected errors behind INTERNAL and logs them', async () => {
    const logError = vi.fn();
    const router = createRouter(
      modules(async () => {
        throw new Error('secret stack detail');
      }),
      { logError },
    );
    const result = await router.dispatch('dialog:open-image', undefined, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INTERNAL');
    expect(result.error.message).not.toContain('secret');
    expect(logError).toHaveBeenCalledWith('dialog:open-image', expect.any(Error));
  });

  it('lets mapError turn known engine errors into the error shape', async () => {
    class EngineLike extends Error {
      code = 'MODEL_MISSING';
    }
    const router = createRouter(
      modules(async () => {
        throw new EngineLike('Model manifest not found');
      }),
      { mapError: (err) => (err instanceof EngineLike ? { code: err.code, message: err.message } : undefined) },
    );
    await expect(router.dispatch('dialog:open-image', undefined, ctx)).resolves.toEqual({
      ok: false,
      error: { code: 'MODEL_MISSING', message: 'Model manifest not found' },
    });
  });

  it('keeps serving after failures', async () => {
    const router = createRouter(modules());
    await router.dispatch('nope', undefined, ctx);
    await router.dispatch('app:info', 'bad', ctx);
    await expect(router.dispatch('app:info', undefined, ctx)).resolves.toMatchObject({ ok: true });
  });

  it('refuses to start with a missing, duplicate or unknown handler', () => {
    expect(() => createRouter([{ 'app:info': async () => info }])).toThrow(/No handler.*dialog:open-image/);
    expect(() => createRouter([...modules(), { 'app:info': async () => info }])).toThrow(/Two handlers.*app:info/);
    expect(() => createRouter([...modules(), { 'app:bogus': async () => 1 } as HandlerModule])).toThrow(/unknown channel/);
  });
});
