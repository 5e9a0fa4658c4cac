// Seals the store's data key with an OS-held secret so the counter PC can
// unlock at start without anyone typing the passphrase. In Electron this is
// safeStorage (DPAPI on Windows, Keychain on macOS, libsecret/kwallet on
// Linux), supplied by main/shell; services only see this interface so they
// still run under plain Node. The store always keeps the passphrase-wrapped
// key as well, so losing the OS secret (new Windows profile, wiped keyring)
// never loses the data.
export interface KeyProtector {
  /** False when the OS offers no real secret store (e.g. Linux "basic_text"), so nothing is sealed. */
  isAvailable(): boolean;
  protect(secret: Uint8Array): Uint8Array;
  /** Throws when the blob was sealed by another user/machine or is damaged. */
  unprotect(blob: Uint8Array): Uint8Array;
}
