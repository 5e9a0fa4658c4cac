// Detached signatures for exported files (shred ledger, audit log, reports),
// checkable offline by whoever receives them: no store, no passphrase, just
// the file, its `.sig` and the station's key learnt some other way (its
// fingerprint printed on the PDF and at setup, or the public-key file from
// `station-key`). The public key also travels inside the signature file, so
// a valid signature without a pinned key only shows that *someone* signed
// the file: the CLI refuses to call that a pass.
//
// The SM2 signature covers a small message, not the file itself: canonical
// JSON (canonical.ts) naming the file's SM3 digest and size, the key, the
// time, and the signed heads of the station's chains at export (so
// `verify --against` can later check that the store still holds them).
// The signature file carries that message base64-encoded, byte for byte as
// signed, and the DER signature base64-encoded, so OpenSSL alone can check
// it (docs/inspectors.md, scripts/verify-export-openssl.sh).
import { sm3 } from '../crypto/sm3';
import { canonicalJson } from './canonical';
import { toHex } from './hash';
import { fingerprintOf, isValidPublicKey, verifySignature } from '../crypto/sm2';
import { SIGNATURE_ALGORITHM, type SigningKey } from './signing-key';

export const EXPORT_SIGNATURE_FORMAT = 'privacy-counter/export-signature/v2';
/** Signature files written before the heads were signed: the signed fields sat at the top level. */
const EXPORT_SIGNATURE_V1 = 'privacy-counter/export-signature/v1';
/** The SM2 distinguishing id that goes into Z (GB/T 35276 default). */
export const SM2_USER_ID = '1234567812345678';

export interface SignedHeadJson {
  seq: number;
  hash: string;
}

/** The signed message. */
interface SignedFields {
  format: string;
  algorithm: string;
  user_id: string;
  public_key: string;
  fingerprint: string;
  sm3: string;
  size: number;
  signed_at: string;
  /** The store whose chains the heads belong to; null for files signed without heads. */
  store_id: string | null;
  heads: Record<string, SignedHeadJson>;
}

export interface ExportSignatureFile {
  format: string;
  message_base64: string;
  signature_der_base64: string;
}

/** The chains' heads an export vouches for: the checkpoints made for it. */
export interface ExportSeal {
  storeId: string;
  heads: readonly { log: string; seq: number; headHash: Uint8Array }[];
}

export type ExportCheck =
  | { ok: true; fingerprint: string; signedAt: string; storeId: string | null; heads: Record<string, SignedHeadJson> }
  | {
      ok: false;
      reason: 'malformed' | 'unsupported' | 'bad-public-key' | 'unexpected-key' | 'size-mismatch' | 'digest-mismatch' | 'bad-signature';
      /** The key the file names, when it could be read: for a person to compare. */
      fingerprint?: string;
    };

export function signExport(bytes: Uint8Array, key: SigningKey, now: Date = new Date(), seal?: ExportSeal): string {
  const fields: SignedFields = {
    format: EXPORT_SIGNATURE_FORMAT,
    algorithm: SIGNATURE_ALGORITHM,
    user_id: SM2_USER_ID,
    public_key: key.publicKey,
    fingerprint: key.fingerprint,
    sm3: toHex(sm3(bytes)),
    size: bytes.length,
    signed_at: now.toISOString(),
    store_id: seal?.storeId ?? null,
    heads: Object.fromEntries((seal?.heads ?? []).map((h) => [h.log, { seq: h.seq, hash: toHex(h.headHash) }])),
  };
  const message = canonicalJson(fields);
  const file: ExportSignatureFile = {
    format: EXPORT_SIGNATURE_FORMAT,
    message_base64: Buffer.from(message, 'utf8').toString('base64'),
    signature_der_base64: Buffer.from(key.sign(message), 'hex').toString('base64'),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export const normaliseFingerprint = (f: string): string => f.replace(/\s+/g, '').toLowerCase();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function validHeads(v: unknown): v is Record<string, SignedHeadJson> {
  return isRecord(v) && Object.values(v).every((h) => isRecord(h) && Number.isSafeInteger(h.seq) && typeof h.hash === 'string' && /^[0-9a-f]{64}$/.test(h.hash));
}

/** The signed fields, the exact text signed and the hex signature; null if the file is not one. */
function parse(sigText: string): { fields: SignedFields; message: string; signature: string } | null {
  const f = parseJson(sigText);
  if (!isRecord(f)) return null;
  let fields: Record<string, unknown>;
  let message: string;
  let signature: string;
  if (f.format === EXPORT_SIGNATURE_V1) {
    const { signature: s, ...rest } = f;
    if (typeof s !== 'string') return null;
    fields = { ...rest, store_id: null, heads: {} };
    message = canonicalJson(rest);
    signature = s;
  } else {
    if (typeof f.message_base64 !== 'string' || typeof f.signature_der_base64 !== 'string') return null;
    if (!BASE64.test(f.message_base64) || !BASE64.test(f.signature_der_base64)) return null;
    message = Buffer.from(f.message_base64, 'base64').toString('utf8');
    const m = parseJson(message);
    if (!isRecord(m)) return null;
    fields = m;
    signature = Buffer.from(f.signature_der_base64, 'base64').toString('hex');
  }
  const strings = ['format', 'algorithm', 'user_id', 'public_key', 'fingerprint', 'sm3', 'signed_at'];
  if (!strings.every((k) => typeof fields[k] === 'string') || !Number.isSafeInteger(fields.size)) return null;
  if (!(fields.store_id === null || typeof fields.store_id === 'string') || !validHeads(fields.heads)) return null;
  return { fields: fields as unknown as SignedFields, message, signature };
}

/**
 * Never throws on bad input: a forged or damaged signature file is an answer,
 * not an error. Without `expectedFingerprint` an `ok` only means the file is
 * as someone signed it; callers that vouch for the station must pin the key.
 */
export function verifyExport(bytes: Uint8Array, sigText: string, opts: { expectedFingerprint?: string } = {}): ExportCheck {
  const parsed = parse(sigText);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const { fields: f, message, signature } = parsed;
  if (![EXPORT_SIGNATURE_FORMAT, EXPORT_SIGNATURE_V1].includes(f.format) || f.algorithm !== SIGNATURE_ALGORITHM || f.user_id !== SM2_USER_ID) {
    return { ok: false, reason: 'unsupported' };
  }
  if (!isValidPublicKey(f.public_key) || f.fingerprint !== fingerprintOf(f.public_key)) return { ok: false, reason: 'bad-public-key' };
  const found = { fingerprint: f.fingerprint };
  if (opts.expectedFingerprint !== undefined && normaliseFingerprint(opts.expectedFingerprint) !== normaliseFingerprint(f.fingerprint)) {
    return { ok: false, reason: 'unexpected-key', ...found };
  }
  if (f.size !== bytes.length) return { ok: false, reason: 'size-mismatch', ...found };
  if (f.sm3 !== toHex(sm3(bytes))) return { ok: false, reason: 'digest-mismatch', ...found };
  if (!verifySignature(f.public_key, message, signature)) return { ok: false, reason: 'bad-signature', ...found };
  return { ok: true, fingerprint: f.fingerprint, signedAt: f.signed_at, storeId: f.store_id, heads: f.heads };
}
