// Handlers: the shred ledger for paper waybills (batches, destruction with a
// witness on the spot, sign-off, corrections, the outstanding report) and the
// signed PDF/CSV exports of the ledger and of the audit log.
import type { Actor } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import type { ExportFormat } from '../../../shared/ipc/ledger';
import { auditEntriesBetween, exportAudit } from '../../exports/audit-export';
import { exportContext, periodRange, staffLabel, stationTimeZone } from '../../exports/format';
import type { Handlers } from '../../ipc/router';
import { exportLedger } from '../../ledger/ledger-export';
import type { AppContext } from '../context';
import { chargedToRequester } from './on-the-spot';

type LedgerHandlers = Pick<
  Handlers,
  | 'ledger.batch.open'
  | 'ledger.batch.list'
  | 'ledger.batch.scan'
  | 'ledger.batch.addCount'
  | 'ledger.batch.remove'
  | 'ledger.destroy'
  | 'ledger.signoff'
  | 'ledger.correct'
  | 'ledger.list'
  | 'ledger.outstanding'
  | 'ledger.settings'
  | 'ledger.export'
  | 'audit.export'
>;

export function ledgerHandlers(app: AppContext): LedgerHandlers {
  const s = () => app.unlocked();

  /**
   * The witness authenticates on the spot with PIN and code. Naming oneself
   * is refused before any credential is checked, so it neither counts as a
   * failed attempt nor uses up the code; a failed check is charged to the
   * operator who typed it, not to the witness named.
   */
  const witnessFor = (operator: Actor, w: { username: string; pin: string; totp: string }): Actor => {
    const { sessions } = s();
    if (w.username.toLowerCase() === operator.username.toLowerCase()) throw new AppError('WITNESS_IS_OPERATOR');
    const user = chargedToRequester(s(), operator, { username: w.username, for: 'ledger.destroy' }, () => sessions.onTheSpot(operator, w.username, w.pin, w.totp));
    if (!user.totpEnrolled) throw new AppError('TOTP_NOT_ENROLLED');
    return sessions.actorOf(user);
  };

  const recordExport = (actor: Actor, what: string, format: ExportFormat, from: string, to: string, rows: number) =>
    s().oversight.record({ action: 'export', actor, detail: { what, format, from, to, rows } }, { kind: 'export' });

  return {
    'ledger.batch.open': (_input, { actor }) => s().ledger.openBatch(actor),
    'ledger.batch.list': () => s().ledger.openBatches(),
    'ledger.batch.scan': ({ batchId, waybill }, { actor }) => s().ledger.scan(actor, batchId, waybill),
    'ledger.batch.addCount': ({ batchId, count, note }, { actor }) => s().ledger.addCount(actor, batchId, count, note),
    'ledger.batch.remove': ({ batchId, waybill }) => s().ledger.remove(batchId, waybill),
    'ledger.destroy': ({ witness, ...input }, { actor }) => {
      const { ledger, oversight } = s();
      const entry = ledger.destroy(actor, witnessFor(actor, witness), input);
      oversight.record({
        action: 'ledger.record',
        actor,
        detail: { entry: entry.id, batch: entry.batchId, method: entry.method, sheets: entry.sheets, witness: entry.witness.username },
      });
      return entry;
    },
    'ledger.signoff': ({ entryId }, { actor }) => {
      const entry = s().ledger.signoff(actor, entryId);
      s().oversight.record({ action: 'ledger.record', actor, detail: { signoff: entryId, batch: entry.batchId } });
      return entry;
    },
    'ledger.correct': ({ totp: _totp, ...input }, { actor }) => {
      const correction = s().ledger.correct(actor, input);
      s().oversight.record({ action: 'ledger.record', actor, detail: { correction: correction.id, corrects: correction.corrects } });
      return correction;
    },
    'ledger.list': ({ from, to }) => {
      const { fromIso, toIso } = periodRange(from, to, stationTimeZone(s().station));
      return s().ledger.entries(fromIso, toIso);
    },
    'ledger.outstanding': () => s().ledger.outstanding(),
    'ledger.settings': ({ outstandingDays }, { actor }) => {
      const days = s().ledger.setOutstandingDays(outstandingDays);
      s().oversight.record({ action: 'settings.change', actor, detail: { key: 'ledger.outstandingDays', value: days } });
      return { outstandingDays: days };
    },
    'ledger.export': ({ format, from, to }, { actor, ctx }) => {
      const { station, ledger } = s();
      const ec = exportContext(station, from, to, staffLabel(actor), app.now());
      const { fromIso, toIso } = periodRange(from, to, ec.timeZone);
      const entries = ledger.entries(fromIso, toIso);
      recordExport(actor, 'shred-ledger', format, from, to, entries.length);
      return exportLedger(station, entries, format, ec, (done, total) =>
        ctx.emit('ledger.export.progress', { kind: 'ledger', format, done, total }),
      );
    },
    'audit.export': ({ format, from, to, userId, action, parcelId }, { actor, ctx }) => {
      const { station, oversight } = s();
      const ec = exportContext(station, from, to, staffLabel(actor), app.now());
      const entries = auditEntriesBetween(oversight.audit, { ...periodRange(from, to, ec.timeZone), userId, action, parcelId });
      recordExport(actor, 'audit-log', format, from, to, entries.length);
      return exportAudit(station, entries, format, ec, (done, total) =>
        ctx.emit('ledger.export.progress', { kind: 'audit', format, done, total }),
      );
    },
  };
}
