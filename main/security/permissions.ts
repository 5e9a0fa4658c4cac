// Permission policy: the renderer gets no web permission at all — camera,
// microphone, geolocation, notifications, clipboard reads, and the WebHID /
// WebUSB / Web Serial APIs. Scanners and printers are driven from main via
// node-hid, never from web content. Shaped like Signal-Desktop's permission
// handler: pure factories here, installed on the session by main/shell.

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
    details?: { requestingUrl?: string },
  ): void => {
    onDenied({ permission, requestingUrl: details?.requestingUrl });
    callback(false);
  };
}

/** For session.setPermissionCheckHandler; Chromium checks before it requests, so this denies silently. */
export function createPermissionCheckHandler() {
  return (_webContents: unknown, _permission: string): boolean => false;
}

/** For session.setDevicePermissionHandler: no HID/USB/serial device is ever pre-granted. */
export function createDevicePermissionHandler() {
  return (_details: unknown): boolean => false;
}
