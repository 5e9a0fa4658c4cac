// Ledger application service: the shred ledger for paper waybills (batches,
// destruction with a witness, sign-off, corrections, the outstanding report)
// and the signed PDF/CSV exports of the ledger and of the audit log. Custody
// steps before a destruction are kept in the batch tables themselves; every
// ledger record and every export is audited.
import type { Actor } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import type { AuditAction } from '../../../shared/ipc/contract';
import type { ExportFormat, ShredMethod } from '../../../shared/ipc/ledger';
import { exported, shredRecorded } from '../../audit/events';
import { auditEntriesBetween, exportAudit } from '../../exports/audit-export';
import { exportContext, periodRange, staffLabel, stationTimeZone } from '../../exports/format';
import { exportLedger } from '../../ledger/ledger-export';
import { ShredLedger, type CorrectInput, type DestroyInput } from '../../ledger/shred-ledger';
import type { ServiceDeps } from './deps';
import { chargedToRequester } from './on-the-spot';

type Progress = (done: number, total: number) => void;

export interface ExportPeriod {
  format: ExportFormat;
  /** Station days, YYYY-MM-DD, both included. */
  from: string;
  to: string;
}

/** A destruction typed at the admin CLI: the waybills scanned (one per line) and each person's current code. */
export interface ShredList {
  operator: string;
  operatorCode: string;
  witness: string;
  witnessCode: string;
  /** Where the lines came from, to name a refused one. */
  source: string;
  lines: string[];
  method: ShredMethod;
  deviceId?: string;
  certificate?: string;
  notes?: string;
}

export class LedgerService {
  private readonly ledger: ShredLedger;

  constructor(private readonly deps: ServiceDeps) {
    this.ledger = new ShredLedger(deps.station, deps.settings, deps.now);
  }

  private get store() {
    return this.deps.station.store;
  }

  openBatch(actor: Actor) {
    return this.deps.tx.run((tx) => this.ledger.openBatch(tx, actor));
  }

  openBatches() {
    return this.ledger.openBatches(this.store);
  }

  scan(actor: Actor, batchId: number, waybill: string) {
    return this.deps.tx.run((tx) => this.ledger.scan(tx, actor, batchId, waybill));
  }

  addCount(actor: Actor, batchId: number, count: number, note: string) {
    return this.deps.tx.run((tx) => this.ledger.addCount(tx, actor, batchId, count, note));
  }

  remove(batchId: number, waybill: string) {
    return this.deps.tx.run((tx) => this.ledger.remove(tx, batchId, waybill));
  }

  /**
   * A destruction at the counter. The witness authenticates on the spot with
   * PIN and code. Naming oneself is refused before any credential is checked,
   * so it neither counts as a failed attempt nor uses up the code; a failed
   * check is charged to the operator who typed it, not to the witness named.
   */
  async destroy(operator: Actor, witness: { username: string; pin: string; totp: string }, input: DestroyInput) {
    const { sessions } = this.deps;
    if (witness.username.toLowerCase() === operator.username.toLowerCase()) throw new AppError('WITNESS_IS_OPERATOR');
    const user = await chargedToRequester(this.deps, operator, { username: witness.username, for: 'ledger.destroy' }, () =>
      sessions.onTheSpot(operator, witness.username, witness.pin, witness.totp),
    );
    if (!user.totpEnrolled) throw new AppError('TOTP_NOT_ENROLLED');
    return this.deps.tx.run(async (tx) => {
      const entry = await this.ledger.destroy(tx, operator, sessions.actorOf(user), input);
      await this.deps.oversight.record(tx, shredRecorded(operator, entry));
      return entry;
    });
  }

  /**
   * A destruction from the admin CLI, recorded as one batch, all or nothing:
   * a refused line records no batch at all. Both people's codes are checked
   * last (replay-protected), so a refused list spends nobody's code; a wrong
   * code outlives the rolled-back batch, audited and counted towards that
   * person's lockout.
   */
  async shredList(actor: Actor, list: ShredList) {
    const { accounts, oversight, tx } = this.deps;
    const operator = await this.staffActor(list.operator);
    const witness = await this.staffActor(list.witness);
    let wrongCode: Actor | null = null;
    try {
      return await tx.run(async (t) => {
        const batch = await this.ledger.openBatch(t, operator);
        for (const [i, waybill] of list.lines.entries()) {
          if (!waybill) continue;
          try {
            await this.ledger.scan(t, operator, batch.id, waybill);
          } catch (e) {
            throw e instanceof AppError ? new AppError(e.code, `${list.source} line ${i + 1}`) : e;
          }
        }
        const { method, deviceId, certificate, notes } = list;
        const entry = await this.ledger.destroy(t, operator, witness, { batchId: batch.id, method, deviceId, certificate, notes });
        for (const [who, code] of [[operator, list.operatorCode], [witness, list.witnessCode]] as const) {
          if (!(await accounts.codeMatches(t, who.username, code))) {
            wrongCode = who;
            throw new AppError('WRONG_CODE', who.username);
          }
        }
        await oversight.record(t, shredRecorded(actor, entry));
        return entry;
      });
    } catch (e) {
      if (!wrongCode) throw e;
      const who: Actor = wrongCode;
      await tx.run((t) =>
        oversight.record(
          t,
          { action: 'auth.login_failed', actor: null, username: who.username, workstation: this.deps.workstation, detail: { reason: 'WRONG_CODE', as: who === operator ? 'operator' : 'witness' } },
          { kind: 'login-failed' },
        ),
      );
      return accounts.refuseCode(this.store, who.username);
    }
  }

  signoff(actor: Actor, entryId: number) {
    return this.deps.tx.run(async (tx) => {
      const entry = await this.ledger.signoff(tx, actor, entryId);
      await this.deps.oversight.record(tx, { action: 'ledger.record', actor, detail: { signoff: entryId, batch: entry.batchId } });
      return entry;
    });
  }

  correct(actor: Actor, input: CorrectInput) {
    return this.deps.tx.run(async (tx) => {
      const correction = await this.ledger.correct(tx, actor, input);
      await this.deps.oversight.record(tx, { action: 'ledger.record', actor, detail: { correction: correction.id, corrects: correction.corrects } });
      return correction;
    });
  }

  /** Station days, both included. */
  async entries(from: string, to: string) {
    const { fromIso, toIso } = periodRange(from, to, await stationTimeZone(this.store));
    return this.ledger.entries(this.store, fromIso, toIso);
  }

  outstanding() {
    return this.ledger.outstanding(this.store);
  }

  outstandingCount() {
    return this.ledger.outstandingCount(this.store);
  }

  setOutstandingDays(actor: Actor, outstandingDays: number) {
    return this.deps.tx.run(async (tx) => {
      const days = await this.ledger.setOutstandingDays(tx, outstandingDays);
      await this.deps.oversight.record(tx, { action: 'settings.change', actor, detail: { key: 'ledger.outstandingDays', value: days } });
      return days;
    });
  }

  /** The signed ledger export; audited (and counted by the bulk-export rule) before it is rendered. */
  async exportLedger(actor: Actor, { format, from, to }: ExportPeriod, onProgress?: Progress) {
    const { station, now } = this.deps;
    const ec = await exportContext(station, from, to, staffLabel(actor), now());
    const { fromIso, toIso } = periodRange(from, to, ec.timeZone);
    const entries = await this.ledger.entries(this.store, fromIso, toIso);
    await this.deps.tx.run((tx) => this.deps.oversight.record(tx, exported(actor, 'shred-ledger', format, from, to, entries.length), { kind: 'export' }));
    return exportLedger(station, entries, format, ec, onProgress);
  }

  /** The signed audit log export, filtered as the auditor chose. */
  async exportAudit(actor: Actor, { format, from, to }: ExportPeriod, filter: { userId?: number; action?: AuditAction; parcelId?: number }, onProgress?: Progress) {
    const { station, now, oversight } = this.deps;
    const ec = await exportContext(station, from, to, staffLabel(actor), now());
    const entries = await auditEntriesBetween(this.store, oversight.audit, { ...periodRange(from, to, ec.timeZone), ...filter });
    await this.deps.tx.run((tx) => oversight.record(tx, exported(actor, 'audit-log', format, from, to, entries.length), { kind: 'export' }));
    return exportAudit(station, entries, format, ec, onProgress);
  }

  /** A named staff account acting through the CLI: it must exist and be enabled. */
  private async staffActor(username: string): Promise<Actor> {
    const user = await this.deps.accounts.findByUsername(this.store, username);
    if (!user) throw new AppError('USER_NOT_FOUND', username);
    if (user.disabled) throw new AppError('ACCOUNT_DISABLED', username);
    return { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, workstation: this.deps.workstation };
  }
}
