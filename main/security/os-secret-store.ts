// Whether the OS secret store behind Electron's safeStorage really protects
// anything. On Linux without a keyring, safeStorage falls back to
// "basic_text": a key hard-coded in Chromium, so a copied station.db would
// unlock anywhere. Auto-unlock is only offered on a real backend.
const REAL_LINUX_BACKENDS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function canSealWithOs(env: { platform: string; encryptionAvailable: boolean; linuxBackend?: string }): boolean {
  if (!env.encryptionAvailable) return false;
  return env.platform !== 'linux' || REAL_LINUX_BACKENDS.has(env.linuxBackend ?? '');
}
