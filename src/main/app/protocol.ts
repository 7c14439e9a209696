import { pathToFileURL } from 'node:url';
import { net, protocol, type CustomScheme } from 'electron';
import { RENDERER_CSP_DIRECTIVES, serializeCsp } from '@shared/csp';
import { contentTypeFor, resolveStaticPath } from '../static/files';

/*
 * The renderer is served from app://patina/ instead of file://, so it has a
 * real origin ('self' in the CSP means only our files), cannot read arbitrary
 * local files by URL, and every response carries the CSP header.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'patina';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Must run before the app is ready. Electron keeps only the last call's list,
 * so any other scheme (e.g. one for image previews) is passed in here too.
 */
export function registerAppScheme(others: readonly CustomScheme[] = []): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ...others,
  ]);
}

export function serveRenderer(root: string): void {
  const csp = serializeCsp(RENDERER_CSP_DIRECTIVES);
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveRequestPath(root, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    let response: Response;
    try {
      response = await net.fetch(pathToFileURL(file).toString());
    } catch {
      return new Response('Not found', { status: 404 });
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Type', contentTypeFor(file));
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** Maps app://patina/<path> to a file under root; null for other hosts or paths escaping root. */
export function resolveRequestPath(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.host !== APP_HOST) return null;
  return resolveStaticPath(root, parsed.pathname === '/' ? '/index.html' : parsed.pathname);
}
