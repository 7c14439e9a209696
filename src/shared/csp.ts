/**
 * The renderer's Content-Security-Policy, in one place. The build writes it
 * into index.html's <meta>, the Electron protocol handler sends it as a header,
 * and the test bridge derives its variant (one extra WebSocket origin) from it.
 * Nothing here may allow 'unsafe-eval', 'unsafe-inline' or a remote origin;
 * a unit test holds that line.
 */
export type CspDirectives = Readonly<Record<string, readonly string[]>>;

export const RENDERER_CSP_DIRECTIVES: CspDirectives = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  // data:/blob: because the canvas exports and previews images that way;
  // patina: is the main process serving restore results (patina://result/<handle>).
  'img-src': ["'self'", 'data:', 'blob:', 'patina:'],
  'font-src': ["'self'"],
  // patina: again: the editor fetches raw mask bytes main serves there (a reopened project's layers).
  'connect-src': ["'self'", 'patina:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-src': ["'none'"],
  // Ignored (with a console warning) in a <meta>; only sent as a header.
  'frame-ancestors': ["'none'"],
};

const HEADER_ONLY = new Set(['frame-ancestors']);

export interface SerializeOptions {
  /** Leave out directives browsers ignore in <meta http-equiv>. */
  readonly forMeta?: boolean;
  /** Sources appended per directive (e.g. the bridge's ws:// origin, or dev server needs). */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

export function serializeCsp(directives: CspDirectives, options: SerializeOptions = {}): string {
  const merged = new Map<string, string[]>();
  for (const [name, sources] of Object.entries(directives)) merged.set(name, [...sources]);
  for (const [name, sources] of Object.entries(options.extra ?? {})) {
    merged.set(name, [...(merged.get(name) ?? []), ...sources]);
  }
  return [...merged]
    .filter(([name]) => !(options.forMeta && HEADER_ONLY.has(name)))
    .map(([name, sources]) => `${name} ${[...new Set(sources)].join(' ')}`)
    .join('; ');
}
