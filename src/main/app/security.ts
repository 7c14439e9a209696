import { app, session, type WebContents } from 'electron';

/*
 * App-wide hardening, applied to every web contents Electron creates:
 * no navigation away from the app, no new windows, no <webview>, and every
 * permission (camera, notifications, clipboard-read, ...) refused.
 */

export function hardenApp(isAllowedUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, isAllowedUrl));
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

function hardenContents(contents: WebContents, isAllowedUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event) => {
    if (!isAllowedUrl(event.url)) event.preventDefault();
  });
  // Sub-frames too (an injected <iframe> navigating elsewhere); will-navigate sees only the main frame.
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
