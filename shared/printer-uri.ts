// How a printer (or a virtual COM scanner) is named, in the devices screen and
// on the CLI: one URI per connection type. Pure, so the renderer checks what
// a supervisor types with the same rules main applies.

export const CONNECTION_KINDS = ['usb', 'tcp', 'cups', 'win', 'hid', 'serial'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

export type DeviceUri =
  | { kind: 'usb' | 'hid' | 'serial'; vendorId: number; productId: number; serialNumber?: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'cups' | 'win'; queue: string };

/** Raw TCP printing (JetDirect / AppSocket): what label printers with Ethernet or Wi-Fi listen on. */
export const RAW_TCP_PORT = 9100;

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
const ID = /^([0-9a-f]{4}):([0-9a-f]{4})(?:\/(.+))?$/i;
// A host name, an IPv4 address, or an IPv6 address in brackets; the port optional.
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]{0,252}))(?::(\d{1,5}))?$/i;
// A queue or printer name: printable, no control characters (it reaches lp and PowerShell as one argument).
const isQueueName = (name: string): boolean => name.length >= 1 && name.length <= 127 && [...name].every((c) => c.charCodeAt(0) > 0x1f && c !== '\x7f');

const decode = (s: string): string | null => {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
};

/** The parsed URI, or null when it is malformed (refused whole, never half-read). */
export function parseDeviceUri(text: string): DeviceUri | null {
  const m = /^([a-z]+):\/\/(.+)$/i.exec(text.trim());
  if (!m) return null;
  const kind = m[1].toLowerCase();
  const rest = m[2];
  switch (kind) {
    case 'usb':
    case 'hid':
    case 'serial': {
      const id = ID.exec(rest);
      if (!id) return null;
      const serial = id[3] ? decode(id[3]) : undefined;
      if (serial === null) return null;
      return { kind, vendorId: parseInt(id[1], 16), productId: parseInt(id[2], 16), ...(serial ? { serialNumber: serial } : {}) };
    }
    case 'tcp': {
      const h = HOST.exec(rest.replace(/\/$/, ''));
      if (!h) return null;
      const port = h[2] === undefined ? RAW_TCP_PORT : Number(h[2]);
      if (port < 1 || port > 65535) return null;
      return { kind, host: h[1].replace(/^\[|\]$/g, ''), port };
    }
    case 'cups':
    case 'win': {
      const queue = decode(rest);
      return queue !== null && isQueueName(queue) && (kind === 'win' || !/[\s/#]/.test(queue)) ? { kind, queue } : null;
    }
    default:
      return null;
  }
}

/** The one spelling of a URI: what print jobs and the store record. */
export function formatDeviceUri(u: DeviceUri): string {
  switch (u.kind) {
    case 'tcp':
      return `tcp://${u.host.includes(':') ? `[${u.host}]` : u.host}:${u.port}`;
    case 'cups':
    case 'win':
      return `${u.kind}://${u.queue}`;
    default:
      return `${u.kind}://${hex4(u.vendorId)}:${hex4(u.productId)}${u.serialNumber ? `/${encodeURIComponent(u.serialNumber)}` : ''}`;
  }
}

/** `text` in its one spelling, or null when it is no device URI. */
export const normaliseDeviceUri = (text: string): string | null => {
  const u = parseDeviceUri(text);
  return u ? formatDeviceUri(u) : null;
};
