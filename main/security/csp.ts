// The one Content-Security-Policy. Everything the renderer runs ships in the
// bundle; it talks to main only over IPC, so it needs no network at all.
// No 'unsafe-inline' styles: React's style props are set through the CSSOM,
// which style-src does not govern, and the renderer has no <style> element or
// style attribute in markup, so injected markup cannot restyle the screen
// (e.g. hide the masked/unmasked cue or overlay a fake dialog).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response to the renderer carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};

/**
 * For session.webRequest.onHeadersReceived: the response headers with ours
 * replacing any same-named header in whatever case it arrived, so a response
 * cannot bring a looser policy of its own.
 */
export function withSecurityHeaders(responseHeaders: Record<string, string[]> | undefined): Record<string, string[]> {
  const ours = new Set(Object.keys(SECURITY_HEADERS).map((h) => h.toLowerCase()));
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(responseHeaders ?? {})) {
    if (!ours.has(name.toLowerCase())) out[name] = values;
  }
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) out[name] = [value];
  return out;
}
