import { describe, expect, it } from 'vitest';
import { RENDERER_CSP_DIRECTIVES, serializeCsp } from './csp';

function parse(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name ?? '', sources];
    }),
  );
}

describe('renderer CSP', () => {
  const header = parse(serializeCsp(RENDERER_CSP_DIRECTIVES));

  it('denies by default and runs only our own scripts', () => {
    expect(header.get('default-src')).toEqual(["'none'"]);
    expect(header.get('script-src')).toEqual(["'self'"]);
    expect(header.get('object-src')).toEqual(["'none'"]);
    expect(header.get('base-uri')).toEqual(["'none'"]);
    expect(header.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('allows no eval, no inline code and no remote origin anywhere', () => {
    for (const [name, sources] of header) {
      for (const source of sources) {
        expect(source, `${name} ${source}`).not.toMatch(/unsafe-|^https?:|^wss?:|^\*|^http/);
      }
    }
  });

  it('leaves header-only directives out of the <meta> form', () => {
    expect(parse(serializeCsp(RENDERER_CSP_DIRECTIVES, { forMeta: true })).has('frame-ancestors')).toBe(false);
  });

  it('appends extra sources without duplicating', () => {
    const policy = parse(serializeCsp(RENDERER_CSP_DIRECTIVES, { extra: { 'connect-src': ['ws://127.0.0.1:5000', "'self'"] } }));
    expect(policy.get('connect-src')).toEqual(["'self'", 'patina:', 'ws://127.0.0.1:5000']);
  });
});
