// Counter work between two moments, in counts only, per person: parcels
// scanned in, handed over (and not undone), handed back to a courier,
// lookups (every parcel view the audit log holds) and unmasks.
import type { ShiftFigures } from '../../shared/counter';
import type { Queryable } from '../store/engine/store';

// Each kind of work counted per person in the window, then summed per person:
// one query for any number of people.
const figuresSql = (onePerson: boolean): string => `SELECT person,
  SUM(scanned_in) AS scanned_in, SUM(handed_over) AS handed_over, SUM(returned) AS returned, SUM(lookups) AS lookups, SUM(unmasks) AS unmasks
FROM (
  SELECT arrived_by AS person, COUNT(*) AS scanned_in, 0 AS handed_over, 0 AS returned, 0 AS lookups, 0 AS unmasks
    FROM parcels WHERE arrived_at >= @since AND arrived_at < @until GROUP BY arrived_by
  UNION ALL
  SELECT operator_id, 0, COUNT(*), 0, 0, 0
    FROM handovers WHERE handed_at >= @since AND handed_at < @until AND undone_at IS NULL GROUP BY operator_id
  UNION ALL
  SELECT b.handed_by, 0, 0, COUNT(*), 0, 0 FROM return_batch_parcels rp JOIN return_batches b ON b.id = rp.batch_id
    WHERE b.handed_to_courier_at >= @since AND b.handed_to_courier_at < @until AND rp.scanned_at IS NOT NULL GROUP BY b.handed_by
  UNION ALL
  SELECT user_id, 0, 0, 0, SUM(CASE WHEN action = 'parcels.view' THEN 1 ELSE 0 END), SUM(CASE WHEN action = 'parcels.unmask' THEN 1 ELSE 0 END)
    FROM audit_index WHERE action IN ('parcels.view', 'parcels.unmask') AND at >= @since AND at < @until GROUP BY user_id
) f WHERE ${onePerson ? 'person = @user' : 'person IS NOT NULL'}
GROUP BY person`;

type Row = Record<'person', number | string> & Record<'scanned_in' | 'handed_over' | 'returned' | 'lookups' | 'unmasks', number | string>;

export const NO_FIGURES: Readonly<ShiftFigures> = { scannedIn: 0, handedOver: 0, returned: 0, lookups: 0, unmasks: 0 };

const figuresOf = (r: Row): ShiftFigures => ({
  scannedIn: Number(r.scanned_in),
  handedOver: Number(r.handed_over),
  returned: Number(r.returned),
  lookups: Number(r.lookups),
  unmasks: Number(r.unmasks),
});

const period = (since: Date, until: Date) => ({ since: since.toISOString(), until: until.toISOString() });

/** One person's figures. */
export async function shiftFigures(q: Queryable, userId: number, since: Date, until: Date): Promise<ShiftFigures> {
  const r = await q.get<Row>(figuresSql(true), { user: userId, ...period(since, until) });
  return r ? figuresOf(r) : { ...NO_FIGURES };
}

/** Everyone's figures, by user id; a person who did nothing in the window is absent (all zeros). */
export async function figuresByPerson(q: Queryable, since: Date, until: Date): Promise<Map<number, ShiftFigures>> {
  const rows = await q.all<Row>(figuresSql(false), period(since, until));
  return new Map(rows.map((r) => [Number(r.person), figuresOf(r)]));
}
