// Turns parcels on the shelf into notices: one per phone number (by its blind
// index) per batch of arrivals, and one reminder per number before the
// overdue day (each carrier's own, as the returns list counts it). An arrival batch is written only once the number has had no
// new arrival for `batchSeconds`, so three parcels scanned in together make
// one notice with three codes. Reads no personal data: codes and blind indexes.
import { reminderCondition } from '../counter/overdue-cutoff';
import { localDay } from '../settings/calendar';
import type { Queryable } from '../store/engine/store';
import type { NotifyConfig } from './config';
import { optOuts } from './opt-outs';
import { outbox, type Candidate, type NewNotice, type NoticeKind } from './outbox';
import { joinCodes, renderNotice } from './template';

const DAY_MS = 86_400_000;
/** Parcels that came in while notices were off are not announced once they are switched on, beyond a day back. */
const ARRIVAL_LOOKBACK_MS = DAY_MS;

function byPhone(candidates: readonly Candidate[]): Candidate[][] {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const key = Buffer.from(c.phoneBidx).toString('hex');
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()];
}

/** A notice the planner found due, not yet written. */
export type Planned = NewNotice;

function planGroup(kind: NoticeKind, group: Candidate[], cfg: NotifyConfig, station: string, optedOut: boolean): Planned {
  const notice = renderNotice(cfg.templates[kind], {
    station,
    codes: joinCodes(group.map((c) => c.pickupCode)),
    hours: cfg.hours,
    link: cfg.link,
    days: String(cfg.overdueDaysBefore),
  });
  return { kind, phoneBidx: group[0].phoneBidx, parcelIds: group.map((c) => c.id), notice, status: optedOut ? 'opted_out' : 'queued' };
}

/** The notices now due, found by reads alone, so the write that follows is short. */
export async function plan(q: Queryable, cfg: NotifyConfig, station: string, now: Date): Promise<Planned[]> {
  const planned: Planned[] = [];
  const t = now.getTime();
  const add = async (kind: NoticeKind, group: Candidate[]) => planned.push(planGroup(kind, group, cfg, station, await optOuts.has(q, group[0].phoneBidx)));
  if (cfg.arrival) {
    const since = new Date(t - ARRIVAL_LOOKBACK_MS).toISOString();
    const candidates = await outbox.candidates(q, 'arrival', { sql: 'p.arrived_at >= @since AND p.arrived_at <= @now', params: { since, now: now.toISOString() } });
    const settled = new Date(t - cfg.batchSeconds * 1000).toISOString();
    for (const group of byPhone(candidates)) {
      // More may still be coming for this number.
      if (group.some((c) => c.arrivedAt > settled)) continue;
      await add('arrival', group);
    }
  }
  if (cfg.overdue) {
    const due = reminderCondition(localDay(now, cfg.timeZone), cfg.overdueDaysBefore, cfg.overdueRule, { arrived: 'p.arrived_at', carrier: 'p.carrier' });
    for (const group of byPhone(await outbox.candidates(q, 'overdue', due))) await add('overdue', group);
  }
  return planned;
}

/** Writes what `plan` found, but for parcels another sender announced in between; returns how many were written. */
export async function enqueuePlanned(tx: Queryable, planned: readonly Planned[], now: Date): Promise<number> {
  let written = 0;
  for (const n of planned) {
    if (await outbox.covered(tx, n.kind, n.parcelIds)) continue;
    await outbox.enqueue(tx, n, now);
    written++;
  }
  return written;
}

/** Plans and writes in one transaction; returns how many notices were written. */
export async function planNotices(tx: Queryable, cfg: NotifyConfig, station: string, now: Date): Promise<number> {
  return enqueuePlanned(tx, await plan(tx, cfg, station, now), now);
}
