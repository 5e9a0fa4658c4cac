// Counter test kit: actors made directly (accounts are built elsewhere), a
// clock the test moves, and parcels created at the counter with chosen phones.
import type { Actor } from '../../shared/actor';
import { ScanIn } from '../../main/inbound/scan-in';
import type { Queryable, SqlValue, Tx } from '../../main/store/engine/store';
import type { EmbeddedStation, Station } from '../../main/store/station';

export const clerk = (userId: number, username = `clerk${userId}`): Actor => ({
  userId,
  username,
  displayName: username,
  role: 'clerk',
  workstation: 'counter-1',
});

/** Starts at 10:00 Beijing time (02:00Z) on a fixed day. */
export function testClock(start = '2025-06-02T02:00:00Z') {
  let t = Date.parse(start);
  return {
    now: (): Date => new Date(t),
    set: (iso: string): void => {
      t = Date.parse(iso);
    },
    advance: ({ days = 0, minutes = 0 }: { days?: number; minutes?: number }): void => {
      t += days * 86_400_000 + minutes * 60_000;
    },
  };
}

let serial = 0;
/** A fresh SF waybill number, unique within the test run. */
export const sfWaybill = (): string => `SF${String(1_000_000_000_000 + ++serial)}`;

/** One transaction of the station's store, as an application service opens it. */
export function inTx<T>(station: Station, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return station.store.transaction(fn);
}

/** A domain object's methods, each taking the transaction (or queryable) it runs on first. */
export type Transacted<T> = {
  [K in keyof T]: T[K] extends (tx: infer _Q extends Queryable, ...args: infer A) => Promise<infer R> ? (...args: A) => Promise<R> : T[K];
};

/** Each method of `desk` run in a transaction of its own, as an application service runs it. */
export function transacted<T extends object>(station: Station, desk: T): Transacted<T> {
  return new Proxy(desk, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => inTx(station, (tx) => (v as (...a: unknown[]) => Promise<unknown>).call(target, tx, ...args));
    },
  }) as unknown as Transacted<T>;
}

/** Scans in a parcel that is in no manifest, for a recipient with the given phone. */
export function scanNew(station: Station, scan: ScanIn, phone: string, actor = clerk(1), waybill = sfWaybill()) {
  return inTx(station, (tx) => scan.scan(tx, actor, { waybill, recipient: { name: '张三丰', phone, address: '北京市朝阳区望京街道阜通东大街6号' } }));
}

/** A count on either engine (PostgreSQL's COUNT is a bigint, read as text). */
export async function countIn(station: Station, sql: string, ...args: SqlValue[]): Promise<number> {
  return Number((await station.store.value(sql, ...args)) ?? 0);
}

export function count(station: EmbeddedStation, sql: string, ...args: unknown[]): number {
  return (station.db.prepare(sql).pluck().get(...args) as number) ?? 0;
}
