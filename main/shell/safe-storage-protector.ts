// KeyProtector backed by Electron's safeStorage (DPAPI / Keychain / libsecret),
// so the store's key can be sealed to this OS user and the app unlock at start.
import { safeStorage } from 'electron';
import type { KeyProtector } from '../crypto/key-protector';
import { canSealWithOs } from '../security/os-secret-store';

export function createSafeStorageProtector(): KeyProtector {
  return {
    isAvailable: () =>
      canSealWithOs({
        platform: process.platform,
        encryptionAvailable: safeStorage.isEncryptionAvailable(),
        linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
      }),
    // safeStorage seals strings, so the key bytes travel as base64.
    protect: (secret) => new Uint8Array(safeStorage.encryptString(Buffer.from(secret).toString('base64'))),
    unprotect: (blob) => new Uint8Array(Buffer.from(safeStorage.decryptString(Buffer.from(blob)), 'base64')),
  };
}
