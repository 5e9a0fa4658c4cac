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
import type { Queryable } from '../store/engine/store';
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
  private readonly requests = new DsrRequestRows();
  private readonly eraser: ParcelEraser;

  constructor(
    private readonly station: Station,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
  ) {
    this.eraser = new ParcelEraser(station.keys);
  }

  private get store() {
    return this.station.store;
  }

  /** Opens a request for the number and reports what is held about it. */
  async find(actor: Actor, phone: string, kind: DsrKind, receivedAt?: string): Promise<SubjectReport> {
    const parsed = parsePhone(phone);
    if (!parsed) throw new AppError('INVALID_INPUT', 'phone');
    const { keys } = this.station;
    const id = await this.store.transaction(async (tx) => {
      const at = this.now();
      const prefix = `DSR-${localDay(at, await stationTimeZone(tx)).replaceAll('-', '')}-`;
      const n = Number(await tx.value('SELECT COUNT(*) FROM dsr_requests WHERE reference LIKE ?', `${prefix}%`)) + 1;
      const parcels = (await this.parcelIds(tx, keys.phoneBlindIndex(parsed.digits))).length;
      const rowId = await this.requests.insert(tx, {
        reference: `${prefix}${String(n).padStart(3, '0')}`,
        receivedAt: new Date(receivedAt ?? at).toISOString(),
        kind,
        handledBy: actor.userId,
        parcels,
      });
      await this.requests.setSubject(tx, rowId, sealText(keys.field, parsed.digits, subjectContext(rowId)));
      return rowId;
    });
    return this.report(await this.row(this.store, id));
  }

  /** The report of a request still open, for its export. */
  async reportFor(reference: string): Promise<SubjectReport> {
    return this.report(await this.open(reference));
  }

  /** The copy was made: an access request is done with it, an erasure request waits for its erasure. */
  async exported(reference: string): Promise<DsrRequest> {
    await this.requests.markExported(this.store, reference, this.now().toISOString());
    return toRequest((await this.select(this.store, 'r.reference = ?', reference))!);
  }

  /**
   * Erases at once what has left the station (with its labels' bytes); parcels
   * still expected or on the shelf are scheduled, for the purge to erase as
   * soon as they leave.
   */
  async erase(reference: string): Promise<DsrErasure> {
    const row = await this.open(reference);
    if (row.kind !== 'erasure') throw new AppError('DSR_NOT_ERASURE', reference);
    const { eraser } = this;
    return this.store.transaction(async (tx) => {
      const at = this.now().toISOString();
      const ids = await this.parcelIds(tx, this.subjectIndex(row));
      const atStation: number[] = [];
      for (const id of ids) if (['expected', 'on_shelf'].includes((await tx.value<string>('SELECT status FROM parcels WHERE id = ?', id))!)) atStation.push(id);
      const leaving = ids.filter((id) => !atStation.includes(id));
      const { erased } = await eraser.erase(tx, leaving, at);
      await eraser.eraseLabelsOf(tx, leaving);
      const scheduled = await eraser.schedule(tx, atStation, row.id);
      await this.requests.settle(tx, row.id, erased, scheduled, at);
      return { request: toRequest(await this.row(tx, row.id)), erased, scheduled };
    });
  }

  async list(): Promise<DsrRequest[]> {
    return (await this.store.all<RequestRow>(`SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} ORDER BY r.id DESC LIMIT 500`)).map(toRequest);
  }

  private select(q: Queryable, where: string, arg: string | number): Promise<RequestRow | undefined> {
    return q.get<RequestRow>(`SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} WHERE ${where}`, arg);
  }

  private async row(q: Queryable, id: number): Promise<RequestRow> {
    return (await this.select(q, 'r.id = ?', id))!;
  }

  /** A request that still holds its number: open (or, for an erasure, not yet acted on). */
  private async open(reference: string): Promise<RequestRow> {
    const row = await this.select(this.store, 'r.reference = ?', reference);
    if (!row) throw new AppError('DSR_NOT_FOUND', reference);
    if (row.status !== 'open' || !row.subject_ct) throw new AppError('DSR_CLOSED', reference);
    return row;
  }

  private subjectIndex(row: RequestRow): Uint8Array {
    const digits = openText(this.station.keys.field, row.subject_ct!, subjectContext(row.id));
    return this.station.keys.phoneBlindIndex(digits);
  }

  private async parcelIds(q: Queryable, phoneIndex: Uint8Array): Promise<number[]> {
    return (await q.all<{ id: number }>('SELECT id FROM parcels WHERE phone_bidx = ? ORDER BY id', phoneIndex)).map((r) => r.id);
  }

  private async report(row: RequestRow): Promise<SubjectReport> {
    const { keys } = this.station;
    const q = this.store;
    const ids = await this.parcelIds(q, this.subjectIndex(row));
    const opened = (ct: Uint8Array | null, context: string) => (ct ? openText(keys.field, ct, context) : null);
    const parcels: SubjectParcel[] = [];
    for (const id of ids) {
      const p = (await q.get<ParcelRow>(
        'SELECT id, waybill_no, carrier, status, item_category, created_at, arrived_at, picked_up_at, returned_at FROM parcels WHERE id = ?',
        id,
      ))!;
      const handovers = await q.all<{ id: number; handed_at: string; proxy: number; proxy_note_ct: Uint8Array | null; undone_at: string | null; undo_reason_ct: Uint8Array | null }>(
        'SELECT id, handed_at, proxy, proxy_note_ct, undone_at, undo_reason_ct FROM handovers WHERE parcel_id = ? ORDER BY id',
        id,
      );
      const problems = await q.all<{ id: number; kind: string; flagged_at: string; note_ct: Uint8Array | null }>(
        'SELECT id, kind, flagged_at, note_ct FROM problem_flags WHERE parcel_id = ? ORDER BY id',
        id,
      );
      const labels = Number(
        await q.value("SELECT COUNT(*) FROM audit_parcels ap JOIN audit_index i ON i.seq = ap.seq AND i.action = 'label.print' WHERE ap.parcel_id = ?", id),
      );
      parcels.push({
        waybillNo: p.waybill_no,
        carrier: p.carrier,
        status: p.status,
        item: p.item_category,
        importedAt: p.created_at,
        arrivedAt: p.arrived_at,
        pickedUpAt: p.picked_up_at,
        returnedAt: p.returned_at,
        name: (await openPersonalField(q, keys, id, 'name')) ?? '',
        phone: (await openPersonalField(q, keys, id, 'phone')) ?? '',
        address: (await openPersonalField(q, keys, id, 'address')) ?? '',
        handovers: handovers.map((h) => ({
          handedAt: h.handed_at,
          proxy: h.proxy === 1,
          proxyNote: opened(h.proxy_note_ct, `handovers.proxy_note#${h.id}`),
          undoneAt: h.undone_at,
          undoReason: opened(h.undo_reason_ct, `handovers.undo_reason#${h.id}`),
        })),
        problems: problems.map((f) => ({
          kind: f.kind,
          flaggedAt: f.flagged_at,
          note: opened(f.note_ct, `problem_flags.note#${f.id}`),
        })),
        labelsPrinted: labels,
      });
    }
    const seen = new Map<number, SubjectAccess>();
    for (const id of ids) {
      for (const e of await this.audit.query(q, { parcelId: id, limit: ACCESS_LOG_LIMIT })) {
        seen.set(e.seq, { at: e.at, action: e.action, role: e.role, purpose: e.purpose });
      }
    }
    const accessLog = [...seen].sort(([a], [b]) => a - b).map(([, e]) => e);
    return { request: toRequest(row), parcels, accessLog };
  }
}
