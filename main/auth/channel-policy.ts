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
} as const satisfies Record<ChannelName, Policy>;

export type PublicChannel = {
  [C in ChannelName]: (typeof CHANNEL_POLICY)[C] extends typeof PUBLIC ? C : never;
}[ChannelName];
