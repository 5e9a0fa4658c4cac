// Data-subject requests (PIPL arts. 44–47): everything the station holds
// about a phone number, found by its blind index, decrypted here in main only
// to be shown to the supervisor handling the request and exported for the
// person; and its erasure, at once for parcels that have left and by the
// purge for those still at the station. The number asked about is kept sealed
// on the request only until the request is done.
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import type { DsrErasure, DsrKind, DsrRequest, DsrStatus, SubjectAccess, SubjectParcel, SubjectReport } from '../../shared/ipc/lifecycle';
import type { ParcelStatus } from '../../shared/parcel';
import { parsePhone } from '../../shared/phone';
import type { AuditLog } from '../audit/audit-log';
import { localDay } from '../settings/calendar';
import { openText, sealText } from '../crypto/envelope';
import { stationTimeZone } from '../exports/format';
import { openPersonalField } from '../store/parcels';
import type { Station } from '../store/station';
import { DsrRequestRows } from './dsr-requests';
import { ParcelEraser } from './erase';

interface RequestRow {
  id: number;
  reference: string;
  received_at: string;
  kind: DsrKind;
  status: DsrStatus;
  handled_by: string | null;
  subject_ct: Uint8Array | null;
  parcels: number;
  erased: number;
  scheduled: number;
  exported_at: string | null;
  done_at: string | null;
}

interface ParcelRow {
  id: number;
  waybill_no: string;
  carrier: string;
  status: ParcelStatus;
  item_category: string;
  created_at: string;
  arrived_at: string | null;
  picked_up_at: string | null;
  returned_at: string | null;
}

const subjectContext = (id: number): string => `dsr_requests.subject#${id}`;
const ACCESS_LOG_LIMIT = 5000;

const toRequest = (r: RequestRow): DsrRequest => ({
  reference: r.reference,
  receivedAt: r.received_at,
  kind: r.kind,
  status: r.status,
  handledBy: r.handled_by ?? '',
  parcels: r.parcels,
  erased: r.erased,
  scheduled: r.scheduled,
  exportedAt: r.exported_at,
  doneAt: r.done_at,
});

const REQUEST_COLUMNS = `r.id, r.reference, r.received_at, r.kind, r.status, u.username AS handled_by, r.subject_ct,
  r.parcels, r.erased, r.scheduled, r.exported_at, r.done_at`;
const REQUEST_FROM = 'FROM dsr_requests r LEFT JOIN users u ON u.id = r.handled_by';

export class DataSubjectRequests {
  constructor(
    private readonly station: Station,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
  ) {}

  private get db() {
    return this.station.db;
  }

  /** Opens a request for the number and reports what is held about it. */
  find(actor: Actor, phone: string, kind: DsrKind, receivedAt?: string): SubjectReport {
    const parsed = parsePhone(phone);
    if (!parsed) throw new AppError('INVALID_INPUT', 'phone');
    const { db, keys } = this.station;
    const id = db
      .transaction(() => {
        const at = this.now();
        const prefix = `DSR-${localDay(at, stationTimeZone(this.station)).replaceAll('-', '')}-`;
        const n = (db.prepare('SELECT COUNT(*) FROM dsr_requests WHERE reference LIKE ?').pluck().get(`${prefix}%`) as number) + 1;
        const parcels = this.parcelIds(keys.phoneBlindIndex(parsed.digits)).length;
        const rows = new DsrRequestRows(db);
        const rowId = rows.insert({
          reference: `${prefix}${String(n).padStart(3, '0')}`,
          receivedAt: new Date(receivedAt ?? at).toISOString(),
          kind,
          handledBy: actor.userId,
          parcels,
        });
        rows.setSubject(rowId, sealText(keys.field, parsed.digits, subjectContext(rowId)));
        return rowId;
      })
      .immediate();
    return this.report(this.row(id));
  }

  /** The report of a request still open, for its export. */
  reportFor(reference: string): SubjectReport {
    return this.report(this.open(reference));
  }

  /** The copy was made: an access request is done with it, an erasure request waits for its erasure. */
  exported(reference: string): DsrRequest {
    new DsrRequestRows(this.db).markExported(reference, this.now().toISOString());
    return toRequest(this.select('r.reference = ?', reference)!);
  }

  /**
   * Erases at once what has left the station (with its labels' bytes); parcels
   * still expected or on the shelf are scheduled, for the purge to erase as
   * soon as they leave.
   */
  erase(reference: string): DsrErasure {
    const row = this.open(reference);
    if (row.kind !== 'erasure') throw new AppError('DSR_NOT_ERASURE', reference);
    const { db } = this;
    const eraser = new ParcelEraser(db);
    return db
      .transaction(() => {
        const at = this.now().toISOString();
        const ids = this.parcelIds(this.subjectIndex(row));
        const status = db.prepare('SELECT status FROM parcels WHERE id = ?').pluck();
        const atStation = ids.filter((id) => ['expected', 'on_shelf'].includes(status.get(id) as string));
        const leaving = ids.filter((id) => !atStation.includes(id));
        const { erased } = eraser.erase(leaving, at);
        eraser.eraseLabelsOf(leaving);
        const scheduled = eraser.schedule(atStation, row.id);
        new DsrRequestRows(db).settle(row.id, erased, scheduled, at);
        return { request: toRequest(this.row(row.id)), erased, scheduled };
      })
      .immediate();
  }

  list(): DsrRequest[] {
    return (this.db.prepare(`SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} ORDER BY r.id DESC LIMIT 500`).all() as RequestRow[]).map(toRequest);
  }

  private select(where: string, arg: string | number): RequestRow | undefined {
    return this.db.prepare(`SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} WHERE ${where}`).get(arg) as RequestRow | undefined;
  }

  private row(id: number): RequestRow {
    return this.select('r.id = ?', id)!;
  }

  /** A request that still holds its number: open (or, for an erasure, not yet acted on). */
  private open(reference: string): RequestRow {
    const row = this.select('r.reference = ?', reference);
    if (!row) throw new AppError('DSR_NOT_FOUND', reference);
    if (row.status !== 'open' || !row.subject_ct) throw new AppError('DSR_CLOSED', reference);
    return row;
  }

  private subjectIndex(row: RequestRow): Uint8Array {
    const digits = openText(this.station.keys.field, row.subject_ct!, subjectContext(row.id));
    return this.station.keys.phoneBlindIndex(digits);
  }

  private parcelIds(phoneIndex: Uint8Array): number[] {
    return this.db.prepare('SELECT id FROM parcels WHERE phone_bidx = ? ORDER BY id').pluck().all(phoneIndex) as number[];
  }

  private report(row: RequestRow): SubjectReport {
    const { db, keys } = this.station;
    const ids = this.parcelIds(this.subjectIndex(row));
    const parcel = db.prepare(
      'SELECT id, waybill_no, carrier, status, item_category, created_at, arrived_at, picked_up_at, returned_at FROM parcels WHERE id = ?',
    );
    const handovers = db.prepare('SELECT id, handed_at, proxy, proxy_note_ct, undone_at, undo_reason_ct FROM handovers WHERE parcel_id = ? ORDER BY id');
    const problems = db.prepare('SELECT id, kind, flagged_at, note_ct FROM problem_flags WHERE parcel_id = ? ORDER BY id');
    const labels = db
      .prepare("SELECT COUNT(*) FROM audit_parcels ap JOIN audit_index i ON i.seq = ap.seq AND i.action = 'label.print' WHERE ap.parcel_id = ?")
      .pluck();
    const opened = (ct: Uint8Array | null, context: string) => (ct ? openText(keys.field, ct, context) : null);
    const parcels: SubjectParcel[] = ids.map((id) => {
      const p = parcel.get(id) as ParcelRow;
      return {
        waybillNo: p.waybill_no,
        carrier: p.carrier,
        status: p.status,
        item: p.item_category,
        importedAt: p.created_at,
        arrivedAt: p.arrived_at,
        pickedUpAt: p.picked_up_at,
        returnedAt: p.returned_at,
        name: openPersonalField(db, keys, id, 'name') ?? '',
        phone: openPersonalField(db, keys, id, 'phone') ?? '',
        address: openPersonalField(db, keys, id, 'address') ?? '',
        handovers: (
          handovers.all(id) as { id: number; handed_at: string; proxy: number; proxy_note_ct: Uint8Array | null; undone_at: string | null; undo_reason_ct: Uint8Array | null }[]
        ).map((h) => ({
          handedAt: h.handed_at,
          proxy: h.proxy === 1,
          proxyNote: opened(h.proxy_note_ct, `handovers.proxy_note#${h.id}`),
          undoneAt: h.undone_at,
          undoReason: opened(h.undo_reason_ct, `handovers.undo_reason#${h.id}`),
        })),
        problems: (problems.all(id) as { id: number; kind: string; flagged_at: string; note_ct: Uint8Array | null }[]).map((f) => ({
          kind: f.kind,
          flaggedAt: f.flagged_at,
          note: opened(f.note_ct, `problem_flags.note#${f.id}`),
        })),
        labelsPrinted: labels.get(id) as number,
      };
    });
    const seen = new Map<number, SubjectAccess>();
    for (const id of ids) {
      for (const e of this.audit.query({ parcelId: id, limit: ACCESS_LOG_LIMIT })) {
        seen.set(e.seq, { at: e.at, action: e.action, role: e.role, purpose: e.purpose });
      }
    }
    const accessLog = [...seen].sort(([a], [b]) => a - b).map(([, e]) => e);
    return { request: toRequest(row), parcels, accessLog };
  }
}
