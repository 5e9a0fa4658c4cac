// Handlers: first-run bootstrap, enrolment, login, shifts, accounts
// (services/accounts.ts).
import type { Handlers } from '../../ipc/router';
import type { AppContext } from '../context';

type AuthHandlers = Pick<
  Handlers,
  | 'auth.status'
  | 'auth.bootstrap'
  | 'auth.enrolment'
  | 'auth.enrol'
  | 'auth.login'
  | 'auth.resume'
  | 'auth.lock'
  | 'auth.logout'
  | 'accounts.list'
  | 'accounts.create'
  | 'accounts.update'
>;

export function authHandlers(app: AppContext): AuthHandlers {
  const s = () => app.unlocked().accounts;
  return {
    'auth.status': () => s().status(),
    'auth.bootstrap': (input) => s().bootstrap(input),
    'auth.enrolment': ({ username, password }) => s().enrolment(username, password),
    'auth.enrol': ({ username, password, totp, pin }) => s().enrol(username, password, totp, pin),
    'auth.login': ({ username, password, totp, recoveryCode }) =>
      s().login(username, password, recoveryCode === undefined ? { totp: totp! } : { recovery: recoveryCode }),
    'auth.resume': ({ username, pin }) => s().resume(username, pin),
    'auth.lock': () => s().lock(),
    'auth.logout': () => s().logout(),
    'accounts.list': () => s().list(),
    'accounts.create': ({ username, displayName, role, password }, { actor }) => s().create(actor, { username, displayName, role, password }),
    'accounts.update': ({ totp: _totp, ...change }, { actor }) => s().update(actor, change),
  };
}
