// Turns parcels on the shelf into notices: one per phone number (by its blind
// index) per batch of arrivals, and one reminder per number before the
// overdue day. An arrival batch is written only once the number has had no
// new arrival for `batchSeconds`, so three parcels scanned in together make
// one notice with three codes. Reads no personal data: codes and blind indexes.
import type { Queryable } from '../store/engine/store';
import type { NotifyConfig } from './config';
import { optOuts } from './opt-outs';
import { outbox, type Candidate, type NoticeKind } from './outbox';
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

async function enqueueGroup(tx: Queryable, kind: NoticeKind, group: Candidate[], cfg: NotifyConfig, station: string, now: Date): Promise<void> {
  const notice = renderNotice(cfg.templates[kind], {
    station,
    codes: joinCodes(group.map((c) => c.pickupCode)),
    hours: cfg.hours,
    link: cfg.link,
    days: String(cfg.overdueDaysBefore),
  });
  const phoneBidx = group[0].phoneBidx;
  const status = (await optOuts.has(tx, phoneBidx)) ? 'opted_out' : 'queued';
  await outbox.enqueue(tx, { kind, phoneBidx, parcelIds: group.map((c) => c.id), notice, status }, now);
}

/** Writes the notices now due; returns how many. */
export async function planNotices(tx: Queryable, cfg: NotifyConfig, station: string, now: Date): Promise<number> {
  let planned = 0;
  const t = now.getTime();
  if (cfg.arrival) {
    const candidates = await outbox.candidates(tx, 'arrival', new Date(t - ARRIVAL_LOOKBACK_MS).toISOString(), now.toISOString());
    const settled = new Date(t - cfg.batchSeconds * 1000).toISOString();
    for (const group of byPhone(candidates)) {
      // More may still be coming for this number.
      if (group.some((c) => c.arrivedAt > settled)) continue;
      await enqueueGroup(tx, 'arrival', group, cfg, station, now);
      planned++;
    }
  }
  if (cfg.overdue) {
    const notYetOverdue = new Date(t - cfg.overdueDays * DAY_MS).toISOString();
    const remindFrom = new Date(t - (cfg.overdueDays - cfg.overdueDaysBefore) * DAY_MS).toISOString();
    for (const group of byPhone(await outbox.candidates(tx, 'overdue', notYetOverdue, remindFrom))) {
      await enqueueGroup(tx, 'overdue', group, cfg, station, now);
      planned++;
    }
  }
  return planned;
}
