// Carrier manifests come as UTF-8 (with or without BOM) or, when exported
// from Excel on a Chinese Windows PC, as GBK/GB18030. Strict UTF-8 decoding
// fails on GBK bytes with near certainty, so it decides.
export type ManifestEncoding = 'utf-8' | 'gb18030';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const gb18030 = new TextDecoder('gb18030');

export function decodeManifest(bytes: Uint8Array): { text: string; encoding: ManifestEncoding } {
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: gb18030.decode(bytes), encoding: 'gb18030' };
  }
}
