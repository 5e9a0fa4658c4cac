// Problem parcels (问题件): damaged, refused, delivered to the wrong station,
// and those a closed stocktake did not find (main/stocktake/missing.ts, read
// here). A flag stays listed while its parcel is still at the station; once
// picked up or returned there is nothing left to act on.
import type { Actor } from '../../shared/actor';
import { PROBLEM_KINDS, type ProblemKind, type ProblemParcel } from '../../shared/counter';
import { AppError } from '../../shared/errors';
import { sealText } from '../crypto/envelope';
import type { Queryable, Tx } from '../store/engine/store';
import type { Station } from '../store/station';
import { counterColumnsOf, stationDay, toCounterParcel, type CounterRow, type StationDay } from './counter-parcel';

const MAX_NOTE = 200;

type FlagRow = CounterRow & { flag_id: number; kind: ProblemKind; flagged_at: string };
type MissingRow = CounterRow & { stocktake_id: number; since: string };

const select = (where: string) =>
  `SELECT f.id AS flag_id, f.kind, f.flagged_at, ${counterColumnsOf('p')}
   FROM problem_flags f JOIN parcels p ON p.id = f.parcel_id WHERE ${where} ORDER BY f.id DESC`;

const SQL = {
  exists: 'SELECT 1 FROM parcels WHERE id = ?',
  insert: 'INSERT INTO problem_flags (parcel_id, kind, flagged_by, flagged_at) VALUES (?, ?, ?, ?) RETURNING id',
  sealNote: 'UPDATE problem_flags SET note_ct = ? WHERE id = ?',
  one: select('f.id = ?'),
  open: select("p.status IN ('expected', 'on_shelf')"),
  missing: `SELECT m.stocktake_id, m.since, ${counterColumnsOf('p')}
    FROM missing_parcels m JOIN parcels p ON p.id = m.parcel_id
    WHERE m.cleared_at IS NULL AND p.status = 'on_shelf' ORDER BY m.id DESC`,
  eraseNotes: 'UPDATE problem_flags SET note_ct = NULL WHERE parcel_id = ? AND note_ct IS NOT NULL',
};

export class ProblemFlags {
  private readonly now: () => Date;

  constructor(
    private readonly station: Station,
    opts: { now?: () => Date } = {},
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  /** The note may name people, so it is sealed like the personal fields. */
  async flag(tx: Tx, actor: Actor, input: { parcelId: number; kind: ProblemKind; note?: string }): Promise<ProblemParcel> {
    if (!PROBLEM_KINDS.includes(input.kind)) throw new AppError('INVALID_INPUT', 'kind');
    const note = input.note?.trim() || null;
    if (note && note.length > MAX_NOTE) throw new AppError('INVALID_INPUT', 'note');
    const { keys } = this.station;
    if ((await tx.value(SQL.exists, input.parcelId)) === undefined) throw new AppError('PARCEL_NOT_FOUND');
    const flagId = Number(await tx.value(SQL.insert, input.parcelId, input.kind, actor.userId, this.now().toISOString()));
    if (note) await tx.run(SQL.sealNote, sealText(keys.field, note, `problem_flags.note#${flagId}`), flagId);
    return this.toProblem((await tx.get<FlagRow>(SQL.one, flagId))!, await stationDay(tx, this.now()));
  }

  /** Flags and stocktake misses on parcels still at the station, newest first. */
  async open(q: Queryable): Promise<ProblemParcel[]> {
    const day = await stationDay(q, this.now());
    const flagged = (await q.all<FlagRow>(SQL.open)).map((r) => this.toProblem(r, day));
    const missing = (await q.all<MissingRow>(SQL.missing)).map(
      (r): ProblemParcel => ({ flagId: null, kind: 'missing', flaggedAt: r.since, stocktakeId: r.stocktake_id, parcel: toCounterParcel(this.station.keys, r, day) }),
    );
    return [...flagged, ...missing].sort((a, b) => b.flaggedAt.localeCompare(a.flaggedAt));
  }

  private toProblem(r: FlagRow, day: StationDay): ProblemParcel {
    return {
      flagId: r.flag_id,
      kind: r.kind,
      flaggedAt: r.flagged_at,
      parcel: toCounterParcel(this.station.keys, r, day),
    };
  }
}

/** For erasure: drops the notes typed about a parcel's problems. */
export async function eraseFlagNotes(tx: Queryable, parcelId: number): Promise<void> {
  await tx.run(SQL.eraseNotes, parcelId);
}
