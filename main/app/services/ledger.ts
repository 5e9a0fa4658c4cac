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

  openBatch(actor: Actor) {
    return this.ledger.openBatch(actor);
  }

  openBatches() {
    return this.ledger.openBatches();
  }

  scan(actor: Actor, batchId: number, waybill: string) {
    return this.ledger.scan(actor, batchId, waybill);
  }

  addCount(actor: Actor, batchId: number, count: number, note: string) {
    return this.ledger.addCount(actor, batchId, count, note);
  }

  remove(batchId: number, waybill: string) {
    return this.ledger.remove(batchId, waybill);
  }

  /**
   * A destruction at the counter. The witness authenticates on the spot with
   * PIN and code. Naming oneself is refused before any credential is checked,
   * so it neither counts as a failed attempt nor uses up the code; a failed
   * check is charged to the operator who typed it, not to the witness named.
   */
  destroy(operator: Actor, witness: { username: string; pin: string; totp: string }, input: DestroyInput) {
    const { sessions } = this.deps;
    if (witness.username.toLowerCase() === operator.username.toLowerCase()) throw new AppError('WITNESS_IS_OPERATOR');
    const user = chargedToRequester(this.deps, operator, { username: witness.username, for: 'ledger.destroy' }, () =>
      sessions.onTheSpot(operator, witness.username, witness.pin, witness.totp),
    );
    if (!user.totpEnrolled) throw new AppError('TOTP_NOT_ENROLLED');
    return this.deps.tx.run(() => {
      const entry = this.ledger.destroy(operator, sessions.actorOf(user), input);
      this.deps.oversight.record(shredRecorded(operator, entry));
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
  shredList(actor: Actor, list: ShredList) {
    const { accounts, oversight, tx } = this.deps;
    const operator = this.staffActor(list.operator);
    const witness = this.staffActor(list.witness);
    let wrongCode: Actor | null = null;
    try {
      return tx.run(() => {
        const batch = this.ledger.openBatch(operator);
        list.lines.forEach((waybill, i) => {
          if (!waybill) return;
          try {
            this.ledger.scan(operator, batch.id, waybill);
          } catch (e) {
            throw e instanceof AppError ? new AppError(e.code, `${list.source} line ${i + 1}`) : e;
          }
        });
        const { method, deviceId, certificate, notes } = list;
        const entry = this.ledger.destroy(operator, witness, { batchId: batch.id, method, deviceId, certificate, notes });
        for (const [who, code] of [[operator, list.operatorCode], [witness, list.witnessCode]] as const) {
          if (!accounts.codeMatches(who.username, code)) {
            wrongCode = who;
            throw new AppError('WRONG_CODE', who.username);
          }
        }
        oversight.record(shredRecorded(actor, entry));
        return entry;
      });
    } catch (e) {
      if (!wrongCode) throw e;
      const who: Actor = wrongCode;
      oversight.record(
        { action: 'auth.login_failed', actor: null, username: who.username, workstation: this.deps.workstation, detail: { reason: 'WRONG_CODE', as: who === operator ? 'operator' : 'witness' } },
        { kind: 'login-failed' },
      );
      return accounts.refuseCode(who.username);
    }
  }

  signoff(actor: Actor, entryId: number) {
    return this.deps.tx.run(() => {
      const entry = this.ledger.signoff(actor, entryId);
      this.deps.oversight.record({ action: 'ledger.record', actor, detail: { signoff: entryId, batch: entry.batchId } });
      return entry;
    });
  }

  correct(actor: Actor, input: CorrectInput) {
    return this.deps.tx.run(() => {
      const correction = this.ledger.correct(actor, input);
      this.deps.oversight.record({ action: 'ledger.record', actor, detail: { correction: correction.id, corrects: correction.corrects } });
      return correction;
    });
  }

  /** Station days, both included. */
  entries(from: string, to: string) {
    const { fromIso, toIso } = periodRange(from, to, stationTimeZone(this.deps.station));
    return this.ledger.entries(fromIso, toIso);
  }

  outstanding() {
    return this.ledger.outstanding();
  }

  outstandingCount() {
    return this.ledger.outstandingCount();
  }

  setOutstandingDays(actor: Actor, outstandingDays: number) {
    return this.deps.tx.run(() => {
      const days = this.ledger.setOutstandingDays(outstandingDays);
      this.deps.oversight.record({ action: 'settings.change', actor, detail: { key: 'ledger.outstandingDays', value: days } });
      return days;
    });
  }

  /** The signed ledger export; audited (and counted by the bulk-export rule) before it is rendered. */
  exportLedger(actor: Actor, { format, from, to }: ExportPeriod, onProgress?: Progress) {
    const { station, now } = this.deps;
    const ec = exportContext(station, from, to, staffLabel(actor), now());
    const { fromIso, toIso } = periodRange(from, to, ec.timeZone);
    const entries = this.ledger.entries(fromIso, toIso);
    this.deps.tx.run(() => this.deps.oversight.record(exported(actor, 'shred-ledger', format, from, to, entries.length), { kind: 'export' }));
    return exportLedger(station, entries, format, ec, onProgress);
  }

  /** The signed audit log export, filtered as the auditor chose. */
  exportAudit(actor: Actor, { format, from, to }: ExportPeriod, filter: { userId?: number; action?: AuditAction; parcelId?: number }, onProgress?: Progress) {
    const { station, now, oversight } = this.deps;
    const ec = exportContext(station, from, to, staffLabel(actor), now());
    const entries = auditEntriesBetween(oversight.audit, { ...periodRange(from, to, ec.timeZone), ...filter });
    this.deps.tx.run(() => oversight.record(exported(actor, 'audit-log', format, from, to, entries.length), { kind: 'export' }));
    return exportAudit(station, entries, format, ec, onProgress);
  }

  /** A named staff account acting through the CLI: it must exist and be enabled. */
  private staffActor(username: string): Actor {
    const user = this.deps.accounts.findByUsername(username);
    if (!user) throw new AppError('USER_NOT_FOUND', username);
    if (user.disabled) throw new AppError('ACCOUNT_DISABLED', username);
    return { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, workstation: this.deps.workstation };
  }
}
