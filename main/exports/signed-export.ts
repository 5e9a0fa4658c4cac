// One export, whatever it lists: the table rendered as PDF or CSV, and a
// detached SM2 signature over the bytes. The caller checkpoints its chain
// first and passes that checkpoint in, so the PDF prints the head it vouches
// for; with `chains` (ledger and audit exports) every chain's head is
// printed, written into the CSV's last line and signed.
import type { ExportFormat, SignedExport } from '../../shared/ipc/ledger';
import type { Checkpoint } from '../chain/chain-log';
import { signExport } from '../chain/export-signature';
import { toHex } from '../chain/hash';
import type { SigningKey } from '../chain/signing-key';
import type { ExportContext } from './format';
import { tableToCsv } from './csv';
import { tableToPdf } from './pdf';
import type { StationSeal } from './seal';
import type { ExportTable } from './table';

export interface SignedExportOptions {
  seal: Checkpoint;
  /** The heads of all of the station's chains, `seal` among them. */
  chains?: StationSeal;
  signer: SigningKey;
  now: Date;
  onProgress?: (done: number, total: number) => void;
}

/** An export's context without a period (reports about one incident or one request), plus its signature. */
export type ReportContext = Omit<ExportContext, 'from' | 'to'> & { seal: Checkpoint; signer: SigningKey };

/** The CSV's last line: the key and the heads, for a reader without the `.sig` (README, docs/inspectors.md). */
export function csvSealLine(fingerprint: string, heads: readonly Checkpoint[]): string {
  return [`# 签名 signed-by-key=${fingerprint.replace(/ /g, '')}`, ...heads.map((h) => `${h.log}-head=${h.seq}:${toHex(h.headHash)}`)].join('; ');
}

export async function signedExport(table: ExportTable, format: ExportFormat, opts: SignedExportOptions): Promise<SignedExport> {
  const heads = opts.chains ? [opts.seal, ...opts.chains.heads.filter((h) => h.log !== opts.seal.log)] : [opts.seal];
  let bytes: Uint8Array;
  if (format === 'pdf') bytes = await tableToPdf(table, heads, { onProgress: opts.onProgress, now: opts.now });
  else {
    bytes = tableToCsv(table, [csvSealLine(opts.signer.fingerprint, heads)]);
    opts.onProgress?.(table.rows.length, table.rows.length);
  }
  return { fileName: `${table.fileStem}.${format}`, bytes, signature: signExport(bytes, opts.signer, opts.now, opts.chains) };
}
