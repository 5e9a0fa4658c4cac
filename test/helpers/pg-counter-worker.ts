// One counter in its own process on a shared PostgreSQL station, driving the
// real application services as the app does: scans in every waybill it is
// given (the other counters get the same ones, in another order), then tries
// to hand over every parcel by its pickup code. Prints one JSON line per
// attempt. Run by test/integration/postgres-counters.test.ts beside others.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import { createServices } from '../../main/app/services';
import { openStation } from '../../main/store/station';

interface Job {
  scans: { waybill: string; recipient?: { name: string; phone: string; address: string } }[];
}

const codeOf = (e: unknown): string => (e instanceof AppError ? e.code : String(e));

async function main(): Promise<void> {
  const [url, worker, racers, phase] = process.argv.slice(2);
  const job = JSON.parse(process.env.COUNTER_JOB!) as Job;
  const s = createServices(await openStation(url, process.env.STATION_PASSPHRASE!), { now: () => new Date(), workstation: `counter-${worker}` });
  const actor: Actor = { userId: 0, username: 'cli', displayName: 'CLI', role: 'supervisor', workstation: `counter-${worker}` };
  // All counters start together, whatever their start-up took.
  const readyDir = join(process.env.READY_DIR!, phase);
  writeFileSync(join(readyDir, worker), '');
  while (readdirSync(readyDir).length < Number(racers)) await new Promise((r) => setTimeout(r, 2));
  const out = (o: object) => process.stdout.write(`${JSON.stringify({ worker, ...o })}\n`);
  try {
    if (phase === 'scan') {
      for (const scan of job.scans) {
        const r = await s.inbound.scanIn(actor, scan);
        out({ waybill: scan.waybill, pickupCode: r.parcel.pickupCode, parcelId: r.parcelId, created: r.created, duplicate: r.duplicate });
      }
    } else {
      for (const { waybill } of job.scans) {
        const found = await s.counter.find(actor, { by: 'waybill', value: waybill });
        const parcel = found.kind === 'customer' ? found.parcels.find((p) => p.waybillNo === waybill) : undefined;
        if (!parcel) {
          out({ waybill, handedOver: false, code: 'NOT_ON_SHELF' });
          continue;
        }
        try {
          await s.counter.handOver(actor, { customerParcelId: parcel.id, waybill });
          out({ waybill, handedOver: true });
        } catch (e) {
          out({ waybill, handedOver: false, code: codeOf(e) });
        }
      }
    }
  } finally {
    await s.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
