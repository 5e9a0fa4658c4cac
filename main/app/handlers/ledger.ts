// Handlers: the shred ledger for paper waybills and the signed PDF/CSV
// exports of the ledger and of the audit log (services/ledger.ts).
import type { Handlers } from '../../ipc/router';
import type { AppContext } from '../context';

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
  const s = () => app.unlocked().ledger;
  return {
    'ledger.batch.open': (_input, { actor }) => s().openBatch(actor),
    'ledger.batch.list': () => s().openBatches(),
    'ledger.batch.scan': ({ batchId, waybill }, { actor }) => s().scan(actor, batchId, waybill),
    'ledger.batch.addCount': ({ batchId, count, note }, { actor }) => s().addCount(actor, batchId, count, note),
    'ledger.batch.remove': ({ batchId, waybill }) => s().remove(batchId, waybill),
    'ledger.destroy': ({ witness, ...input }, { actor }) => s().destroy(actor, witness, input),
    'ledger.signoff': ({ entryId }, { actor }) => s().signoff(actor, entryId),
    'ledger.correct': ({ totp: _totp, ...input }, { actor }) => s().correct(actor, input),
    'ledger.list': ({ from, to }) => s().entries(from, to),
    'ledger.outstanding': () => s().outstanding(),
    'ledger.settings': async ({ outstandingDays }, { actor }) => ({ outstandingDays: await s().setOutstandingDays(actor, outstandingDays) }),
    'ledger.export': ({ format, from, to }, { actor, ctx }) =>
      s().exportLedger(actor, { format, from, to }, (done, total) => ctx.emit('ledger.export.progress', { kind: 'ledger', format, done, total })),
    'audit.export': ({ format, from, to, userId, action, parcelId }, { actor, ctx }) =>
      s().exportAudit(actor, { format, from, to }, { userId, action, parcelId }, (done, total) =>
        ctx.emit('ledger.export.progress', { kind: 'audit', format, done, total }),
      ),
  };
}
