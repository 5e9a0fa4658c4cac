// Detached signatures for exported files (shred ledger, audit log), checkable
// offline by whoever receives them: no store, no passphrase, just the file,
// its `.sig.json` and, ideally, the station's fingerprint learnt some other way
// (printed at setup). Without an expected fingerprint a valid signature only
// shows the file is unchanged since *someone* signed it, because the public key
// travels inside the signature file.
//
// The SM2 signature covers the canonical JSON of every other field, among them
// the file's SM3 digest and size, rather than the file itself: exports can be
// large, and sm-crypto would turn every byte into hex first. Without this
// code: recompute SM3 of the file, then check the signature over the canonical
// JSON (sorted keys, no spaces) of the other fields with OpenSSL 3 (see
// publicKeyPem in signing-key.ts).
import { sm3 } from '../crypto/sm3';
import { canonicalJson } from './canonical';
import { toHex } from './hash';
import { fingerprintOf, isValidPublicKey, SIGNATURE_ALGORITHM, verifySignature, type SigningKey } from './signing-key';

export const EXPORT_SIGNATURE_FORMAT = 'privacy-counter/export-signature/v1';
/** The SM2 distinguishing id that goes into Z (GB/T 35276 default). */
const USER_ID = '1234567812345678';

interface SignedFields {
  format: string;
  algorithm: string;
  user_id: string;
  public_key: string;
  fingerprint: string;
  sm3: string;
  size: number;
  signed_at: string;
}

export type ExportSignatureFile = SignedFields & { signature: string };

export type ExportCheck =
  | { ok: true; fingerprint: string; signedAt: string }
  | {
      ok: false;
      reason: 'malformed' | 'unsupported' | 'bad-public-key' | 'unexpected-key' | 'size-mismatch' | 'digest-mismatch' | 'bad-signature';
    };

export function signExport(bytes: Uint8Array, key: SigningKey, now: Date = new Date()): string {
  const fields: SignedFields = {
    format: EXPORT_SIGNATURE_FORMAT,
    algorithm: SIGNATURE_ALGORITHM,
    user_id: USER_ID,
    public_key: key.publicKey,
    fingerprint: key.fingerprint,
    sm3: toHex(sm3(bytes)),
    size: bytes.length,
    signed_at: now.toISOString(),
  };
  const file: ExportSignatureFile = { ...fields, signature: key.sign(canonicalJson(fields)) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

const normaliseFingerprint = (f: string): string => f.replace(/\s+/g, '').toLowerCase();

function parse(sigText: string): ExportSignatureFile | null {
  let v: unknown;
  try {
    v = JSON.parse(sigText);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const f = v as Record<string, unknown>;
  const strings = ['format', 'algorithm', 'user_id', 'public_key', 'fingerprint', 'sm3', 'signed_at', 'signature'];
  if (!strings.every((k) => typeof f[k] === 'string') || !Number.isSafeInteger(f.size)) return null;
  return f as unknown as ExportSignatureFile;
}

/** Never throws on bad input: a forged or damaged signature file is an answer, not an error. */
export function verifyExport(bytes: Uint8Array, sigText: string, opts: { expectedFingerprint?: string } = {}): ExportCheck {
  const f = parse(sigText);
  if (!f) return { ok: false, reason: 'malformed' };
  if (f.format !== EXPORT_SIGNATURE_FORMAT || f.algorithm !== SIGNATURE_ALGORITHM || f.user_id !== USER_ID) {
    return { ok: false, reason: 'unsupported' };
  }
  if (!isValidPublicKey(f.public_key) || f.fingerprint !== fingerprintOf(f.public_key)) return { ok: false, reason: 'bad-public-key' };
  if (opts.expectedFingerprint !== undefined && normaliseFingerprint(opts.expectedFingerprint) !== normaliseFingerprint(f.fingerprint)) {
    return { ok: false, reason: 'unexpected-key' };
  }
  if (f.size !== bytes.length) return { ok: false, reason: 'size-mismatch' };
  if (f.sm3 !== toHex(sm3(bytes))) return { ok: false, reason: 'digest-mismatch' };
  // Exactly the signed fields: anything else in the file is not covered and is ignored.
  const signed: SignedFields = {
    format: f.format,
    algorithm: f.algorithm,
    user_id: f.user_id,
    public_key: f.public_key,
    fingerprint: f.fingerprint,
    sm3: f.sm3,
    size: f.size,
    signed_at: f.signed_at,
  };
  if (!verifySignature(f.public_key, canonicalJson(signed), f.signature)) return { ok: false, reason: 'bad-signature' };
  return { ok: true, fingerprint: f.fingerprint, signedAt: f.signed_at };
}
