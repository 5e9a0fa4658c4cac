// Numbered migrations, applied in order inside one transaction each;
// PRAGMA user_version records how far a store has come.
import type { Db } from '../database';
import initial from './001-initial';
import devices from './002-devices';
import chain from './003-chain';
import counter from './004-counter';
import accounts from './005-accounts';
import audit from './006-audit';
import shredLedger from './007-shred-ledger';
import lifecycle from './008-lifecycle';
import accountRecovery from './009-account-recovery';
import rowMac from './010-row-mac';
import importState from './011-import-state';
import deviceUris from './012-device-uris';
import notify from './013-notify';
import stationOperations from './014-station-operations';
import notifyRekeyReceipts from './015-notify-rekey-receipts';
import deviceWorkstations from './016-device-workstations';

const migrations: readonly string[] = [initial, devices, chain, counter, accounts, audit, shredLedger, lifecycle, accountRecovery, rowMac, importState, deviceUris, notify, stationOperations, notifyRekeyReceipts, deviceWorkstations];

export const LATEST_SCHEMA = migrations.length;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db): void {
  for (let v = schemaVersion(db); v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
