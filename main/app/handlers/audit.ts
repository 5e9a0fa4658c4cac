// Handlers: purpose-bound unmasking, audit log views, chain verification,
// anomaly alerts.
import type { Actor } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import { UNMASK_PURPOSES } from '../../../shared/unmask';
import { assertNoPersonalData } from '../../audit/personal-text';
import { verifyAllChains } from '../../chain/verify';
import { loadSigningKey } from '../../chain/signing-key';
import type { Handlers } from '../../ipc/router';
import { openPersonalField } from '../../store/parcels';
import type { AppContext } from '../context';
import { chargedToRequester } from './on-the-spot';

type AuditHandlers = Pick<Handlers, 'parcels.unmask' | 'audit.list' | 'audit.verify' | 'anomaly.list' | 'anomaly.review'>;

export function auditHandlers(app: AppContext): AuditHandlers {
  const s = () => app.unlocked();
  return {
    'parcels.unmask': ({ parcelId, field, purpose, note, approval, totp }, { actor }) => {
      const { sessions, oversight, station, settings } = s();
      // Incident mode: full values for supervisors only, whoever approves.
      if (actor.role !== 'supervisor' && s().lifecycle.restricted()) throw new AppError('ACCESS_RESTRICTED');
      // The note goes into the audit chain in clear: refused before any code is spent.
      assertNoPersonalData(note, 'note');
      // Clerks need a supervisor on the spot; a supervisor confirms with a fresh code.
      let approver: Actor | null = null;
      if (actor.role === 'supervisor') sessions.confirmTotp(actor, totp);
      else if (!approval) throw new AppError('APPROVAL_REQUIRED');
      else {
        if (approval.username.toLowerCase() === actor.username.toLowerCase()) throw new AppError('APPROVER_NOT_SUPERVISOR');
        approver = chargedToRequester(s(), actor, { username: approval.username, for: 'parcels.unmask', parcelIds: [parcelId] }, () =>
          sessions.approval(actor, approval.username, approval.pin, approval.totp, 'parcels.unmask'),
        );
      }
      const exists = station.db.prepare('SELECT 1 FROM parcels WHERE id = ?').get(parcelId);
      if (!exists) throw new AppError('PARCEL_NOT_FOUND');
      oversight.record(
        {
          action: 'parcels.unmask',
          actor,
          purpose: `${purpose}: ${UNMASK_PURPOSES[purpose].en}; ${note}`,
          parcelIds: [parcelId],
          detail: { field, approvedBy: approver?.username ?? null },
        },
        { kind: 'unmask', shiftStartedAt: sessions.shiftStartedAt(actor.userId) },
      );
      const value = openPersonalField(station.db, station.keys, parcelId, field);
      if (value === null) throw new AppError('DATA_ERASED');
      return { field, value, revealSeconds: settings.get('unmask.revealSeconds') };
    },
    'audit.list': (filter) => s().oversight.audit.query(filter),
    'audit.verify': () => {
      const { station } = s();
      // The key the unlocked station holds, not whatever public key the file claims.
      return verifyAllChains(station.db, loadSigningKey(station).publicKey, { logs: ['audit'] }).results.map((r) =>
        r.ok
          ? { log: r.log, ok: true, entries: r.entries }
          : { log: r.log, ok: false, entries: 0, firstBadSeq: r.firstBadSeq, problem: r.problem },
      );
    },
    'anomaly.list': ({ openOnly }) => s().oversight.alerts(openOnly),
    'anomaly.review': ({ alertId, note }, { actor }) => s().oversight.review(alertId, actor, note),
  };
}
