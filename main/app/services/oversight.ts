// Audit and oversight application service: purpose-bound unmasking, the
// audit log's views, chain verification, anomaly alerts and their review.
import type { Actor } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import { UNMASK_PURPOSES, type UnmaskPurpose } from '../../../shared/unmask';
import type { AnomalySettings } from '../../../shared/anomaly-settings';
import { readAnomalySettings, writeAnomalySettings } from '../../audit/anomaly-settings';
import type { AuditFilter } from '../../audit/audit-log';
import { assertNoPersonalData } from '../../audit/personal-text';
import { loadSigningKey } from '../../chain/signing-key';
import { verifyAllChains } from '../../chain/verify';
import { openPersonalField, type PersonalField } from '../../store/parcels';
import { withEmbeddedDb } from '../../store/station';
import type { ServiceDeps } from './deps';
import { chargedToRequester } from './on-the-spot';

export interface UnmaskRequest {
  parcelId: number;
  field: PersonalField;
  purpose: UnmaskPurpose;
  note: string;
  /** A clerk's: the supervisor on the spot. */
  approval?: { username: string; pin: string; totp: string };
  /** A supervisor's own fresh code. */
  totp?: string;
}

export class OversightService {
  constructor(
    private readonly deps: ServiceDeps,
    /** Incident mode: full values for supervisors only. */
    private readonly restricted: () => Promise<boolean>,
  ) {}

  /**
   * One personal field in full, for a stated purpose. Clerks need a
   * supervisor on the spot; a supervisor confirms with a fresh code. The
   * note goes into the audit chain in clear, so it is refused before any
   * code is spent.
   */
  async unmask(actor: Actor, { parcelId, field, purpose, note, approval, totp }: UnmaskRequest) {
    const { sessions, oversight, station, settings, tx } = this.deps;
    if (actor.role !== 'supervisor' && (await this.restricted())) throw new AppError('ACCESS_RESTRICTED');
    assertNoPersonalData(note, 'note');
    let approver: Actor | null = null;
    if (actor.role === 'supervisor') await sessions.confirmTotp(actor, totp);
    else if (!approval) throw new AppError('APPROVAL_REQUIRED');
    else {
      if (approval.username.toLowerCase() === actor.username.toLowerCase()) throw new AppError('APPROVER_NOT_SUPERVISOR');
      approver = await chargedToRequester(this.deps, actor, { username: approval.username, for: 'parcels.unmask', parcelIds: [parcelId] }, () =>
        sessions.approval(actor, approval.username, approval.pin, approval.totp, 'parcels.unmask'),
      );
    }
    return tx.run(async (t) => {
      const exists = await t.value('SELECT 1 FROM parcels WHERE id = ?', parcelId);
      if (exists === undefined) throw new AppError('PARCEL_NOT_FOUND');
      await oversight.record(
        t,
        {
          action: 'parcels.unmask',
          actor,
          purpose: `${purpose}: ${UNMASK_PURPOSES[purpose].en}; ${note}`,
          parcelIds: [parcelId],
          detail: { field, approvedBy: approver?.username ?? null },
        },
        { kind: 'unmask', shiftStartedAt: sessions.shiftStartedAt(actor.userId) },
      );
      const value = await openPersonalField(t, station.keys, parcelId, field);
      if (value === null) throw new AppError('DATA_ERASED');
      return { field, value, revealSeconds: await settings.get(t, 'unmask.revealSeconds') };
    });
  }

  auditEntries(filter: AuditFilter) {
    return this.deps.oversight.audit.query(this.deps.station.store, filter);
  }

  /** The audit chain against the key the unlocked station holds, not whatever public key the file claims. */
  async verifyAudit() {
    const { station } = this.deps;
    const { results } = await withEmbeddedDb(station, (db) => verifyAllChains(db, loadSigningKey(station).publicKey, { logs: ['audit'] }));
    return results.map((r) =>
      r.ok
        ? { log: r.log, ok: true, entries: r.entries }
        : { log: r.log, ok: false, entries: 0, firstBadSeq: r.firstBadSeq, problem: r.problem },
    );
  }

  alerts(openOnly: boolean) {
    return this.deps.oversight.alerts(this.deps.station.store, openOnly);
  }

  openAlertCount() {
    return this.deps.oversight.openAlertCount(this.deps.station.store);
  }

  anomalySettings(): Promise<AnomalySettings> {
    return readAnomalySettings(this.deps.settings, this.deps.station.store);
  }

  updateAnomalySettings(actor: Actor, patch: Partial<AnomalySettings>): Promise<AnomalySettings> {
    return this.deps.tx.run(async (tx) => {
      const settings = await writeAnomalySettings(this.deps.settings, tx, patch);
      await this.deps.oversight.record(tx, { action: 'settings.change', actor, detail: { scope: 'anomaly', ...patch } });
      return settings;
    });
  }

  review(actor: Actor, alertId: number, note: string) {
    return this.deps.tx.run((t) => this.deps.oversight.review(t, alertId, actor, note));
  }
}
