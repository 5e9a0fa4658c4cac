// One person's counter work between two moments, in counts only: parcels
// scanned in, handed over (and not undone), handed back to a courier,
// lookups (every parcel view the audit log holds) and unmasks.
import type { ShiftFigures } from '../../shared/counter';
import type { Queryable } from '../store/engine/store';

const FIGURES = `SELECT
  (SELECT COUNT(*) FROM parcels WHERE arrived_by = @user AND arrived_at >= @since AND arrived_at < @until) AS scanned_in,
  (SELECT COUNT(*) FROM handovers WHERE operator_id = @user AND handed_at >= @since AND handed_at < @until AND undone_at IS NULL) AS handed_over,
  (SELECT COUNT(*) FROM return_batch_parcels rp JOIN return_batches b ON b.id = rp.batch_id
    WHERE b.handed_by = @user AND b.handed_to_courier_at >= @since AND b.handed_to_courier_at < @until AND rp.scanned_at IS NOT NULL) AS returned,
  (SELECT COUNT(*) FROM audit_index WHERE user_id = @user AND action = 'parcels.view' AND at >= @since AND at < @until) AS lookups,
  (SELECT COUNT(*) FROM audit_index WHERE user_id = @user AND action = 'parcels.unmask' AND at >= @since AND at < @until) AS unmasks`;

type Row = Record<'scanned_in' | 'handed_over' | 'returned' | 'lookups' | 'unmasks', number | string>;

export async function shiftFigures(q: Queryable, userId: number, since: Date, until: Date): Promise<ShiftFigures> {
  const r = (await q.get<Row>(FIGURES, { user: userId, since: since.toISOString(), until: until.toISOString() }))!;
  return { scannedIn: Number(r.scanned_in), handedOver: Number(r.handed_over), returned: Number(r.returned), lookups: Number(r.lookups), unmasks: Number(r.unmasks) };
}
