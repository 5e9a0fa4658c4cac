// SM4-CBC with PKCS#7 padding (GB/T 32907-2016), on typed arrays.
// sm-crypto is used because Electron's BoringSSL has no SM4 (Node's OpenSSL
// does; the known-answer tests cross-check the two).
import { sm4 } from 'sm-crypto';

// sm-crypto indexes keys and IVs and spreads its input itself, so typed arrays
// go in as they are: converting each to number[] first doubled the garbage.
const asArray = (b: Uint8Array): number[] => b as unknown as number[];

export function sm4CbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const out = sm4.encrypt(asArray(plaintext), asArray(key), { mode: 'cbc', iv: asArray(iv), output: 'array' }) as number[];
  return Uint8Array.from(out);
}

/** Throws on bad padding; callers verify the MAC first, so that never leaks. */
export function sm4CbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const out = sm4.decrypt(asArray(ciphertext), asArray(key), { mode: 'cbc', iv: asArray(iv), output: 'array' }) as number[];
  return Uint8Array.from(out);
}

/** One raw SM4 block, no padding: used by the known-answer test. */
export function sm4EncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const out = sm4.encrypt(asArray(block), asArray(key), { padding: 'none', output: 'array' }) as number[];
  return Uint8Array.from(out);
}
