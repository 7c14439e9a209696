const CSP_META = /<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*"\s*\/?>/i;

/**
 * Adapts the built index.html for the bridge: swaps in the bridge's CSP (the
 * production one plus the bridge's own ws:// origin) and loads the shim right
 * after it, before any app script. Throws when the built page has no CSP meta:
 * the bridge must never serve a page without a policy.
 */
export function adaptIndexHtml(html: string, csp: string, shimSrc: string): string {
  if (!CSP_META.test(html)) throw new Error('Built index.html has no Content-Security-Policy <meta>; rebuild the renderer');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}" />`;
  const shim = `<script src="${escapeAttr(shimSrc)}"></script>`;
  return html.replace(CSP_META, () => `${meta}\n    ${shim}`);
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
