// The name a failed sign-in is recorded under. An account's own name is staff
// data and is kept; anything else typed into the username box could be any
// text (a customer's phone number typed into the wrong field), so the audit
// chain keeps only a keyed hash of it.
import type { StationKeys } from '../crypto/keyring';
import type { Queryable } from '../store/engine/store';
import type { Accounts } from './accounts';

export const UNKNOWN_USERNAME_PREFIX = 'unknown:';

export async function triedUsername(q: Queryable, accounts: Accounts, keys: StationKeys, typed: string): Promise<string> {
  return (await accounts.findByUsername(q, typed))?.username ?? `${UNKNOWN_USERNAME_PREFIX}${Buffer.from(keys.unknownUsernameTag(typed)).toString('hex')}`;
}
