// The one role × action matrix. Main enforces it on every IPC call and CLI
// command; the renderer may read it only to hide buttons (a convenience).
import type { Role } from './actor';

export const ACTIONS = {
  'parcels.view': ['clerk', 'supervisor'],
  'parcels.import': ['clerk', 'supervisor'],
  'parcels.unmask': ['clerk', 'supervisor'], // a clerk needs a supervisor's approval on the spot
  'counter.operate': ['clerk', 'supervisor'],
  'devices.view': ['clerk', 'supervisor'],
  'devices.configure': ['supervisor'],
  'labels.print': ['clerk', 'supervisor'],
  'ledger.record': ['clerk', 'supervisor'],
  'ledger.view': ['supervisor', 'auditor'],
  'ledger.export': ['supervisor'],
  'ledger.review': ['supervisor'], // sign-off and corrections
  'audit.view': ['supervisor', 'auditor'],
  'audit.export': ['supervisor'],
  'accounts.manage': ['supervisor'],
  'anomaly.review': ['supervisor'],
  'settings.change': ['supervisor'],
  'station.lock': ['supervisor'],
  'accounts.view': ['supervisor'],
  'lifecycle.manage': ['supervisor'],
  'stocktake.close': ['supervisor'],
  'operations.close': ['supervisor'],
  'photos.view': ['supervisor'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ACTIONS;

/** Actions that also need a fresh TOTP code on each call ("every supervisor action"). */
export const STEP_UP_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  'devices.configure',
  'ledger.export',
  'ledger.review',
  'audit.export',
  'accounts.manage',
  'anomaly.review',
  'settings.change',
  'lifecycle.manage',
  'stocktake.close',
  'operations.close',
  'photos.view',
]);

export function can(role: Role, action: Action): boolean {
  return (ACTIONS[action] as readonly Role[]).includes(role);
}
