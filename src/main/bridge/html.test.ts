import { describe, expect, it } from 'vitest';
import { adaptIndexHtml } from './html';

const BUILT = `<!doctype html><html><head>
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'self'" />
    <script type="module" crossorigin src="./assets/index.js"></script>
  </head><body></body></html>`;

describe('adaptIndexHtml', () => {
  it('replaces the policy and loads the shim right after it, before the app', () => {
    const html = adaptIndexHtml(BUILT, "default-src 'none'; connect-src 'self' ws://127.0.0.1:9", '/__patina/bridge-shim.js?token=abc');
    expect(html).toContain(`content="default-src 'none'; connect-src 'self' ws://127.0.0.1:9"`);
    expect(html.match(/Content-Security-Policy/g)).toHaveLength(1);
    const shim = html.indexOf('bridge-shim.js');
    expect(shim).toBeGreaterThan(html.indexOf('Content-Security-Policy'));
    expect(shim).toBeLessThan(html.indexOf('./assets/index.js'));
  });

  it('escapes attribute values', () => {
    const html = adaptIndexHtml(BUILT, 'a"b', '/x?token=<t>&u');
    expect(html).toContain('content="a&quot;b"');
    expect(html).toContain('src="/x?token=&lt;t>&amp;u"');
  });

  it('refuses a page without a CSP meta', () => {
    expect(() => adaptIndexHtml('<html><head></head></html>', "default-src 'none'", '/s.js')).toThrow(/no Content-Security-Policy/);
  });
});
