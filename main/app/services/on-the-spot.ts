// A second person's PIN and code typed on the requester's screen (an unmask
// approval, a destruction witness). A failure is charged to the requester:
// audited under their name and fed to the failed-logins rule, while the
// accounts service slows and then locks them, never the person named.
import type { Actor } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import { triedUsername } from '../../auth/tried-username';
import type { ServiceDeps } from './deps';

const FAILURES = new Set(['LOGIN_FAILED', 'WRONG_PIN', 'WRONG_CODE', 'ACCOUNT_LOCKED', 'ACCOUNT_DISABLED', 'APPROVALS_LOCKED']);

export async function chargedToRequester<T>(
  { accounts, station, oversight, tx }: ServiceDeps,
  requester: Actor,
  typed: { username: string; for: string; parcelIds?: number[] },
  check: () => Promise<T>,
): Promise<T> {
  try {
    return await check();
  } catch (e) {
    if (e instanceof AppError && FAILURES.has(e.code)) {
      const approver = await triedUsername(station.store, accounts, station.keys, typed.username);
      await tx.run((t) => oversight.record(
        t,
        {
          action: 'auth.approval_failed',
          actor: requester,
          parcelIds: typed.parcelIds,
          detail: { reason: e.code, approver, for: typed.for },
        },
        { kind: 'login-failed' },
      ));
    }
    throw e;
  }
}
