// What every handler group gets: the options, the unlocked station's services
// and the station lifecycle. One place builds the services for an unlocked
// station, so handlers never construct their own.
import { hostname } from 'node:os';
import { AppError } from '../../shared/errors';
import type { StationStatus } from '../../shared/ipc/contract';
import { AuditLog } from '../audit/audit-log';
import { Oversight } from '../audit/oversight';
import { Accounts } from '../auth/accounts';
import type { HashCost } from '../auth/password';
import { Sessions } from '../auth/sessions';
import { ParcelLookup } from '../counter/lookup';
import { PickupDesk } from '../counter/pickup';
import { ProblemFlags } from '../counter/problems';
import { ReturnDesk } from '../counter/returns';
import { ScanIn } from '../inbound/scan-in';
import type { KeyProtector } from '../crypto/key-protector';
import { ShredLedger } from '../ledger/shred-ledger';
import { Settings } from '../settings/settings';
import { isInitialised, readStationName, type KdfCost, type Station } from '../store/station';

export interface StationAppOptions {
  dbPath: string;
  kdfCost?: KdfCost;
  /** Staff password/PIN hashing cost; tests lower it. */
  hashCost?: HashCost;
  keyProtector?: KeyProtector;
  workstation?: string;
  now?: () => Date;
  /** Unexpected errors (bugs), for the shell's log. Never given personal data. */
  onInternalError?: (e: unknown) => void;
}

export interface Services {
  station: Station;
  settings: Settings;
  accounts: Accounts;
  sessions: Sessions;
  lookup: ParcelLookup;
  oversight: Oversight;
  scanIn: ScanIn;
  pickup: PickupDesk;
  returns: ReturnDesk;
  problems: ProblemFlags;
  ledger: ShredLedger;
}

export class AppContext {
  private services: Services | null = null;
  readonly now: () => Date;

  readonly workstation: string;

  constructor(readonly opts: StationAppOptions) {
    this.now = opts.now ?? (() => new Date());
    this.workstation = opts.workstation ?? hostname();
  }

  open(station: Station): void {
    this.services?.station.close();
    const settings = new Settings(station.db);
    const accounts = new Accounts(station, this.now, this.opts.hashCost);
    const sessions = new Sessions(accounts, settings, this.workstation, this.now);
    const oversight = new Oversight(station, new AuditLog(station, this.now), sessions, settings, this.now);
    const now = this.now;
    this.services = {
      station,
      settings,
      accounts,
      sessions,
      lookup: new ParcelLookup(station),
      oversight,
      scanIn: new ScanIn(station, { now }),
      // Which parcels appeared on whose screen; the tail feeds the browsing rule and is not logged.
      pickup: new PickupDesk(station, {
        now,
        onLookup: (actor, query, parcelIds) =>
          oversight.record(
            { action: 'parcels.view', actor, parcelIds, detail: { by: query.by, second: query.second?.by ?? null } },
            { kind: 'lookup', tail: query.by === 'tail' ? query.value : undefined },
          ),
      }),
      returns: new ReturnDesk(station, { now }),
      problems: new ProblemFlags(station, { now }),
      ledger: new ShredLedger(station, settings, now),
    };
  }

  close(): void {
    this.services?.station.close();
    this.services = null;
  }

  get isOpen(): boolean {
    return this.services !== null;
  }

  unlocked(): Services {
    if (!this.services) throw new AppError(isInitialised(this.opts.dbPath) ? 'LOCKED' : 'NOT_INITIALISED');
    return this.services;
  }

  status(): StationStatus {
    const initialised = this.services !== null || isInitialised(this.opts.dbPath);
    return {
      initialised,
      unlocked: this.services !== null,
      stationName: this.services?.station.name ?? (initialised ? readStationName(this.opts.dbPath) : null),
    };
  }
}
