// Retention: personal data of parcels that left is erased after the set time,
// with everything else about them kept, and afterwards the raw database and
// WAL bytes hold none of it — not the ciphertexts, not the blind indexes, not
// (as ever) the plaintext. On-shelf parcels are never touched, an interrupted
// purge leaves whole rows and the next run continues, the daily statistics
// are unchanged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyReport } from '../../main/counter/daily';
import { PrintJobs } from '../../main/devices/print-jobs';
import { RetentionPurge, retentionPolicy } from '../../main/lifecycle/retention';
import { Settings } from '../../main/settings/settings';
import { unlockWithPassphrase, type EmbeddedStation as Station } from '../../main/store/station';
import { parsePhone } from '../../shared/phone';
import { count, testClock } from '../helpers/counter';
import { fixtureRows, newStation, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';
import { FIXTURES, lifecycleOf, rawBytes, SUPERVISOR, workThroughCounter, type WorkedParcels } from '../helpers/lifecycle';

const PERSONAL = ['name_ct', 'phone_ct', 'address_ct', 'masked_ct', 'phone_bidx', 'tail_bidx'] as const;

/** Every sealed value and blind index tied to these parcels, as bytes to look for. */
function personalBytes(station: Station, ids: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  const parcel = station.db.prepare(`SELECT ${PERSONAL.join(', ')} FROM parcels WHERE id = ?`);
  const notes = station.db.prepare(
    `SELECT proxy_note_ct AS ct FROM handovers WHERE parcel_id = ? AND proxy_note_ct IS NOT NULL
     UNION ALL SELECT note_ct FROM problem_flags WHERE parcel_id = ? AND note_ct IS NOT NULL`,
  );
  for (const id of ids) {
    for (const v of Object.values(parcel.get(id) as Record<string, Uint8Array | null>)) if (v) out.push(Buffer.from(v));
    for (const { ct } of notes.all(id, id) as { ct: Uint8Array }[]) out.push(Buffer.from(ct));
  }
  return out;
}

function plaintextNeedles(): string[] {
  return FIXTURES.flatMap(fixtureRows).flatMap((r) => {
    const p = parsePhone(r.recipient_phone);
    return [r.recipient_name, r.recipient_address, ...(p ? [p.digits] : [])].filter((n) => n.length >= 2);
  });
}

// SQLite only: erased bytes gone from the SQLite file, and VACUUM (README, "Tests against PostgreSQL").
describe('retention purge', () => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  let station: Station;
  let clock: ReturnType<typeof testClock>;
  let worked: WorkedParcels;

  beforeEach(async () => {
    tmp = tempDir();
    ({ path, station } = newStation(tmp.dir));
    clock = testClock('2026-03-02T02:00:00Z');
    worked = await workThroughCounter(station, clock);
  });
  afterEach(() => {
    if (station.db.open) station.close();
    tmp.cleanup();
  });

  it('erases picked-up and returned parcels after 30 days, leaves no trace in the raw files, and keeps the statistics', async () => {
    const { lifecycle, audit } = lifecycleOf(station, clock.now);
    const left = [...worked.pickedUp, ...worked.returned];
    expect(worked.pickedUp.length).toBeGreaterThan(100);
    expect(worked.returned.length).toBeGreaterThan(20);

    // 29 days on: nothing is due yet.
    clock.advance({ days: 29 });
    expect(await lifecycle.purge(SUPERVISOR, true)).toMatchObject({ eligible: 0, dryRun: true });

    clock.advance({ days: 2 });
    const facts = () =>
      station.db.prepare('SELECT id, carrier, waybill_no, status, item_category, weight_g, pickup_code, created_at, arrived_at, picked_up_at, returned_at FROM parcels ORDER BY id').all();
    const before = { daily: await dailyReport(station.store, { now: clock.now, days: 40 }), facts: facts() };
    const secrets = personalBytes(station, left);
    expect(secrets.length).toBeGreaterThan(left.length * 6);
    expect(rawBytes(path).includes(secrets[0])).toBe(true); // the search can hit

    expect(await lifecycle.purge(SUPERVISOR, true)).toMatchObject({ eligible: left.length, erased: 0 });
    const result = await lifecycle.purge(SUPERVISOR, false);
    expect(result).toMatchObject({ eligible: left.length, erased: left.length, dryRun: false });

    // Erased: every personal column and note of those parcels; kept: everything else.
    expect(count(station, `SELECT COUNT(*) FROM parcels WHERE erased_at IS NOT NULL AND (${PERSONAL.map((c) => `${c} IS NOT NULL`).join(' OR ')})`)).toBe(0);
    expect(count(station, 'SELECT COUNT(*) FROM parcels WHERE erased_at IS NOT NULL')).toBe(left.length);
    expect(count(station, 'SELECT COUNT(*) FROM handovers WHERE proxy_note_ct IS NOT NULL')).toBe(0);
    expect(count(station, 'SELECT COUNT(*) FROM problem_flags WHERE note_ct IS NOT NULL')).toBe(0);
    expect(count(station, 'SELECT COUNT(*) FROM handovers')).toBe(worked.pickedUp.length);
    expect(facts()).toEqual(before.facts);
    expect(await dailyReport(station.store, { now: clock.now, days: 40 })).toEqual(before.daily);
    // On the shelf and not yet arrived (imported 31 days ago, kept 90): untouched.
    const intact = `SELECT COUNT(*) FROM parcels WHERE ${PERSONAL.map((c) => `${c} IS NOT NULL`).join(' AND ')} AND erased_at IS NULL`;
    expect(count(station, intact)).toBe(worked.onShelf.length + worked.expected.length);

    const [entry] = await audit.query(station.store, { action: 'lifecycle' });
    expect(entry.detail).toMatchObject({ step: 'purge', eligible: left.length, erased: left.length, trigger: 'manual' });
    expect(JSON.stringify(entry)).not.toMatch(/1[3-9]\d{9}/);

    // Blind indexes another parcel still holds (same customer, same tail) are legitimately still there.
    const live = new Set(
      (station.db.prepare('SELECT phone_bidx, tail_bidx FROM parcels WHERE phone_bidx IS NOT NULL').all() as { phone_bidx: Buffer; tail_bidx: Buffer }[]).flatMap((r) => [
        Buffer.from(r.phone_bidx).toString('hex'),
        Buffer.from(r.tail_bidx).toString('hex'),
      ]),
    );
    const gone = secrets.filter((b) => !live.has(b.toString('hex')));
    const found = (bytes: Buffer) => gone.filter((b) => bytes.includes(b)).length;
    expect(found(rawBytes(path)), 'while open').toBe(0);
    station.close();
    const closed = rawBytes(path);
    expect(found(closed), 'after close').toBe(0);
    const needles = plaintextNeedles();
    expect(needles.filter((n) => closed.includes(Buffer.from(n, 'utf8')))).toEqual([]);
  });

  it('erases parcels that never arrived after 90 days, and never one on the shelf however old', async () => {
    const { lifecycle } = lifecycleOf(station, clock.now);
    clock.advance({ days: 89 });
    expect((await lifecycle.purge(SUPERVISOR, false)).erased).toBe(worked.pickedUp.length + worked.returned.length);
    clock.advance({ days: 2 });
    expect((await lifecycle.purge(SUPERVISOR, false)).erased).toBe(worked.expected.length);
    clock.advance({ days: 3650 });
    expect((await lifecycle.purge(SUPERVISOR, false)).erased).toBe(0);
    expect(count(station, "SELECT COUNT(*) FROM parcels WHERE status = 'on_shelf' AND masked_ct IS NOT NULL AND erased_at IS NULL")).toBe(worked.onShelf.length);
    expect(count(station, 'SELECT COUNT(*) FROM parcels WHERE erased_at IS NULL')).toBe(worked.onShelf.length);
  });

  it('follows the configured retention days', async () => {
    const { lifecycle } = lifecycleOf(station, clock.now);
    lifecycle.updateSettings(SUPERVISOR, { pickedUpDays: 7, returnedDays: 60 });
    clock.advance({ days: 8 });
    expect((await lifecycle.purge(SUPERVISOR, false)).erased).toBe(worked.pickedUp.length);
  });

  it('works in batches: stopped after one, every row is whole, and the next run finishes the rest', async () => {
    clock.advance({ days: 31 });
    const settings = new Settings();
    const purge = new RetentionPurge(station, (q) => retentionPolicy(settings, q), clock.now, 25);
    let batches = 0;
    const first = await purge.run({ dryRun: false, shouldStop: () => batches > 0, onProgress: () => batches++ });
    expect(first.erased).toBe(25);
    // A row is either wholly erased or wholly intact.
    const partial = `SELECT COUNT(*) FROM parcels WHERE (masked_ct IS NULL) <> (erased_at IS NOT NULL)
                       OR (name_ct IS NULL) <> (phone_bidx IS NULL) OR (address_ct IS NULL) <> (tail_bidx IS NULL)`;
    expect(count(station, partial)).toBe(0);
    const rest = await purge.run({ dryRun: false });
    expect(rest.eligible).toBe(worked.pickedUp.length + worked.returned.length - 25);
    expect(rest.erased).toBe(rest.eligible);
    expect(count(station, partial)).toBe(0);
  });

  it('erases the bytes of printed labels with the parcels, never a queued one', async () => {
    const jobs = new PrintJobs(station, '');
    const done = await station.store.transaction((tx) => jobs.enqueue(tx, 'printer', 'tspl', new TextEncoder().encode('TEXT "张*丰 138****1234"')));
    await jobs.done(done.id, 10);
    const queued = await station.store.transaction((tx) => jobs.enqueue(tx, 'printer', 'tspl', new TextEncoder().encode('TEXT "李*"')));
    station.db.prepare('UPDATE print_jobs SET created_at = ?, printed_at = ?').run(clock.now().toISOString(), clock.now().toISOString());
    const { lifecycle } = lifecycleOf(station, clock.now);
    clock.advance({ days: 31 });
    expect((await lifecycle.purge(SUPERVISOR, false)).labels).toBe(1);
    const payload = station.db.prepare('SELECT length(payload) FROM print_jobs WHERE id = ?').pluck();
    expect(payload.get(done.id)).toBe(0);
    expect(payload.get(queued.id)).toBeGreaterThan(0);
  });

  it('records the purge and compacts the file; a store reopened after a purge still opens everything left', async () => {
    const { lifecycle } = lifecycleOf(station, clock.now);
    await lifecycle.updateSettings(SUPERVISOR, { expectedDays: 34 });
    clock.advance({ days: 31 });
    await lifecycle.purge(SUPERVISOR, false);
    expect(station.db.prepare('SELECT kind FROM lifecycle_runs ORDER BY id').pluck().all()).toEqual(['purge', 'vacuum']);
    expect((await lifecycle.status()).lastPurge).toMatchObject({ erased: worked.pickedUp.length + worked.returned.length });
    // A second purge the same week erases too little to justify another VACUUM.
    clock.advance({ days: 4 });
    expect((await lifecycle.purge(SUPERVISOR, false)).erased).toBe(worked.expected.length);
    expect(station.db.prepare("SELECT COUNT(*) FROM lifecycle_runs WHERE kind = 'vacuum'").pluck().get()).toBe(1);
    station.close();
    station = unlockWithPassphrase(path, TEST_PASSPHRASE);
    expect(count(station, 'SELECT COUNT(*) FROM parcels WHERE masked_ct IS NOT NULL')).toBe(worked.onShelf.length);
  });
});
