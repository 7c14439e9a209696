import { protocol, type CustomScheme } from 'electron';
import { RESULT_SCHEME } from '../restore/capability';
import { RESULT_HANDLE_PATTERN, type ResultReader } from '../jobs/result-store';

/*
 * patina://result/<handle> serves restore results held by the backend, so
 * pixels reach the renderer as image URLs and never as JSON or base64.
 */

/** Pass to registerAppScheme (Electron keeps only one privileged-scheme list). */
export const RESULT_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: RESULT_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
};

/**
 * Handles are unguessable and the results are the person's own photos; CORS
 * admits the app's own origin only (a canvas that draws one stays exportable,
 * any other page that learned a handle still cannot read it).
 */
export function serveResults(results: ResultReader, appOrigin: string): void {
  protocol.handle(RESULT_SCHEME, (request) => {
    const item = lookup(results, request.url);
    if (!item) return new Response('Not found', { status: 404 });
    return new Response(item.bytes as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: {
        'Content-Type': item.mime,
        'Cache-Control': 'no-store',
        'Access-Control-Allow-Origin': appOrigin,
        Vary: 'Origin',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}

function lookup(results: ResultReader, url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const handle = parsed.pathname.replace(/^\//, '');
  return parsed.host === 'result' && RESULT_HANDLE_PATTERN.test(handle) ? results.get(handle) : undefined;
}
