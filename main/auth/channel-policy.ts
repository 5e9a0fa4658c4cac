// Which action each IPC channel performs. The type makes a channel without an
// entry a compile error, and test/unit/channel-policy.test.ts checks every
// channel against every role at run time.
import type { ChannelName } from '../../shared/ipc/names';
import type { Action } from '../../shared/permissions';

/** Reachable before anyone logs in: status, station unlock and the login steps themselves. */
export const PUBLIC = { public: true } as const;
export type Policy = typeof PUBLIC | { action: Action };

export const CHANNEL_POLICY = {
  'station.status': PUBLIC,
  'station.init': PUBLIC,
  'station.unlock': PUBLIC,
  'station.lock': { action: 'station.lock' },
  'manifest.import': { action: 'parcels.import' },
  'parcels.lookup': { action: 'parcels.view' },
  'auth.status': PUBLIC,
  'auth.bootstrap': PUBLIC,
  'auth.enrolment': PUBLIC,
  'auth.enrol': PUBLIC,
  'auth.login': PUBLIC,
  'auth.resume': PUBLIC,
  'auth.lock': PUBLIC,
  'auth.logout': PUBLIC,
  'accounts.list': { action: 'accounts.view' },
  'accounts.create': { action: 'accounts.manage' },
  'accounts.update': { action: 'accounts.manage' },
  'parcels.unmask': { action: 'parcels.unmask' },
  'audit.list': { action: 'audit.view' },
  'audit.verify': { action: 'audit.view' },
  'anomaly.list': { action: 'audit.view' },
  'anomaly.review': { action: 'anomaly.review' },
  'counter.scanIn': { action: 'counter.operate' },
  'counter.find': { action: 'parcels.view' },
  'counter.handOver': { action: 'counter.operate' },
  'counter.undoHandover': { action: 'counter.operate' },
  'counter.overdue': { action: 'parcels.view' },
  'counter.daily': { action: 'counter.operate' },
  'returns.move': { action: 'counter.operate' },
  'returns.scanOut': { action: 'counter.operate' },
  'returns.handOver': { action: 'counter.operate' },
  'returns.open': { action: 'counter.operate' },
  'returns.get': { action: 'counter.operate' },
  'problems.flag': { action: 'counter.operate' },
  'problems.open': { action: 'counter.operate' },
  'counter.settings.get': { action: 'counter.operate' },
  'counter.settings.update': { action: 'settings.change' },
  'devices.list': { action: 'devices.view' },
  'devices.status': { action: 'devices.view' },
  'devices.choose': { action: 'devices.configure' },
  'devices.forget': { action: 'devices.configure' },
  'print.jobs': { action: 'devices.view' },
  'print.reprint': { action: 'labels.print' },
  'labels.preview': { action: 'labels.print' },
  'labels.print': { action: 'labels.print' },
  'ledger.batch.open': { action: 'ledger.record' },
  'ledger.batch.list': { action: 'ledger.record' },
  'ledger.batch.scan': { action: 'ledger.record' },
  'ledger.batch.addCount': { action: 'ledger.record' },
  'ledger.batch.remove': { action: 'ledger.record' },
  'ledger.destroy': { action: 'ledger.record' },
  'ledger.signoff': { action: 'ledger.review' },
  'ledger.correct': { action: 'ledger.review' },
  'ledger.list': { action: 'ledger.view' },
  'ledger.outstanding': { action: 'ledger.record' },
  'ledger.settings': { action: 'settings.change' },
  'ledger.export': { action: 'ledger.export' },
  'audit.export': { action: 'audit.export' },
} as const satisfies Record<ChannelName, Policy>;

export type PublicChannel = {
  [C in ChannelName]: (typeof CHANNEL_POLICY)[C] extends typeof PUBLIC ? C : never;
}[ChannelName];
