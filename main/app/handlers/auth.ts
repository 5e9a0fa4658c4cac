// Handlers: first-run bootstrap, enrolment, login, shifts, accounts.
import QRCode from 'qrcode';
import type { Actor } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import type { Enrolment } from '../../../shared/ipc/contract';
import { otpauthUri } from '../../auth/totp';
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

const ISSUER = '隐私驿站 Privacy Counter';

async function enrolment(username: string, base32Secret: string): Promise<Enrolment> {
  const uri = otpauthUri(base32Secret, username, ISSUER);
  return { username, otpauthUri: uri, qrSvg: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
}

function refuseOwnAccount(actor: Actor, userId: number): void {
  // Nobody raises their own role or lifts their own lock.
  if (actor.userId === userId) throw new AppError('OWN_ACCOUNT');
}

export function authHandlers(app: AppContext): AuthHandlers {
  const s = () => app.unlocked();
  const status = () => s().sessions.status();
  return {
    'auth.status': () => status(),
    'auth.bootstrap': ({ username, displayName, password }) => {
      const { accounts } = s();
      if (accounts.count() > 0) throw new AppError('BOOTSTRAP_DONE');
      const user = accounts.create({ username, displayName, role: 'supervisor', password }, null);
      return enrolment(user.username, accounts.pendingTotpSecret(user.id));
    },
    'auth.enrolment': ({ username, password }) => {
      const { accounts } = s();
      const user = accounts.check(username, { password });
      return enrolment(user.username, accounts.pendingTotpSecret(user.id));
    },
    'auth.enrol': ({ username, password, totp, pin }) => {
      s().sessions.enrol(username, password, totp, pin);
      return status();
    },
    'auth.login': ({ username, password, totp }) => {
      s().sessions.login(username, password, totp);
      return status();
    },
    'auth.resume': ({ username, pin }) => {
      s().sessions.resume(username, pin);
      return status();
    },
    'auth.lock': () => {
      s().sessions.lockActive();
      return status();
    },
    'auth.logout': () => {
      s().sessions.logout();
      return status();
    },
    'accounts.list': () => s().accounts.list(),
    'accounts.create': ({ username, displayName, role, password }, { actor }) =>
      s().accounts.create({ username, displayName, role, password }, actor.userId),
    'accounts.update': ({ userId, role, disabled, clearLockout, resetTotp }, { actor }) => {
      const { accounts } = s();
      accounts.get(userId);
      if (role !== undefined || disabled !== undefined || clearLockout) refuseOwnAccount(actor, userId);
      if (role !== undefined) accounts.setRole(userId, role);
      if (disabled !== undefined) accounts.setDisabled(userId, disabled);
      if (clearLockout) accounts.clearLockout(userId);
      if (resetTotp) accounts.resetTotp(userId);
      return accounts.get(userId);
    },
  };
}
