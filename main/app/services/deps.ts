// What every application service is built from, by the composition root.
import type { Oversight } from '../../audit/oversight';
import type { Sessions } from '../../auth/sessions';
import type { Accounts } from '../../auth/accounts';
import type { Settings } from '../../settings/settings';
import type { Station } from '../../store/station';
import type { Transactions } from './transaction';

export interface ServiceDeps {
  station: Station;
  settings: Settings;
  accounts: Accounts;
  sessions: Sessions;
  /** Records every audit entry and runs the anomaly rules on it. */
  oversight: Oversight;
  tx: Transactions;
  now: () => Date;
  workstation: string;
}
