// A station report (stocktake, daily close, settlement) as a signed export:
// both chains checkpointed first, so the file vouches for every entry up to
// and including the one that recorded it.
import type { ExportFormat, SignedExport } from '../../shared/ipc/ledger';
import { AUDIT_LOG } from '../audit/audit-log';
import { loadSigningKey } from '../chain/signing-key';
import type { Station } from '../store/station';
import { headOf, sealStationChains } from './seal';
import { signedExport } from './signed-export';
import type { ExportTable } from './table';

export async function signedStationReport(station: Station, table: ExportTable, format: ExportFormat, now: Date, reason = 'export'): Promise<SignedExport> {
  const chains = await sealStationChains(station, reason, now);
  return signedExport(table, format, { seal: headOf(chains, AUDIT_LOG), chains, signer: loadSigningKey(station), now });
}
