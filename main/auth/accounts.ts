// Staff accounts: creation, credentials, lockout. Secrets never leave this
// module: callers get UserSummary, never hashes or the TOTP secret.
import { AppError, type ErrorCode } from '../../shared/errors';
import type { Role } from '../../shared/actor';
import { isRecoveryCode, MIN_PASSWORD_LENGTH } from '../../shared/credentials';
import type { UserSummary } from '../../shared/ipc/contract';

export type { UserSummary };
import { openText, sealText } from '../crypto/envelope';
import type { Queryable, Tx } from '../store/engine/store';
import type { Station } from '../store/station';
import { hashSecret, verifySecret, type HashCost, PASSWORD_COST } from './password';
import { newRecoveryCodes } from './recovery-codes';
import { base32Decode, base32Encode, matchTotp, newTotpSecret } from './totp';

export const MAX_FAILED_ATTEMPTS = 5;
/** Failed approvals a requester may make before having to wait between attempts. */
const FREE_APPROVAL_FAILURES = 1;
const APPROVAL_WAIT_MS = 5_000;


interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  pin_hash: string | null;
  totp_secret_ct: Uint8Array;
  totp_enrolled: number;
  totp_last_step: number | null;
  failed_logins: number;
  locked_at: string | null;
  disabled_at: string | null;
  approval_failures: number;
  approval_failed_at: string | null;
}

/** A credential being checked; `recovery` is a one-time recovery code standing in for the TOTP code. */
export interface Credential {
  password?: string;
  pin?: string;
  totp?: string;
  recovery?: string;
}

const summary = (u: UserRow): UserSummary => ({
  id: u.id,
  username: u.username,
  displayName: u.display_name,
  role: u.role,
  totpEnrolled: u.totp_enrolled === 1,
  locked: u.locked_at !== null,
  disabled: u.disabled_at !== null,
});

/** Says which credential was wrong when only one was asked for (a PIN, a code); a login names none. */
function failureCode(c: Credential): 'LOGIN_FAILED' | 'WRONG_PIN' | 'WRONG_CODE' {
  if (c.password !== undefined) return 'LOGIN_FAILED';
  return c.pin !== undefined ? 'WRONG_PIN' : 'WRONG_CODE';
}

const totpContext = (id: number): string => `users.totp#${id}`;

const SQL = {
  count: 'SELECT count(*) FROM users WHERE disabled_at IS NULL',
  byName: 'SELECT * FROM users WHERE username = ?',
  byId: 'SELECT * FROM users WHERE id = ?',
  list: 'SELECT * FROM users ORDER BY role, username',
  insert: `INSERT INTO users (username, display_name, role, password_hash, totp_secret_ct, created_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  resetTotp: 'UPDATE users SET totp_secret_ct = ?, totp_enrolled = 0, totp_last_step = NULL WHERE id = ?',
  setPin: 'UPDATE users SET pin_hash = ? WHERE id = ?',
  setPassword: 'UPDATE users SET password_hash = ? WHERE id = ?',
  markEnrolled: 'UPDATE users SET totp_enrolled = 1 WHERE id = ?',
  setRole: 'UPDATE users SET role = ? WHERE id = ?',
  setDisabled: 'UPDATE users SET disabled_at = ? WHERE id = ?',
  clearLockout: 'UPDATE users SET failed_logins = 0, approval_failures = 0, approval_failed_at = NULL, locked_at = NULL WHERE id = ?',
  deleteCodes: 'DELETE FROM recovery_codes WHERE user_id = ?',
  insertCode: 'INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)',
  unusedCodes: 'SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL',
  unusedCodeRows: 'SELECT id, code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL',
  useCode: 'UPDATE recovery_codes SET used_at = ? WHERE id = ?',
  resetFailures: 'UPDATE users SET failed_logins = 0 WHERE id = ?',
  fail: 'UPDATE users SET failed_logins = ?, locked_at = ? WHERE id = ?',
  failApproval: 'UPDATE users SET approval_failures = ?, approval_failed_at = ?, locked_at = coalesce(locked_at, ?) WHERE id = ?',
  resetApprovals: 'UPDATE users SET approval_failures = 0, approval_failed_at = NULL WHERE id = ?',
  spendStep: 'UPDATE users SET totp_last_step = ? WHERE id = ?',
};

/**
 * Every method runs on the queryable it is given: an action's transaction,
 * or the store itself for a credential check whose failure must be kept
 * even though the request is refused.
 */
export class Accounts {
  constructor(
    private readonly station: Station,
    private readonly now: () => Date = () => new Date(),
    /** Tests lower the scrypt cost; the stored hash records whichever was used. */
    private readonly hashCost: HashCost = PASSWORD_COST,
  ) {}

  async count(q: Queryable): Promise<number> {
    return Number(await q.value<number>(SQL.count));
  }

  private async row(q: Queryable, username: string): Promise<UserRow | null> {
    return (await q.get<UserRow>(SQL.byName, username.trim())) ?? null;
  }

  private async rowById(q: Queryable, id: number): Promise<UserRow> {
    const u = await q.get<UserRow>(SQL.byId, id);
    if (!u) throw new AppError('USER_NOT_FOUND');
    return u;
  }

  async get(q: Queryable, id: number): Promise<UserSummary> {
    return summary(await this.rowById(q, id));
  }

  async findByUsername(q: Queryable, username: string): Promise<UserSummary | null> {
    const u = await this.row(q, username);
    return u ? summary(u) : null;
  }

  async list(q: Queryable): Promise<UserSummary[]> {
    return (await q.all<UserRow>(SQL.list)).map(summary);
  }

  async create(tx: Tx, input: { username: string; displayName: string; role: Role; password: string }, createdBy: number | null): Promise<UserSummary> {
    if (input.password.length < MIN_PASSWORD_LENGTH) throw new AppError('WEAK_PASSWORD');
    if (await this.row(tx, input.username)) throw new AppError('USER_EXISTS');
    const id = (await tx.value<number>(
      SQL.insert,
      input.username.trim(), input.displayName.trim(), input.role, hashSecret(input.password, this.hashCost), Buffer.alloc(0), this.now().toISOString(), createdBy,
    ))!;
    await this.resetTotp(tx, id);
    return this.get(tx, id);
  }

  /** A fresh, unenrolled TOTP secret; returns it base32-encoded for the enrolment QR code. */
  async resetTotp(q: Queryable, id: number): Promise<string> {
    const secret = newTotpSecret();
    await q.run(SQL.resetTotp, sealText(this.station.keys.field, base32Encode(secret), totpContext(id)), id);
    return base32Encode(secret);
  }

  /** The enrolment secret, only while the user has not confirmed it yet. */
  async pendingTotpSecret(q: Queryable, id: number): Promise<string> {
    const u = await this.rowById(q, id);
    if (u.totp_enrolled) throw new AppError('TOTP_ALREADY_ENROLLED');
    return openText(this.station.keys.field, u.totp_secret_ct, totpContext(id));
  }

  async setPin(q: Queryable, id: number, pin: string): Promise<void> {
    if (!/^\d{4,8}$/.test(pin)) throw new AppError('WEAK_PIN');
    await q.run(SQL.setPin, hashSecret(pin, this.hashCost), id);
  }

  async setPassword(q: Queryable, id: number, password: string): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new AppError('WEAK_PASSWORD');
    await q.run(SQL.setPassword, hashSecret(password, this.hashCost), id);
  }

  async markEnrolled(q: Queryable, id: number): Promise<void> {
    await q.run(SQL.markEnrolled, id);
  }

  async setRole(q: Queryable, id: number, role: Role): Promise<void> {
    await q.run(SQL.setRole, role, id);
  }

  async setDisabled(q: Queryable, id: number, disabled: boolean): Promise<void> {
    await q.run(SQL.setDisabled, disabled ? this.now().toISOString() : null, id);
  }

  async clearLockout(q: Queryable, id: number): Promise<void> {
    await q.run(SQL.clearLockout, id);
  }

  /**
   * A fresh set of one-time recovery codes, replacing any unused ones. Only
   * their hashes are kept: the caller shows the codes once.
   */
  async issueRecoveryCodes(tx: Tx, id: number): Promise<string[]> {
    const codes = newRecoveryCodes();
    await tx.run(SQL.deleteCodes, id);
    for (const c of codes) await tx.run(SQL.insertCode, id, hashSecret(c, this.hashCost));
    return codes;
  }

  async unusedRecoveryCodes(q: Queryable, id: number): Promise<number> {
    return Number(await q.value<number>(SQL.unusedCodes, id));
  }

  /**
   * Checks one credential of a user. Every failure counts towards the lockout;
   * a locked or disabled account fails without checking anything.
   */
  async check(q: Queryable, username: string, credential: Credential): Promise<UserSummary> {
    const u = await this.usable(q, username);
    if (!(await this.verify(q, u, credential))) await this.refuse(q, u, failureCode(credential));
    if (u.failed_logins) await q.run(SQL.resetFailures, u.id);
    return summary(u);
  }

  /**
   * A TOTP code checked inside the caller's transaction: spent (replay
   * protection) when right, nothing written when wrong, so the caller can
   * roll its work back and then count the failure with `refuseCode`.
   */
  async codeMatches(tx: Tx, username: string, totp: string): Promise<boolean> {
    const u = await this.usable(tx, username);
    if (!(await this.verify(tx, u, { totp }))) return false;
    if (u.failed_logins) await tx.run(SQL.resetFailures, u.id);
    return true;
  }

  /** Counts a wrong code that `codeMatches` found, as `check` would have; always throws. */
  async refuseCode(q: Queryable, username: string): Promise<never> {
    return this.refuse(q, await this.usable(q, username), 'WRONG_CODE');
  }

  private async refuse(q: Queryable, u: UserRow, code: ErrorCode): Promise<never> {
    const failures = u.failed_logins + 1;
    const lock = failures >= MAX_FAILED_ATTEMPTS;
    await q.run(SQL.fail, failures, lock ? this.now().toISOString() : null, u.id);
    throw new AppError(lock ? 'ACCOUNT_LOCKED' : code);
  }

  /**
   * An approver's PIN and code typed on someone else's screen. A failure is
   * charged to the requester, never to the approver: otherwise anyone could
   * lock a supervisor out by typing their name with wrong PINs. The requester
   * waits longer after each failure and is locked at the limit.
   */
  async checkApproval(q: Queryable, requesterId: number, username: string, credential: { pin: string; totp: string }): Promise<UserSummary> {
    const r = await this.rowById(q, requesterId);
    if (r.locked_at) throw new AppError('ACCOUNT_LOCKED');
    const wait = this.approvalWait(r);
    if (wait > 0) throw new AppError('APPROVAL_TRY_LATER', `${Math.ceil(wait / 1000)} s`);
    let u: UserRow | null = null;
    let failure: AppError | null = null;
    try {
      u = await this.usable(q, username);
      if (!(await this.verify(q, u, credential))) failure = new AppError(failureCode(credential));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      failure = e;
    }
    if (failure || !u) {
      const failures = r.approval_failures + 1;
      const lock = failures >= MAX_FAILED_ATTEMPTS;
      const at = this.now().toISOString();
      await q.run(SQL.failApproval, failures, at, lock ? at : null, r.id);
      throw lock ? new AppError('APPROVALS_LOCKED') : (failure ?? new AppError('LOGIN_FAILED'));
    }
    if (r.approval_failures) await q.run(SQL.resetApprovals, r.id);
    return summary(u);
  }

  /** Milliseconds the requester must still wait before the next approval attempt. */
  private approvalWait(r: UserRow): number {
    if (r.approval_failures <= FREE_APPROVAL_FAILURES || !r.approval_failed_at) return 0;
    const delay = APPROVAL_WAIT_MS * 2 ** (r.approval_failures - FREE_APPROVAL_FAILURES - 1);
    return Date.parse(r.approval_failed_at) + delay - this.now().getTime();
  }

  /** The account, if it may be checked at all. */
  private async usable(q: Queryable, username: string): Promise<UserRow> {
    const u = await this.row(q, username);
    if (!u) throw new AppError('LOGIN_FAILED');
    if (u.disabled_at) throw new AppError('ACCOUNT_DISABLED');
    if (u.locked_at) throw new AppError('ACCOUNT_LOCKED');
    return u;
  }

  /** Whether every given credential is right; spends a TOTP step or a recovery code only when they all are. */
  private async verify(q: Queryable, u: UserRow, credential: Credential): Promise<boolean> {
    let ok = true;
    if (credential.password !== undefined) ok &&= verifySecret(credential.password, u.password_hash);
    if (credential.pin !== undefined) ok &&= u.pin_hash !== null && verifySecret(credential.pin, u.pin_hash);
    if (credential.totp !== undefined) ok &&= await this.consumeTotp(q, u, credential.totp);
    if (credential.recovery !== undefined) ok &&= await this.consumeRecoveryCode(q, u, credential.recovery);
    return ok;
  }

  private async consumeRecoveryCode(q: Queryable, u: UserRow, code: string): Promise<boolean> {
    if (!isRecoveryCode(code)) return false;
    const rows = await q.all<{ id: number; code_hash: string }>(SQL.unusedCodeRows, u.id);
    const match = rows.find((r) => verifySecret(code.trim().toUpperCase(), r.code_hash));
    if (!match) return false;
    await q.run(SQL.useCode, this.now().toISOString(), match.id);
    return true;
  }

  private async consumeTotp(q: Queryable, u: UserRow, code: string): Promise<boolean> {
    const secret = base32Decode(openText(this.station.keys.field, u.totp_secret_ct, totpContext(u.id)));
    const step = matchTotp(secret, code, this.now(), u.totp_last_step);
    if (step === null) return false;
    await q.run(SQL.spendStep, step, u.id);
    return true;
  }
}
