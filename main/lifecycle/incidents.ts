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

  private get db() {
    return this.station.db;
  }

  private seal(text: string, column: string, id: number): Uint8Array {
    return sealText(this.station.keys.field, text, `${column}#${id}`);
  }

  private open(ct: Uint8Array, column: string, id: number): string {
    return openText(this.station.keys.field, ct, `${column}#${id}`);
  }

  create(actor: Actor, input: NewIncident): Incident {
    const { db } = this;
    const id = db
      .transaction(() => {
        const at = this.now();
        const prefix = `INC-${localDay(at, stationTimeZone(this.station)).replaceAll('-', '')}-`;
        const n = (db.prepare('SELECT COUNT(*) FROM incidents WHERE reference LIKE ?').pluck().get(`${prefix}%`) as number) + 1;
        // The sealed values bind the row id, so the row comes first with placeholders.
        const rowId = Number(
          db
            .prepare(
              `INSERT INTO incidents (reference, type, discovered_at, recorded_at, recorded_by, reporter_ct, description_ct)
               VALUES (?, ?, ?, ?, ?, X'', X'')`,
            )
            .run(`${prefix}${String(n).padStart(2, '0')}`, input.type, new Date(input.discoveredAt).toISOString(), at.toISOString(), actor.userId)
            .lastInsertRowid,
        );
        db.prepare('UPDATE incidents SET reporter_ct = ?, description_ct = ? WHERE id = ?').run(
          this.seal(input.reporter, 'incidents.reporter', rowId),
          this.seal(input.description, 'incidents.description', rowId),
          rowId,
        );
        return rowId;
      })
      .immediate();
    return this.get(id);
  }

  update(id: number, patch: { type?: IncidentType; discoveredAt?: string; description?: string }): Incident {
    this.openIncident(id);
    const { db } = this;
    db.transaction(() => {
      if (patch.type) db.prepare('UPDATE incidents SET type = ? WHERE id = ?').run(patch.type, id);
      if (patch.discoveredAt) db.prepare('UPDATE incidents SET discovered_at = ? WHERE id = ?').run(new Date(patch.discoveredAt).toISOString(), id);
      if (patch.description) db.prepare('UPDATE incidents SET description_ct = ? WHERE id = ?').run(this.seal(patch.description, 'incidents.description', id), id);
    })();
    return this.get(id);
  }

  step(actor: Actor, id: number, input: NewStep): Incident {
    this.openIncident(id);
    const { db } = this;
    db.transaction(() => {
      const now = this.now().toISOString();
      const stepId = Number(
        db
          .prepare(
            `INSERT INTO incident_steps (incident_id, kind, at, recorded_at, recorded_by, notification_required, whom)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            input.kind,
            input.at ? new Date(input.at).toISOString() : now,
            now,
            actor.userId,
            input.notificationRequired === undefined ? null : input.notificationRequired ? 1 : 0,
            input.whom ?? null,
          ).lastInsertRowid,
      );
      if (input.note) db.prepare('UPDATE incident_steps SET note_ct = ? WHERE id = ?').run(this.seal(input.note, 'incident_steps.note', stepId), stepId);
    })();
    return this.get(id);
  }

  /** Adds the selected parcels to the incident; returns the selection masked. */
  affected(id: number, select: AffectedSelection): AffectedParcels {
    this.openIncident(id);
    const { db, keys } = this.station;
    const ids = this.select(select);
    const add = db.prepare('INSERT OR IGNORE INTO incident_parcels (incident_id, parcel_id) VALUES (?, ?)');
    const added = db.transaction(() => ids.reduce((n, parcelId) => n + add.run(id, parcelId).changes, 0))();
    const row = db.prepare(`SELECT ${PARCEL_ROW_COLUMNS} FROM parcels WHERE id = ?`);
    const parcels = ids.slice(0, LISTED).map((parcelId) => ({ ...toMaskedParcel(keys, row.get(parcelId) as ParcelRow), id: parcelId }));
    return { incident: this.get(id), added, parcels, more: ids.length > LISTED };
  }

  close(actor: Actor, id: number, rootCause: string, remediation: string): Incident {
    this.openIncident(id);
    this.db
      .prepare('UPDATE incidents SET closed_at = ?, closed_by = ?, root_cause_ct = ?, remediation_ct = ? WHERE id = ?')
      .run(
        this.now().toISOString(),
        actor.userId,
        this.seal(rootCause, 'incidents.root_cause', id),
        this.seal(remediation, 'incidents.remediation', id),
        id,
      );
    return this.get(id);
  }

  list(openOnly: boolean): IncidentSummary[] {
    const rows = this.db
      .prepare(`SELECT ${INCIDENT_COLUMNS} FROM incidents i ${openOnly ? 'WHERE i.closed_at IS NULL' : ''} ORDER BY i.discovered_at DESC LIMIT 500`)
      .all() as IncidentRow[];
    return rows.map((r) => this.summary(r));
  }

  get(id: number): Incident {
    const r = this.db.prepare(`SELECT ${INCIDENT_COLUMNS} FROM incidents i WHERE i.id = ?`).get(id) as IncidentRow | undefined;
    if (!r) throw new AppError('INCIDENT_NOT_FOUND', String(id));
    const steps = this.db
      .prepare(
        `SELECT s.id, s.kind, s.at, s.recorded_at, u.username AS recorded_by, s.notification_required, s.whom, s.note_ct
         FROM incident_steps s LEFT JOIN users u ON u.id = s.recorded_by WHERE s.incident_id = ? ORDER BY s.at, s.id`,
      )
      .all(id) as StepRow[];
    const counts = this.db
      .prepare('SELECT p.status, COUNT(*) AS n FROM incident_parcels ip JOIN parcels p ON p.id = ip.parcel_id WHERE ip.incident_id = ? GROUP BY p.status')
      .all(id) as { status: ParcelStatus; n: number }[];
    const affectedByStatus = Object.fromEntries(PARCEL_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?.n ?? 0])) as Record<ParcelStatus, number>;
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
      affected: r.affected,
    };
  }

  private openIncident(id: number): void {
    const closed = this.db.prepare('SELECT closed_at FROM incidents WHERE id = ?').get(id) as { closed_at: string | null } | undefined;
    if (!closed) throw new AppError('INCIDENT_NOT_FOUND', String(id));
    if (closed.closed_at) throw new AppError('INCIDENT_CLOSED', String(id));
  }

  private select(s: AffectedSelection): number[] {
    const { db, keys } = this.station;
    switch (s.by) {
      case 'dates': {
        // Parcels that arrived in the period, and those imported then that never arrived.
        const { fromIso, toIso } = periodRange(s.from, s.to, stationTimeZone(this.station));
        return db
          .prepare(
            `SELECT id FROM parcels WHERE arrived_at >= @fromIso AND arrived_at < @toIso
             UNION SELECT id FROM parcels WHERE arrived_at IS NULL AND created_at >= @fromIso AND created_at < @toIso ORDER BY id`,
          )
          .pluck()
          .all({ fromIso, toIso }) as number[];
      }
      case 'shelf':
        return db
          .prepare(`SELECT id FROM parcels WHERE status = 'on_shelf' AND shelf = ? ${s.layer ? 'AND layer = ?' : ''} ORDER BY id`)
          .pluck()
          .all(...(s.layer ? [s.shelf, s.layer] : [s.shelf])) as number[];
      case 'search':
        return db
          .prepare(`SELECT id FROM parcels WHERE ${SEARCH_COLUMN[s.query.by]} = ? ORDER BY id`)
          .pluck()
          .all(searchValue(keys, s.query)) as number[];
    }
  }
}
