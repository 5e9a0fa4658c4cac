// One counter's committed action reaches the others through LISTEN/NOTIFY
// within a second; an action rolled back reaches nobody.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyCounters, StationEvents } from '../../main/store/engine/postgres-events';
import { PostgresStore } from '../../main/store/engine/postgres-store';
import { freshDatabase, PG_URL } from '../helpers/postgres';

/** Resolves with the first message `events` delivers after this call, or null after `ms`. */
function nextMessage(inbox: unknown[], ms: number): Promise<{ message: unknown; after: number } | null> {
  const start = Date.now();
  const seen = inbox.length;
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (inbox.length > seen) {
        clearInterval(poll);
        resolve({ message: inbox[seen], after: Date.now() - start });
      } else if (Date.now() - start > ms) {
        clearInterval(poll);
        resolve(null);
      }
    }, 2);
  });
}

describe.skipIf(!PG_URL)('PostgreSQL: counters hear each other', () => {
  let counter1: PostgresStore;
  let counter2: StationEvents;
  const inbox: unknown[] = [];
  const states: string[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    counter1 = await PostgresStore.open(db.ownerUrl);
    counter2 = await StationEvents.open(db.appUrl, { message: (m) => inbox.push(m), connection: (s) => states.push(s) });
  });
  afterAll(async () => {
    await counter2?.close();
    await counter1?.close();
    await drop?.();
  });

  it('delivers a committed handover to the other counter within a second, and nothing of one rolled back', async () => {
    expect(counter2.connected).toBe(true);
    let arrived = nextMessage(inbox, 1000);
    await counter1.transaction((tx) => notifyCounters(tx, { event: 'handover', parcelId: 7, workstation: 'counter-1' }));
    expect(await arrived).toMatchObject({ message: { event: 'handover', parcelId: 7, workstation: 'counter-1' } });
    expect((await arrived)!.after).toBeLessThan(1000);

    arrived = nextMessage(inbox, 1000);
    await expect(
      counter1.transaction(async (tx) => {
        await notifyCounters(tx, { event: 'handover', parcelId: 8, workstation: 'counter-1' });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await counter1.transaction((tx) => notifyCounters(tx, { event: 'scan-in', parcelId: 9, workstation: 'counter-1' }));
    expect((await arrived)?.message).toEqual({ event: 'scan-in', parcelId: 9, workstation: 'counter-1' });
    expect(inbox).toHaveLength(2);
    expect(states).toEqual([]);
  });
});
