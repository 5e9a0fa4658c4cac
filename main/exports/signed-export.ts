// One export, whatever it lists: the table rendered as PDF or CSV, and a
// detached SM2 signature over the bytes. The caller checkpoints its chain
// first and passes that checkpoint in, so the PDF prints the head it vouches for.
import type { ExportFormat, SignedExport } from '../../shared/ipc/ledger';
import type { Checkpoint } from '../chain/chain-log';
import { signExport } from '../chain/export-signature';
import type { SigningKey } from '../chain/signing-key';
import type { ExportContext } from './format';
import { tableToCsv } from './csv';
import { tableToPdf } from './pdf';
import type { ExportTable } from './table';

export interface SignedExportOptions {
  seal: Checkpoint;
  signer: SigningKey;
  now: Date;
  onProgress?: (done: number, total: number) => void;
}

/** What a signed report on one matter (a person's copy, an incident) is made with. */
/** An export's context without a period (reports about one incident or one request), plus its signature. */
export type ReportContext = Omit<ExportContext, 'from' | 'to'> & { seal: Checkpoint; signer: SigningKey };

export async function signedExport(table: ExportTable, format: ExportFormat, opts: SignedExportOptions): Promise<SignedExport> {
  let bytes: Uint8Array;
  if (format === 'pdf') bytes = await tableToPdf(table, opts.seal, { onProgress: opts.onProgress, now: opts.now });
  else {
    bytes = tableToCsv(table);
    opts.onProgress?.(table.rows.length, table.rows.length);
  }
  return { fileName: `${table.fileStem}.${format}`, bytes, signature: signExport(bytes, opts.signer, opts.now) };
}
