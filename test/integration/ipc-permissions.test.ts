// Every IPC channel, called by every role: allowed ones get past the access
// check, the rest are refused in main. A channel added without a policy or a
// sample input here fails to compile, so it cannot slip past this table.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_POLICY } from '../../main/auth/channel-policy';
import type { Role } from '../../shared/actor';
import { channels, CHANNEL_NAMES, type ChannelName } from '../../shared/ipc/contract';
import { can } from '../../shared/permissions';
import { PASSWORD, PIN, startApp, type TestApp } from '../helpers/app';
import { readFixture, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';

const STAFF = [
  { username: 'clerk1', role: 'clerk' as Role },
  { username: 'audit1', role: 'auditor' as Role },
  { username: 'other', role: 'clerk' as Role },
];
const USER_OF: Record<Role, string> = { clerk: 'clerk1', auditor: 'audit1', supervisor: 'boss' };

/** A valid input per channel, for the acting user. */
const SAMPLE: Record<ChannelName, (t: TestApp, actor: string, otherId: number) => unknown> = {
  'station.status': () => ({}),
  'station.init': () => ({ passphrase: TEST_PASSPHRASE, stationName: 'x' }),
  'station.unlock': () => ({ passphrase: TEST_PASSPHRASE }),
  'station.lock': () => ({}),
  'ui.language': () => ({ lang: 'en' }),
  'manifest.import': () => ({ fileName: 'm.csv', bytes: readFixture('manifest-small.csv') }),
  'auth.status': () => ({}),
  'auth.bootstrap': () => ({ username: 'newboss', displayName: 'n', password: PASSWORD }),
  'auth.enrolment': () => ({ username: 'other', password: PASSWORD }),
  'auth.enrol': (t) => ({ username: 'other', password: PASSWORD, totp: t.code('other'), pin: PIN }),
  'auth.login': (t, actor) => ({ username: actor, password: PASSWORD, totp: t.code(actor) }),
  'auth.resume': (_t, actor) => ({ username: actor, pin: PIN }),
  'auth.lock': () => ({}),
  'auth.logout': () => ({}),
  'accounts.list': () => ({}),
  'accounts.create': (t, actor) => ({ username: `u${Math.random().toString(36).slice(2, 8)}`, displayName: 'n', role: 'clerk', password: PASSWORD, totp: t.code(actor) }),
  'accounts.update': (t, actor, otherId) => ({ userId: otherId, disabled: false, totp: t.code(actor) }),
  'parcels.unmask': (t, actor) => ({
    parcelId: 1,
    field: 'phone',
    purpose: 'dispute',
    note: 'test dispute',
    ...(actor === 'boss' ? { totp: t.code('boss') } : { approval: { username: 'boss', pin: PIN, totp: t.code('boss') } }),
  }),
  'audit.list': () => ({}),
  'audit.verify': () => ({}),
  'anomaly.list': () => ({ openOnly: true }),
  'anomaly.review': (t, actor) => ({ alertId: 1, note: 'reviewed', totp: t.code(actor) }),
  'anomaly.settings.get': () => ({}),
  'anomaly.settings.update': (t, actor) => ({ unmasksPerShift: 4, totp: t.code(actor) }),
  'counter.scanIn': () => ({ waybill: 'SF1000000000001' }),
  'counter.find': () => ({ by: 'tail', value: '1234' }),
  'counter.handOver': () => ({ customerParcelId: 1, waybill: 'SF1000000000001' }),
  'counter.undoHandover': () => ({ handoverId: 1, reason: 'wrong customer' }),
  'counter.overdue': () => ({}),
  'counter.daily': () => ({}),
  'returns.move': () => ({ parcelIds: [1] }),
  'returns.scanOut': () => ({ batchId: 1, waybill: 'SF1000000000001' }),
  'returns.handOver': () => ({ batchId: 1 }),
  'returns.open': () => ({}),
  'returns.get': () => ({ batchId: 1 }),
  'problems.flag': () => ({ parcelId: 1, kind: 'damaged' }),
  'problems.open': () => ({}),
  'counter.myShift': () => ({}),
  'counter.staffDay': () => ({}),
  'counter.settings.get': () => ({}),
  'counter.settings.update': (t, actor) => ({ overdueDays: 7, totp: t.code(actor) }),
  'devices.list': () => ({}),
  'devices.status': () => ({}),
  'devices.choose': (t, actor) => ({ role: 'scanner', vendorId: 1, productId: 2, path: '/dev/hidraw9', totp: t.code(actor) }),
  'devices.forget': (t, actor) => ({ role: 'scanner', totp: t.code(actor) }),
  'devices.chooseUri': (t, actor) => ({ role: 'printer', uri: 'tcp://127.0.0.1:9', language: 'tspl', totp: t.code(actor) }),
  'printers.discover': () => ({}),
  'scanners.discover': () => ({}),
  'print.testPage': () => ({}),
  'print.jobs': () => ({}),
  'print.reprint': () => ({ jobId: 1 }),
  'labels.preview': () => ({ parcelId: 1 }),
  'labels.print': () => ({ parcelId: 1 }),
  'labels.printers': () => ({}),
  'labels.printers.set': (t, actor) => ({ printers: [{ workstation: '', size: '40x30', language: 'en' }], totp: t.code(actor) }),
  'ledger.batch.open': () => ({}),
  'ledger.batch.list': () => ({}),
  'ledger.batch.scan': () => ({ batchId: 1, waybill: 'SF1000000000001' }),
  'ledger.batch.addCount': () => ({ batchId: 1, count: 3, note: 'wet, unreadable' }),
  'ledger.batch.remove': () => ({ batchId: 1, waybill: 'SF1000000000001' }),
  'ledger.destroy': (t, actor) => {
    const witness = actor === 'boss' ? 'other' : 'boss';
    return { batchId: 1, method: 'shredder', deviceId: 'CC-01', witness: { username: witness, pin: PIN, totp: t.code(witness) } };
  },
  'ledger.signoff': (t, actor) => ({ entryId: 1, totp: t.code(actor) }),
  'ledger.correct': (t, actor) => ({ entryId: 1, reason: 'wrong device id', method: 'shredder', deviceId: 'CC-02', totp: t.code(actor) }),
  'ledger.list': () => ({ from: '2026-11-01', to: '2026-11-30' }),
  'ledger.outstanding': () => ({}),
  'ledger.settings': (t, actor) => ({ outstandingDays: 10, totp: t.code(actor) }),
  'ledger.export': (t, actor) => ({ format: 'csv', from: '2026-11-01', to: '2026-11-30', totp: t.code(actor) }),
  'audit.export': (t, actor) => ({ format: 'csv', from: '2026-11-01', to: '2026-11-30', totp: t.code(actor) }),
  'lifecycle.status': () => ({}),
  'lifecycle.settings': (t, actor) => ({ pickedUpDays: 30, totp: t.code(actor) }),
  'lifecycle.purge': (t, actor) => ({ dryRun: true, totp: t.code(actor) }),
  'lifecycle.dsr.find': (t, actor) => ({ phone: '13800001234', kind: 'access', totp: t.code(actor) }),
  'lifecycle.dsr.export': (t, actor) => ({ reference: 'DSR-20261125-001', totp: t.code(actor) }),
  'lifecycle.dsr.erase': (t, actor) => ({ reference: 'DSR-20261125-001', totp: t.code(actor) }),
  'lifecycle.dsr.list': (t, actor) => ({ totp: t.code(actor) }),
  'lifecycle.incident.create': (t, actor) => ({ type: 'physical_loss', discoveredAt: '2026-11-25T08:30:00+08:00', reporter: 'clerk1', description: 'counter PC missing', totp: t.code(actor) }),
  'lifecycle.incident.update': (t, actor) => ({ incidentId: 1, description: 'counter PC missing since Monday', totp: t.code(actor) }),
  'lifecycle.incident.step': (t, actor) => ({ incidentId: 1, kind: 'assessed', notificationRequired: true, totp: t.code(actor) }),
  'lifecycle.incident.affected': (t, actor) => ({ incidentId: 1, select: { by: 'dates', from: '2026-11-01', to: '2026-11-25' }, totp: t.code(actor) }),
  'lifecycle.incident.close': (t, actor) => ({ incidentId: 1, rootCause: 'unlocked office', remediation: 'lock fitted', totp: t.code(actor) }),
  'lifecycle.incident.list': (t, actor) => ({ openOnly: true, totp: t.code(actor) }),
  'lifecycle.incident.get': (t, actor) => ({ incidentId: 1, totp: t.code(actor) }),
  'lifecycle.incident.export': (t, actor) => ({ incidentId: 1, totp: t.code(actor) }),
  'lifecycle.restrict': (t, actor) => ({ on: true, totp: t.code(actor) }),
  'lifecycle.backup.now': (t, actor) => ({ totp: t.code(actor) }),
  'lifecycle.backup.list': (t, actor) => ({ totp: t.code(actor) }),
  'lifecycle.backup.restore': (t, actor) => ({ file: '/nonexistent/backup.pcbak', target: '/nonexistent/restored.db', passphrase: 'x', totp: t.code(actor) }),
  'lifecycle.backup.chooseFolder': () => ({}),
  'lifecycle.rotate': (t, actor) => ({ passphrase: TEST_PASSPHRASE, totp: t.code(actor) }),
  'lifecycle.passphrase': (t, actor) => ({ passphrase: TEST_PASSPHRASE, newPassphrase: 'a new passphrase', totp: t.code(actor) }),
  'notify.settings.get': () => ({}),
  'notify.settings.update': (t, actor) => ({ batchSeconds: 60, totp: t.code(actor) }),
  'notify.credentials.set': (t, actor) => ({ provider: 'webhook', secrets: { secret: 'hook-secret' }, totp: t.code(actor) }),
  'notify.preview': () => ({ kind: 'arrival', template: { code: 'SMS_1', text: '{station} {codes}' } }),
  'notify.outbox': () => ({}),
  'notify.drain': () => ({}),
  'notify.copy': () => ({ id: 1 }),
  'notify.optOut': () => ({ phone: '13800001234', optOut: true }),
  'notify.optOut.status': () => ({ phone: '13800001234' }),
  'stocktake.current': () => ({}),
  'stocktake.start': () => ({ layers: ['1-1'] }),
  'stocktake.scan': () => ({ code: '1-1' }),
  'stocktake.pause': () => ({}),
  'stocktake.resume': () => ({}),
  'stocktake.progress': () => ({}),
  'stocktake.close': (t, actor) => ({ note: 'done', totp: t.code(actor) }),
  'stocktake.export': (t, actor) => ({ stocktakeId: 1, format: 'csv', totp: t.code(actor) }),
  'shelves.move': () => ({ waybill: 'SF1000000000001', to: '1-2' }),
  'shelves.moveLayer': () => ({ from: '1-1', to: '1-2' }),
  'shelves.labels': () => ({ layers: ['1-1'], symbol: 'qr', size: '40x30', format: 'tspl' }),
  'closing.closeDay': (t, actor) => ({ date: '2026-11-24', totp: t.code(actor) }),
  'closing.exportDay': (t, actor) => ({ date: '2026-11-24', format: 'csv', totp: t.code(actor) }),
  'closing.settlement': (t, actor) => ({ from: '2026-11-01', to: '2026-11-30', format: 'csv', totp: t.code(actor) }),
  'closing.history': () => ({ limit: 7 }),
  'closing.fees': () => ({}),
  'closing.fees.set': (t, actor) => ({ fees: { SF: '0.50' }, totp: t.code(actor) }),
  'photos.settings.get': () => ({}),
  'photos.settings.update': (t, actor) => ({ mode: 'proxy', totp: t.code(actor) }),
  'photos.handOver': () => ({ customerParcelId: 1, waybill: 'SF1000000000001' }),
  'photos.attach': () => ({ token: '0'.repeat(32), photo: new Uint8Array([0xff, 0xd8, 0xff]) }),
  'photos.view': (t, actor) => ({ handoverId: 1, reason: 'dispute check', totp: t.code(actor) }),
};

function stringLeaves(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string' && v.trim().length >= 6) out.push(v);
  else if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) for (const x of Object.values(v)) stringLeaves(x, out);
  return out;
}

const ACCESS_ERRORS = ['FORBIDDEN', 'NOT_LOGGED_IN', 'STEP_UP_REQUIRED', 'SESSION_IDLE_LOCKED'];

// SQLite only: refused calls leave the SQLite file's digest as it was (README, "Tests against PostgreSQL").
describe('role × channel matrix, enforced in main', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('covers every channel of the contract', () => {
    expect(Object.keys(CHANNEL_POLICY).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.keys(SAMPLE).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it.each(CHANNEL_NAMES.map((c) => [c]))('%s: allowed roles pass, others are refused', async (channel) => {
    const t = await startApp(tmp.dir, STAFF);
    const list = await t.call('accounts.list', {});
    const otherId = (list.ok ? (list.value as { id: number; username: string }[]) : []).find((u) => u.username === 'other')!.id;
    const policy = CHANNEL_POLICY[channel];
    // Supervisor last: some of its allowed calls (station.lock) end the session.
    for (const role of ['clerk', 'auditor', 'supervisor'] as const) {
      const actor = USER_OF[role];
      await t.login(actor);
      const result = await t.raw(channel, SAMPLE[channel](t, actor, otherId));
      const code = result.ok ? 'ok' : result.error.code;
      if ('public' in policy) {
        expect(ACCESS_ERRORS, `${channel} as ${role}`).not.toContain(code);
      } else if (can(role, policy.action)) {
        expect(ACCESS_ERRORS, `${channel} as ${role}: ${code}`).not.toContain(code);
      } else {
        expect(code, `${channel} as ${role}`).toBe('FORBIDDEN');
      }
    }
    t.app.close();
  });
});

describe('malformed input on every channel', () => {
  it('is rejected as INVALID_INPUT and writes nothing', async () => {
    const tmp = tempDir();
    const t = await startApp(tmp.dir, STAFF);
    const digest = () => createHash('sha256').update(readFileSync(t.dbPath)).update(readFileSync(`${t.dbPath}-wal`)).digest('hex');
    const before = digest();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNEL_NAMES), fc.anything({ withTypedArray: true, withMap: true, withSet: true }), async (channel, input) => {
        fc.pre(!channels[channel].safeParse(input).success);
        const r = await t.raw(channel, input);
        expect(r.ok).toBe(false);
        expect(r.ok ? '' : r.error.code).toBe('INVALID_INPUT');
        // The error names where the input was wrong, never echoes it.
        const text = JSON.stringify(r);
        for (const leaf of stringLeaves(input)) expect(text).not.toContain(leaf);
      }),
      { numRuns: 600 },
    );
    expect(digest()).toBe(before);
    expect((await t.raw('no.such.channel', {})).ok ? '' : 'UNKNOWN_CHANNEL').toBe('UNKNOWN_CHANNEL');
    t.app.close();
    tmp.cleanup();
  });
});
