// Channel and event names without their schemas: the sandboxed preload needs
// only these, and importing the zod schemas would bloat it by ~700 KB.
export const CHANNEL_NAMES = [
  'station.status',
  'station.init',
  'station.unlock',
  'station.lock',
  'manifest.import',
  'parcels.lookup',
  'auth.status',
  'auth.bootstrap',
  'auth.enrolment',
  'auth.enrol',
  'auth.login',
  'auth.resume',
  'auth.lock',
  'auth.logout',
  'accounts.list',
  'accounts.create',
  'accounts.update',
  'parcels.unmask',
  'audit.list',
  'audit.verify',
  'anomaly.list',
  'anomaly.review',
  'counter.scanIn',
  'counter.find',
  'counter.handOver',
  'counter.undoHandover',
  'counter.overdue',
  'counter.daily',
  'returns.move',
  'returns.scanOut',
  'returns.handOver',
  'returns.open',
  'returns.get',
  'problems.flag',
  'problems.open',
  'counter.settings.get',
  'counter.settings.update',
  'devices.list',
  'devices.status',
  'devices.choose',
  'devices.forget',
  'print.jobs',
  'print.reprint',
  'labels.preview',
  'labels.print',
  'ledger.batch.open',
  'ledger.batch.list',
  'ledger.batch.scan',
  'ledger.batch.addCount',
  'ledger.batch.remove',
  'ledger.destroy',
  'ledger.signoff',
  'ledger.correct',
  'ledger.list',
  'ledger.outstanding',
  'ledger.settings',
  'ledger.export',
  'audit.export',
] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const EVENT_NAMES = ['import.progress', 'anomaly.alert', 'devices.status', 'scan', 'print.job', 'ledger.export.progress'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export const IPC_INVOKE = 'pc:invoke';
export const IPC_EVENT = 'pc:event';

export const isChannelName = (c: unknown): c is ChannelName =>
  typeof c === 'string' && (CHANNEL_NAMES as readonly string[]).includes(c);
