// Wires the pure policies in main/security into Electron. Call once, after
// app ready and before the first window is created.
import { pathToFileURL } from 'node:url';
import { app, net, type Session, type WebContents } from 'electron';
import { APP_ORIGIN, APP_SCHEME, resolveAppAsset } from '../security/app-protocol';
import { SECURITY_HEADERS, withSecurityHeaders } from '../security/csp';
import { denyWindowOpen, isAllowedNavigation } from '../security/navigation';
import {
  createDevicePermissionHandler,
  createPermissionCheckHandler,
  createPermissionRequestHandler,
} from '../security/permissions';

export function installSecurity(ses: Session, rendererDir: string): void {
  ses.setPermissionRequestHandler(
    createPermissionRequestHandler((d) => console.warn(`[security] denied permission "${d.permission}"`)),
  );
  ses.setPermissionCheckHandler(createPermissionCheckHandler());
  ses.setDevicePermissionHandler(createDevicePermissionHandler());
  // webRequest's header hooks only fire for http(s); app:// gets the same headers in serveApp.
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) }),
  );
  ses.protocol.handle(APP_SCHEME, (request) => serveApp(request, rendererDir));
  // Every web contents, including ones we never meant to create.
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
}

function guardContents(contents: WebContents): void {
  // will-frame-navigate covers the main frame and every subframe.
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url, APP_ORIGIN)) event.preventDefault();
  });
  contents.setWindowOpenHandler(denyWindowOpen);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function serveApp(request: Request, rendererDir: string): Promise<Response> {
  const file = resolveAppAsset(request.url, rendererDir);
  if (!file) return new Response(null, { status: 404 });
  let res: Response;
  try {
    res = await net.fetch(pathToFileURL(file).toString());
  } catch {
    return new Response(null, { status: 404 });
  }
  const headers = new Headers(res.headers);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  return new Response(res.body, { status: res.status, headers });
}
