// Printing through CUPS for real: a private cupsd (test/helpers/private-cups.ts)
// with a raw queue whose device is a file; the file must hold exactly the
// encoder's bytes, sent over IPP without any lp process. A stopped queue reads
// as offline; a missing one as unreachable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connections } from '../../main/devices/connections';
import { CupsSpooler, parseLpstatPrinters } from '../../main/devices/connections/cups';
import { DeviceManager } from '../../main/devices/device-manager';
import { VirtualHidBackend } from '../../main/devices/virtual/virtual-backend';
import { encodeTspl } from '../../main/labels/tspl';
import { layoutLabel } from '../../main/labels';
import { CARRIERS, type MaskedParcel } from '../../shared/parcel';
import { until } from '../helpers/until';
import { newStation, tempDir } from '../helpers/fixtures';
import { cupsMissing, startPrivateCups, type PrivateCups } from '../helpers/private-cups';

const missing = cupsMissing();

const parcel: MaskedParcel = {
  waybillNo: 'SF1402279137720', carrier: CARRIERS[0], pickupCode: '3-2-1024', status: 'on_shelf',
  name: '张*', phone: '*******5678', address: '北京市朝阳区望京街道****', item: '服装鞋帽',
};

describe('lpstat output', () => {
  it('reads each queue state', () => {
    const text = [
      'printer labels is idle.  enabled since Mon Dec  7 11:05:52 2026',
      'printer receipts now printing receipts-12.  enabled since Mon Dec  7 11:06:00 2026',
      'printer old disabled since Mon Dec  7 10:00:00 2026 -',
      '\treason unknown',
    ].join('\n');
    expect(parseLpstatPrinters(text)).toEqual([
      { queue: 'labels', state: 'idle' },
      { queue: 'receipts', state: 'printing' },
      { queue: 'old', state: 'disabled' },
    ]);
  });
});

describe.skipIf(missing)(`CUPS raw queue${missing ? ` (skipped: ${missing})` : ''}`, { timeout: 60_000 }, () => {
  let cups: PrivateCups;
  beforeAll(async () => {
    cups = await startPrivateCups();
  });
  afterAll(() => cups?.stop());


  it('lists the queues and prints a label byte for byte into the queue’s file', async () => {
    cups.addFileQueue('labels');
    const spooler = new CupsSpooler(cups.env);
    const found = await new Connections({ cups: spooler }).discover();
    expect(found).toContainEqual({ uri: 'cups://labels', kind: 'cups', state: 'idle' });

    const bytes = encodeTspl(layoutLabel(parcel, { size: '60x40', dpi: 203, stationName: '测试驿站', date: new Date('2026-12-07T03:00:00Z') }));
    const tmp = tempDir();
    const { station } = newStation(tmp.dir);
    const m = new DeviceManager({ backend: new VirtualHidBackend(), connections: new Connections({ cups: spooler }), station, pollMs: 200, warn: () => {} });
    try {
      await m.start();
      await m.chooseUri({ role: 'printer', uri: 'cups://labels', language: 'tspl' });
      expect(m.status().find((s) => s.role === 'printer')).toMatchObject({ state: 'connected', uri: 'cups://labels' });
      await m.print('tspl', bytes);
      await until(async () => (await m.printJobs())[0].status === 'done');
      // CUPS writes the file when the job has run, a moment after lp returns.
      await until(() => (cups.readOutput('labels')?.length ?? 0) >= bytes.length);
      expect(new Uint8Array(cups.readOutput('labels')!)).toEqual(bytes);
      expect((await m.printJobs())[0]).toMatchObject({ attempts: 1, printerKey: 'cups://labels' });
    } finally {
      await m.close();
      station.close();
      tmp.cleanup();
    }
  });

  it('sends a job and reads a queue without starting any process: IPP straight to cupsd', async () => {
    cups.addFileQueue('direct');
    // No lp or lpstat can be found: only the queue list, which lpstat gives, is empty.
    const spooler = new CupsSpooler({ ...cups.env, PATH: '/nonexistent' });
    expect(await spooler.queues()).toEqual([]);
    expect(await spooler.state('direct')).toEqual([]);
    const bytes = Uint8Array.from({ length: 3000 }, (_, i) => i % 251);
    await spooler.submit('direct', bytes);
    await until(() => (cups.readOutput('direct')?.length ?? 0) >= bytes.length);
    expect(new Uint8Array(cups.readOutput('direct')!)).toEqual(bytes);
  });

  it('a stopped queue is offline; a queue that does not exist cannot be reached', async () => {
    cups.addFileQueue('stopped');
    cups.disable('stopped');
    const spooler = new CupsSpooler(cups.env);
    expect(await spooler.state('stopped')).toEqual(['offline']);
    await expect(spooler.state('nosuchqueue')).rejects.toMatchObject({ code: 'PRINTER_UNREACHABLE' });
    await expect(spooler.submit('nosuchqueue', Uint8Array.of(1, 2, 3))).rejects.toMatchObject({ code: 'SPOOLER_FAILED' });
  });
});
