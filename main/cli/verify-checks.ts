// The checks `verify` runs, each giving one JSON line: every chain from its
// genesis, the anchor file beside the store, the shred ledger's tables
// against its chain, and (with --against) the heads an export signed. A
// further check is one more function returning a CheckLine.
import type { StationKeys } from '../crypto/keyring';
import type { Db } from '../store/database';
import type { Station } from '../store/station';
import { checkAnchors, checkHeads } from '../chain/consistency';
import { verifyExport } from '../chain/export-signature';
import { toHex } from '../chain/hash';
import { verifyAllChainsAsync } from '../chain/verify';
import { STATION_LOGS } from '../exports/seal';
import { checkLedgerProjections } from '../ledger/projections';
import { AppError } from '../../shared/errors';
import { scanParcelRows } from '../store/parcel-integrity';
import { tamperedParcels } from '../store/row-mac';

export interface CheckLine {
  ok: boolean;
  /** Printed as is. */
  line: Record<string, unknown>;
  /** English, ids and seqs only: goes into the error when the check fails. */
  detail?: string;
}

/** An exported file and its detached signature, read before the store is opened. */
export interface ExportFile {
  file: string;
  bytes: Uint8Array;
  sigText: string;
}

/** One line per chain, as before: non-zero naming the first bad entry. */
export async function chainChecks(db: Db, publicKey: string): Promise<CheckLine[]> {
  const { results } = await verifyAllChainsAsync(db, publicKey, { logs: STATION_LOGS });
  return results.map((r) =>
    r.ok
      ? { ok: true, line: { log: r.log, ok: true, entries: r.entries, head: { seq: r.head.seq, hash: toHex(r.head.hash) }, signedSeq: r.signedSeq, fingerprint: r.fingerprint } }
      : { ok: false, line: { log: r.log, ok: false, firstBadSeq: r.firstBadSeq, problem: r.problem }, detail: `${r.log}: ${r.detail}` },
  );
}

/** The newest heads anchored outside the database file must still be in it. */
export function anchorCheck(s: Station, db: Db, publicKey: string): CheckLine {
  const path = s.anchorFile;
  if (!path) return { ok: true, line: { check: 'anchors', ok: true, file: null, anchors: 0 } };
  const r = checkAnchors(db, publicKey, path);
  return r.ok
    ? { ok: true, line: { check: 'anchors', ok: true, file: path, anchors: r.anchors, heads: r.heads } }
    : { ok: false, line: { check: 'anchors', ok: false, file: path, problem: r.problem, line: r.line, detail: r.detail }, detail: `anchors: ${r.detail}` };
}

export function projectionsCheck(db: Db): CheckLine {
  const r = checkLedgerProjections(db);
  return r.ok
    ? { ok: true, line: { check: 'projections', ok: true, entries: r.entries } }
    : { ok: false, line: { check: 'projections', ok: false, table: r.table, seq: r.seq, detail: r.detail }, detail: r.detail };
}

/**
 * The export must be signed by this station's key for this store, and the
 * store must still hold each chain up to the head the export signed: one
 * line per chain, naming what is missing.
 */
export function againstChecks(s: Station, db: Db, fingerprint: string, exported: ExportFile): CheckLine[] {
  const check = verifyExport(exported.bytes, exported.sigText, { expectedFingerprint: fingerprint });
  const base = { check: 'against', file: exported.file };
  if (!check.ok) return [{ ok: false, line: { ...base, ok: false, reason: check.reason }, detail: `${exported.file}: ${check.reason}` }];
  if (check.storeId !== s.storeId) {
    const why = check.storeId === null ? new AppError('EXPORT_NO_HEADS').message : 'the export belongs to another store';
    return [{ ok: false, line: { ...base, ok: false, reason: check.storeId === null ? 'no-heads' : 'other-store' }, detail: why }];
  }
  const heads = Object.entries(check.heads).map(([log, h]) => ({ log, seq: h.seq, hash: new Uint8Array(Buffer.from(h.hash, 'hex')) }));
  return checkHeads(db, heads).map((h) =>
    h.ok
      ? { ok: true, line: { ...base, log: h.log, ok: true, seq: h.seq } }
      : { ok: false, line: { ...base, log: h.log, ok: false, seq: h.seq, storeSeq: h.storeSeq, problem: h.problem, detail: h.detail }, detail: h.detail },
  );
}

/** Every parcel row against its row MAC and its sealed values' own MACs, naming every damaged row. */
export function parcelsCheck(db: Db, keys: StationKeys): CheckLine {
  const { rows, damaged } = scanParcelRows(db, keys);
  const line = { table: 'parcels', ok: damaged.length === 0, rows, damaged };
  return damaged.length === 0 ? { ok: true, line } : { ok: false, line, detail: tamperedParcels(damaged) };
}
