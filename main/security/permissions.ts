// Permission policy: the renderer gets no web permission but one — the
// counter camera (video only, never the microphone, and only for the app's own
// page), which takes the handover photo. No geolocation, notifications,
// clipboard reads, screen capture, or the WebHID / WebUSB / Web Serial APIs:
// scanners and printers are driven from main via node-hid, never from web
// content. Shaped like Signal-Desktop's permission handler: pure factories
// here, installed on the session by main/shell.
import { APP_ORIGIN } from './app-protocol';

export interface PermissionDenial {
  permission: string;
  requestingUrl: string | undefined;
}

/** For session.setPermissionRequestHandler. */
export function createPermissionRequestHandler(onDenied: (d: PermissionDenial) => void = () => {}) {
  return (
    _webContents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
    details?: { requestingUrl?: string; mediaTypes?: string[] },
  ): void => {
    if (cameraOnly(permission, details?.requestingUrl, details?.mediaTypes)) return callback(true);
    onDenied({ permission, requestingUrl: details?.requestingUrl });
    callback(false);
  };
}

/** The app's own page asking for video and nothing else. */
function cameraOnly(permission: string, url: string | undefined, mediaTypes: readonly string[] | undefined): boolean {
  const ours = url === APP_ORIGIN || !!url?.startsWith(`${APP_ORIGIN}/`);
  return permission === 'media' && ours && !!mediaTypes?.length && mediaTypes.every((m) => m === 'video');
}

/** For session.setPermissionCheckHandler; Chromium checks before it requests, so this denies silently. */
export function createPermissionCheckHandler() {
  return (_webContents: unknown, permission: string, requestingOrigin?: string, details?: { mediaType?: string }): boolean =>
    cameraOnly(permission, requestingOrigin, details?.mediaType ? [details.mediaType] : undefined);
}

/** For session.setDevicePermissionHandler: no HID/USB/serial device is ever pre-granted. */
export function createDevicePermissionHandler() {
  return (_details: unknown): boolean => false;
}
