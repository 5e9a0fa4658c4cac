// Problem parcels (问题件): damaged, refused, delivered to the wrong station.
// A flag stays listed while its parcel is still at the station; once picked
// up or returned there is nothing left to act on.
import type { Actor } from '../../shared/actor';
import { PROBLEM_KINDS, type ProblemKind, type ProblemParcel } from '../../shared/counter';
import { AppError } from '../../shared/errors';
import { sealText } from '../crypto/envelope';
import type { Db } from '../store/database';
import type { Station } from '../store/station';
import { counterColumnsOf, stationDay, toCounterParcel, type CounterRow } from './counter-parcel';

const MAX_NOTE = 200;

type FlagRow = CounterRow & { flag_id: number; kind: ProblemKind; flagged_at: string };

export class ProblemFlags {
  private readonly insert;
  private readonly sealNote;
  private readonly exists;
  private readonly select;
  private readonly now: () => Date;

  constructor(
    private readonly station: Station,
    opts: { now?: () => Date } = {},
  ) {
    const { db } = station;
    this.now = opts.now ?? (() => new Date());
    this.exists = db.prepare('SELECT 1 FROM parcels WHERE id = ?');
    this.insert = db.prepare('INSERT INTO problem_flags (parcel_id, kind, flagged_by, flagged_at) VALUES (?, ?, ?, ?)');
    this.sealNote = db.prepare('UPDATE problem_flags SET note_ct = ? WHERE id = ?');
    const select = (where: string) =>
      `SELECT f.id AS flag_id, f.kind, f.flagged_at, ${counterColumnsOf('p')}
       FROM problem_flags f JOIN parcels p ON p.id = f.parcel_id WHERE ${where} ORDER BY f.id DESC`;
    this.select = {
      one: db.prepare(select('f.id = ?')),
      open: db.prepare(select("p.status IN ('expected', 'on_shelf')")),
    };
  }

  /** The note may name people, so it is sealed like the personal fields. */
  flag(actor: Actor, input: { parcelId: number; kind: ProblemKind; note?: string }): ProblemParcel {
    if (!PROBLEM_KINDS.includes(input.kind)) throw new AppError('INVALID_INPUT', 'kind');
    const note = input.note?.trim() || null;
    if (note && note.length > MAX_NOTE) throw new AppError('INVALID_INPUT', 'note');
    const { db, keys } = this.station;
    const id = db
      .transaction(() => {
        if (!this.exists.get(input.parcelId)) throw new AppError('PARCEL_NOT_FOUND');
        const flagId = Number(this.insert.run(input.parcelId, input.kind, actor.userId, this.now().toISOString()).lastInsertRowid);
        if (note) this.sealNote.run(sealText(keys.field, note, `problem_flags.note#${flagId}`), flagId);
        return flagId;
      })
      .immediate();
    return this.toProblem(this.select.one.get(id) as FlagRow);
  }

  /** Flags on parcels still at the station, newest first. */
  open(): ProblemParcel[] {
    return (this.select.open.all() as FlagRow[]).map((r) => this.toProblem(r));
  }

  private toProblem(r: FlagRow): ProblemParcel {
    return {
      flagId: r.flag_id,
      kind: r.kind,
      flaggedAt: r.flagged_at,
      parcel: toCounterParcel(this.station.keys, r, stationDay(this.station.db, this.now())),
    };
  }
}

/** For erasure: drops the notes typed about a parcel's problems. */
export function flagNoteEraser(db: Db): (parcelId: number) => void {
  const erase = db.prepare('UPDATE problem_flags SET note_ct = NULL WHERE parcel_id = ? AND note_ct IS NOT NULL');
  return (parcelId) => void erase.run(parcelId);
}
