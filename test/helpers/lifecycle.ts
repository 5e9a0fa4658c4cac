// Lifecycle test kit: a station whose fixture parcels went through the
// counter (imported, scanned in, some picked up, some returned, some still on
// the shelf or never arrived), the Lifecycle service over it, and the raw
// bytes of its files.
import { existsSync, readFileSync } from 'node:fs';
import type { Actor } from '../../shared/actor';
import { AuditLog } from '../../main/audit/audit-log';
import { PickupDesk } from '../../main/counter/pickup';
import { ProblemFlags } from '../../main/counter/problems';
import { ReturnDesk } from '../../main/counter/returns';
import type { KeyProtector } from '../../main/crypto/key-protector';
import { importManifest } from '../../main/inbound/import-manifest';
import { ScanIn } from '../../main/inbound/scan-in';
import { Lifecycle } from '../../main/lifecycle/lifecycle';
import { Settings } from '../../main/settings/settings';
import type { Tx } from '../../main/store/engine/store';
import type { Station as AnyStation } from '../../main/store/station';
import { clerk } from './counter';
import { readFixture } from './fixtures';

export const FIXTURES = ['manifest-small.csv', 'manifest-edge.csv'];
export const SUPERVISOR: Actor = { userId: 0, username: 'cli', displayName: 'CLI', role: 'supervisor', workstation: 'counter-1' };

export interface WorkedParcels {
  pickedUp: number[];
  returned: number[];
  onShelf: number[];
  expected: number[];
}

/**
 * Imports both fixtures, scans in all but every tenth parcel, then hands over
 * half of those (with a proxy note and a problem note on some), returns a
 * fifth to the courier and leaves the rest on the shelf.
 */
export async function workThroughCounter(station: AnyStation, clock: { now: () => Date; advance(d: { days?: number; minutes?: number }): void }): Promise<WorkedParcels> {
  for (const f of FIXTURES) await importManifest(station, f, readFixture(f), { now: clock.now });
  clock.advance({ minutes: 60 });
  const q = station.store;
  const ids = (await q.all<{ id: number }>('SELECT id FROM parcels ORDER BY id')).map((r) => Number(r.id));
  const tx = <T>(fn: (t: Tx) => Promise<T>) => q.transaction(fn);
  const waybills = new Map((await q.all<{ id: number; waybill_no: string }>('SELECT id, waybill_no FROM parcels')).map((r) => [Number(r.id), r.waybill_no]));
  const waybill = { get: (id: number): string => waybills.get(id)! };
  const actor = clerk(1);
  const scan = new ScanIn(station, { now: clock.now });
  const desk = new PickupDesk(station, { now: clock.now });
  const returns = new ReturnDesk(station, { now: clock.now });
  const flags = new ProblemFlags(station, { now: clock.now });
  const out: WorkedParcels = { pickedUp: [], returned: [], onShelf: [], expected: [] };
  for (const [i, id] of ids.entries()) {
    if (i % 10 === 9) out.expected.push(id);
    else await tx((t) => scan.scan(t, actor, { waybill: waybill.get(id) }));
  }
  clock.advance({ minutes: 60 });
  const shelved = ids.filter((_, i) => i % 10 !== 9);
  for (const [i, id] of shelved.entries()) {
    if (i % 2 === 0) {
      if (i % 6 === 0) await tx((t) => flags.flag(t, actor, { parcelId: id, kind: 'damaged', note: '外箱破损，已拍照' }));
      await tx((t) => desk.handOver(t, actor, { customerParcelId: id, waybill: waybill.get(id), ...(i % 4 === 0 ? { proxy: true, proxyNote: '邻居代取' } : {}) }));
      out.pickedUp.push(id);
    } else if (i % 5 === 1) out.returned.push(id);
    else out.onShelf.push(id);
  }
  const byCarrier = new Map<string, number[]>();
  for (const id of out.returned) {
    const carrier = (await q.value<string>('SELECT carrier FROM parcels WHERE id = ?', id))!;
    byCarrier.set(carrier, [...(byCarrier.get(carrier) ?? []), id]);
  }
  for (const parcelIds of byCarrier.values()) {
    const batch = await tx((t) => returns.moveToReturnBatch(t, actor, { parcelIds }));
    for (const id of parcelIds) await tx((t) => returns.scanOut(t, actor, waybill.get(id), batch.id));
    await tx((t) => returns.handToCourier(t, actor, batch.id));
  }
  return out;
}

export function lifecycleOf(station: AnyStation, now: () => Date, keyProtector?: KeyProtector): { lifecycle: Lifecycle; audit: AuditLog } {
  const audit = new AuditLog(station, now);
  const lifecycle = new Lifecycle(station, { settings: new Settings(), audit, record: (tx, e) => audit.record(tx, e), now, workstation: 'counter-1', keyProtector });
  return { lifecycle, audit };
}

/** The database file and its WAL, as a copied disk would show them. */
export function rawBytes(path: string): Buffer {
  return Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
}
