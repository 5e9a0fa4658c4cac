// The incident register: a suspected personal-data incident (a staff member's
// misuse, an attack, a lost PC or paper, a compliance finding) from discovery
// to closure. Main computes the two clocks — assess within 1 hour, notify
// within 48 hours of discovery — and returns them with every read, so the
// home screen can count down until each is met. What was done (access
// restricted, evidence preserved, who was notified when) is recorded as
// steps; the parcels involved are chosen by date, shelf or search. Free text
// may name people, so it is sealed; the audit log gets references and counts.
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import type {
  AffectedParcels,
  AffectedSelection,
  Deadline,
  Incident,
  IncidentStep,
  IncidentStepKind,
  IncidentSummary,
  IncidentType,
  NotifiedParty,
} from '../../shared/ipc/lifecycle';
import { PARCEL_STATUSES, type ParcelStatus } from '../../shared/parcel';
import { localDay } from '../settings/calendar';
import { SEARCH_COLUMN, searchValue } from '../counter/lookup';
import { openText, sealText } from '../crypto/envelope';
import { periodRange, stationTimeZone } from '../exports/format';
import { PARCEL_ROW_COLUMNS, toMaskedParcel, type ParcelRow } from '../store/parcels';
import type { Queryable, Tx } from '../store/engine/store';
import type { Station } from '../store/station';

const ASSESS_WITHIN_MS = 60 * 60 * 1000;
const NOTIFY_WITHIN_MS = 48 * 60 * 60 * 1000;
const LISTED = 200;

interface IncidentRow {
  id: number;
  reference: string;
  type: IncidentType;
  discovered_at: string;
  recorded_at: string;
  closed_at: string | null;
  reporter_ct: Uint8Array;
  description_ct: Uint8Array;
  root_cause_ct: Uint8Array | null;
  remediation_ct: Uint8Array | null;
  assessed_at: string | null;
  notified_at: string | null;
  notification_required: number | null;
  affected: number;
}

interface StepRow {
  id: number;
  kind: IncidentStepKind;
  at: string;
  recorded_at: string;
  recorded_by: string | null;
  notification_required: number | null;
  whom: NotifiedParty | null;
  note_ct: Uint8Array | null;
}

// The clocks read the earliest assessment and notification, and the latest assessment's verdict.
const INCIDENT_COLUMNS = `i.id, i.reference, i.type, i.discovered_at, i.recorded_at, i.closed_at, i.reporter_ct,
  i.description_ct, i.root_cause_ct, i.remediation_ct,
  (SELECT MIN(at) FROM incident_steps WHERE incident_id = i.id AND kind = 'assessed') AS assessed_at,
  (SELECT MIN(at) FROM incident_steps WHERE incident_id = i.id AND kind = 'notified') AS notified_at,
  (SELECT notification_required FROM incident_steps WHERE incident_id = i.id AND kind = 'assessed' ORDER BY at DESC, id DESC LIMIT 1) AS notification_required,
  (SELECT COUNT(*) FROM incident_parcels WHERE incident_id = i.id) AS affected`;

export interface NewIncident {
  type: IncidentType;
  discoveredAt: string;
  reporter: string;
  description: string;
}

export interface NewStep {
  kind: IncidentStepKind;
  at?: string;
  notificationRequired?: boolean;
  whom?: NotifiedParty;
  note?: string;
}

function deadline(dueMs: number, metAt: string | null, nowMs: number, notRequired = false): Deadline {
  const dueAt = new Date(dueMs).toISOString();
  if (metAt) return { dueAt, metAt, state: 'met', remainingMs: null };
  if (notRequired) return { dueAt, metAt: null, state: 'not_required', remainingMs: null };
  return { dueAt, metAt: null, state: nowMs > dueMs ? 'overdue' : 'pending', remainingMs: dueMs - nowMs };
}

export class IncidentRegister {
  constructor(
    private readonly station: Station,
    private readonly now: () => Date,
  ) {}

  private get store() {
    return this.station.store;
  }

  private seal(text: string, column: string, id: number): Uint8Array {
    return sealText(this.station.keys.field, text, `${column}#${id}`);
  }

  private open(ct: Uint8Array, column: string, id: number): string {
    return openText(this.station.keys.field, ct, `${column}#${id}`);
  }

  async create(actor: Actor, input: NewIncident): Promise<Incident> {
    const id = await this.store.transaction(async (tx) => {
      const at = this.now();
      const prefix = `INC-${localDay(at, await stationTimeZone(tx)).replaceAll('-', '')}-`;
      const n = Number(await tx.value('SELECT COUNT(*) FROM incidents WHERE reference LIKE ?', `${prefix}%`)) + 1;
      // The sealed values bind the row id, so the row comes first with placeholders.
      const rowId = Number(
        await tx.value(
          `INSERT INTO incidents (reference, type, discovered_at, recorded_at, recorded_by, reporter_ct, description_ct)
           VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          `${prefix}${String(n).padStart(2, '0')}`, input.type, new Date(input.discoveredAt).toISOString(), at.toISOString(), actor.userId,
          Buffer.alloc(0), Buffer.alloc(0),
        ),
      );
      await tx.run(
        'UPDATE incidents SET reporter_ct = ?, description_ct = ? WHERE id = ?',
        this.seal(input.reporter, 'incidents.reporter', rowId),
        this.seal(input.description, 'incidents.description', rowId),
        rowId,
      );
      return rowId;
    });
    return this.get(id);
  }

  async update(id: number, patch: { type?: IncidentType; discoveredAt?: string; description?: string }): Promise<Incident> {
    await this.store.transaction(async (tx) => {
      await this.openIncident(tx, id);
      if (patch.type) await tx.run('UPDATE incidents SET type = ? WHERE id = ?', patch.type, id);
      if (patch.discoveredAt) await tx.run('UPDATE incidents SET discovered_at = ? WHERE id = ?', new Date(patch.discoveredAt).toISOString(), id);
      if (patch.description) await tx.run('UPDATE incidents SET description_ct = ? WHERE id = ?', this.seal(patch.description, 'incidents.description', id), id);
    });
    return this.get(id);
  }

  /** A step, in the caller's transaction. */
  async step(tx: Tx, actor: Actor, id: number, input: NewStep): Promise<void> {
    await this.openIncident(tx, id);
    const now = this.now().toISOString();
    const stepId = Number(
      await tx.value(
        `INSERT INTO incident_steps (incident_id, kind, at, recorded_at, recorded_by, notification_required, whom)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        id,
        input.kind,
        input.at ? new Date(input.at).toISOString() : now,
        now,
        actor.userId,
        input.notificationRequired === undefined ? null : input.notificationRequired ? 1 : 0,
        input.whom ?? null,
      ),
    );
    if (input.note) await tx.run('UPDATE incident_steps SET note_ct = ? WHERE id = ?', this.seal(input.note, 'incident_steps.note', stepId), stepId);
  }

  /** Adds the selected parcels to the incident; returns the selection masked. */
  async affected(id: number, select: AffectedSelection): Promise<AffectedParcels> {
    const { keys } = this.station;
    const { ids, added } = await this.store.transaction(async (tx) => {
      await this.openIncident(tx, id);
      const selected = await this.select(tx, select);
      let n = 0;
      for (const parcelId of selected) n += (await tx.run('INSERT INTO incident_parcels (incident_id, parcel_id) VALUES (?, ?) ON CONFLICT DO NOTHING', id, parcelId)).changes;
      return { ids: selected, added: n };
    });
    const parcels = [];
    for (const parcelId of ids.slice(0, LISTED)) {
      const row = (await this.store.get<ParcelRow>(`SELECT ${PARCEL_ROW_COLUMNS} FROM parcels WHERE id = ?`, parcelId))!;
      parcels.push({ ...toMaskedParcel(keys, row), id: parcelId });
    }
    return { incident: await this.get(id), added, parcels, more: ids.length > LISTED };
  }

  async close(actor: Actor, id: number, rootCause: string, remediation: string): Promise<Incident> {
    await this.store.transaction(async (tx) => {
      await this.openIncident(tx, id);
      await tx.run(
        'UPDATE incidents SET closed_at = ?, closed_by = ?, root_cause_ct = ?, remediation_ct = ? WHERE id = ?',
        this.now().toISOString(),
        actor.userId,
        this.seal(rootCause, 'incidents.root_cause', id),
        this.seal(remediation, 'incidents.remediation', id),
        id,
      );
    });
    return this.get(id);
  }

  async list(openOnly: boolean): Promise<IncidentSummary[]> {
    const rows = await this.store.all<IncidentRow>(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents i ${openOnly ? 'WHERE i.closed_at IS NULL' : ''} ORDER BY i.discovered_at DESC LIMIT 500`,
    );
    return rows.map((r) => this.summary(r));
  }

  async get(id: number): Promise<Incident> {
    const q = this.store;
    const r = await q.get<IncidentRow>(`SELECT ${INCIDENT_COLUMNS} FROM incidents i WHERE i.id = ?`, id);
    if (!r) throw new AppError('INCIDENT_NOT_FOUND', String(id));
    const steps = await q.all<StepRow>(
      `SELECT s.id, s.kind, s.at, s.recorded_at, u.username AS recorded_by, s.notification_required, s.whom, s.note_ct
       FROM incident_steps s LEFT JOIN users u ON u.id = s.recorded_by WHERE s.incident_id = ? ORDER BY s.at, s.id`,
      id,
    );
    const counts = await q.all<{ status: ParcelStatus; n: number }>(
      'SELECT p.status, COUNT(*) AS n FROM incident_parcels ip JOIN parcels p ON p.id = ip.parcel_id WHERE ip.incident_id = ? GROUP BY p.status',
      id,
    );
    const affectedByStatus = Object.fromEntries(PARCEL_STATUSES.map((s) => [s, Number(counts.find((c) => c.status === s)?.n ?? 0)])) as Record<ParcelStatus, number>;
    return {
      ...this.summary(r),
      reporter: this.open(r.reporter_ct, 'incidents.reporter', id),
      description: this.open(r.description_ct, 'incidents.description', id),
      rootCause: r.root_cause_ct ? this.open(r.root_cause_ct, 'incidents.root_cause', id) : null,
      remediation: r.remediation_ct ? this.open(r.remediation_ct, 'incidents.remediation', id) : null,
      steps: steps.map(
        (s): IncidentStep => ({
          id: s.id,
          kind: s.kind,
          at: s.at,
          recordedAt: s.recorded_at,
          recordedBy: s.recorded_by ?? '',
          notificationRequired: s.notification_required === null ? null : s.notification_required === 1,
          whom: s.whom,
          note: s.note_ct ? this.open(s.note_ct, 'incident_steps.note', s.id) : null,
        }),
      ),
      affectedByStatus,
    };
  }

  private summary(r: IncidentRow): IncidentSummary {
    const discovered = Date.parse(r.discovered_at);
    const now = this.now().getTime();
    return {
      id: r.id,
      reference: r.reference,
      type: r.type,
      discoveredAt: r.discovered_at,
      recordedAt: r.recorded_at,
      closedAt: r.closed_at,
      assessment: deadline(discovered + ASSESS_WITHIN_MS, r.assessed_at, now),
      notification: deadline(discovered + NOTIFY_WITHIN_MS, r.notified_at, now, r.notification_required === 0),
      affected: Number(r.affected),
    };
  }

  private async openIncident(q: Queryable, id: number): Promise<void> {
    const closed = await q.get<{ closed_at: string | null }>('SELECT closed_at FROM incidents WHERE id = ?', id);
    if (!closed) throw new AppError('INCIDENT_NOT_FOUND', String(id));
    if (closed.closed_at) throw new AppError('INCIDENT_CLOSED', String(id));
  }

  private async select(q: Queryable, s: AffectedSelection): Promise<number[]> {
    const { keys } = this.station;
    const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
    switch (s.by) {
      case 'dates': {
        // Parcels that arrived in the period, and those imported then that never arrived.
        const { fromIso, toIso } = periodRange(s.from, s.to, await stationTimeZone(q));
        return ids(
          await q.all<{ id: number }>(
            `SELECT id FROM parcels WHERE arrived_at >= @fromIso AND arrived_at < @toIso
             UNION SELECT id FROM parcels WHERE arrived_at IS NULL AND created_at >= @fromIso AND created_at < @toIso ORDER BY id`,
            { fromIso, toIso },
          ),
        );
      }
      case 'shelf':
        return ids(
          await q.all<{ id: number }>(
            `SELECT id FROM parcels WHERE status = 'on_shelf' AND shelf = ? ${s.layer ? 'AND layer = ?' : ''} ORDER BY id`,
            ...(s.layer ? [s.shelf, s.layer] : [s.shelf]),
          ),
        );
      case 'search':
        return ids(await q.all<{ id: number }>(`SELECT id FROM parcels WHERE ${SEARCH_COLUMN[s.query.by]} = ? ORDER BY id`, searchValue(keys, s.query)));
    }
  }
}
