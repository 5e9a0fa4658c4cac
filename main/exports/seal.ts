// What an export vouches for besides its own rows: the signed heads of every
// chain of the station (the audit log and the shred ledger), checkpointed for
// it. Whoever holds the export can later ask `verify --against` whether the
// store still contains both chains up to those heads.
import { AUDIT_LOG } from '../audit/audit-log';
import { openChainLog, type Checkpoint } from '../chain/chain-log';
import type { ExportSeal } from '../chain/export-signature';
import { SHRED_LOG } from '../ledger/shred-ledger';
import type { Tx } from '../store/engine/store';
import type { Station } from '../store/station';

export const STATION_LOGS: readonly string[] = [AUDIT_LOG, SHRED_LOG];

export interface StationSeal extends ExportSeal {
  heads: Checkpoint[];
}

/** Checkpoints every chain of the station (idempotent for a head already signed), each in its own transaction. */
export async function sealStationChains(station: Station, reason: string, now: Date): Promise<StationSeal> {
  const heads: Checkpoint[] = [];
  for (const log of STATION_LOGS) heads.push(await openChainLog(station, log).checkpoint(reason, now));
  return { storeId: station.storeId, heads };
}

/** The same in the caller's transaction; Transactions.run anchors them after the commit. */
export async function sealStationChainsIn(tx: Tx, station: Station, reason: string, now: Date): Promise<StationSeal> {
  const heads: Checkpoint[] = [];
  for (const log of STATION_LOGS) heads.push(await openChainLog(station, log).checkpointIn(tx, reason, now));
  return { storeId: station.storeId, heads };
}

/** The seal's checkpoint of one chain, the one the export is about. */
export function headOf(seal: StationSeal, log: string): Checkpoint {
  const head = seal.heads.find((h) => h.log === log);
  if (!head) throw new Error(`no checkpoint of ${log} in the seal`);
  return head;
}
