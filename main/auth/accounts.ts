// Staff accounts: creation, credentials, lockout. Secrets never leave this
// module: callers get UserSummary, never hashes or the TOTP secret.
import { AppError, type ErrorCode } from '../../shared/errors';
import type { Role } from '../../shared/actor';
import { isRecoveryCode, MIN_PASSWORD_LENGTH } from '../../shared/credentials';
import type { UserSummary } from '../../shared/ipc/contract';

export type { UserSummary };
import { openText, sealText } from '../crypto/envelope';
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

export class Accounts {
  constructor(
    private readonly station: Station,
    private readonly now: () => Date = () => new Date(),
    /** Tests lower the scrypt cost; the stored hash records whichever was used. */
    private readonly hashCost: HashCost = PASSWORD_COST,
  ) {}

  private get db() {
    return this.station.db;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users WHERE disabled_at IS NULL').get() as { n: number }).n;
  }

  private row(username: string): UserRow | null {
    return (this.db.prepare('SELECT * FROM users WHERE username = ?').get(username.trim()) as UserRow | undefined) ?? null;
  }

  private rowById(id: number): UserRow {
    const u = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    if (!u) throw new AppError('USER_NOT_FOUND');
    return u;
  }

  get(id: number): UserSummary {
    return summary(this.rowById(id));
  }

  findByUsername(username: string): UserSummary | null {
    const u = this.row(username);
    return u ? summary(u) : null;
  }

  list(): UserSummary[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY role, username').all() as UserRow[]).map(summary);
  }

  create(input: { username: string; displayName: string; role: Role; password: string }, createdBy: number | null): UserSummary {
    if (input.password.length < MIN_PASSWORD_LENGTH) throw new AppError('WEAK_PASSWORD');
    if (this.row(input.username)) throw new AppError('USER_EXISTS');
    return this.db.transaction(() => {
      const id = this.db
        .prepare(
          `INSERT INTO users (username, display_name, role, password_hash, totp_secret_ct, created_at, created_by)
           VALUES (?, ?, ?, ?, x'', ?, ?)`,
        )
        .run(input.username.trim(), input.displayName.trim(), input.role, hashSecret(input.password, this.hashCost), this.now().toISOString(), createdBy)
        .lastInsertRowid as number;
      this.resetTotp(id);
      return this.get(id);
    })();
  }

  /** A fresh, unenrolled TOTP secret; returns it base32-encoded for the enrolment QR code. */
  resetTotp(id: number): string {
    const secret = newTotpSecret();
    this.db
      .prepare('UPDATE users SET totp_secret_ct = ?, totp_enrolled = 0, totp_last_step = NULL WHERE id = ?')
      .run(sealText(this.station.keys.field, base32Encode(secret), totpContext(id)), id);
    return base32Encode(secret);
  }

  /** The enrolment secret, only while the user has not confirmed it yet. */
  pendingTotpSecret(id: number): string {
    const u = this.rowById(id);
    if (u.totp_enrolled) throw new AppError('TOTP_ALREADY_ENROLLED');
    return openText(this.station.keys.field, u.totp_secret_ct, totpContext(id));
  }

  setPin(id: number, pin: string): void {
    if (!/^\d{4,8}$/.test(pin)) throw new AppError('WEAK_PIN');
    this.db.prepare('UPDATE users SET pin_hash = ? WHERE id = ?').run(hashSecret(pin, this.hashCost), id);
  }

  markEnrolled(id: number): void {
    this.db.prepare('UPDATE users SET totp_enrolled = 1 WHERE id = ?').run(id);
  }

  setRole(id: number, role: Role): void {
    this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, id);
  }

  setDisabled(id: number, disabled: boolean): void {
    this.db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').run(disabled ? this.now().toISOString() : null, id);
  }

  clearLockout(id: number): void {
    this.db.prepare('UPDATE users SET failed_logins = 0, approval_failures = 0, approval_failed_at = NULL, locked_at = NULL WHERE id = ?').run(id);
  }

  /**
   * A fresh set of one-time recovery codes, replacing any unused ones. Only
   * their hashes are kept: the caller shows the codes once.
   */
  issueRecoveryCodes(id: number): string[] {
    const codes = newRecoveryCodes();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(id);
      const insert = this.db.prepare('INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)');
      for (const c of codes) insert.run(id, hashSecret(c, this.hashCost));
    })();
    return codes;
  }

  unusedRecoveryCodes(id: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL').get(id) as { n: number }).n;
  }

  /**
   * Checks one credential of a user. Every failure counts towards the lockout;
   * a locked or disabled account fails without checking anything.
   */
  check(username: string, credential: Credential): UserSummary {
    const u = this.usable(username);
    if (!this.verify(u, credential)) this.refuse(u, failureCode(credential));
    if (u.failed_logins) this.db.prepare('UPDATE users SET failed_logins = 0 WHERE id = ?').run(u.id);
    return summary(u);
  }

  /**
   * A TOTP code checked inside the caller's transaction: spent (replay
   * protection) when right, nothing written when wrong, so the caller can
   * roll its work back and then count the failure with `refuseCode`.
   */
  codeMatches(username: string, totp: string): boolean {
    const u = this.usable(username);
    if (!this.verify(u, { totp })) return false;
    if (u.failed_logins) this.db.prepare('UPDATE users SET failed_logins = 0 WHERE id = ?').run(u.id);
    return true;
  }

  /** Counts a wrong code that `codeMatches` found, as `check` would have; always throws. */
  refuseCode(username: string): never {
    this.refuse(this.usable(username), 'WRONG_CODE');
  }

  private refuse(u: UserRow, code: ErrorCode): never {
    const failures = u.failed_logins + 1;
    const lock = failures >= MAX_FAILED_ATTEMPTS;
    this.db.prepare('UPDATE users SET failed_logins = ?, locked_at = ? WHERE id = ?').run(failures, lock ? this.now().toISOString() : null, u.id);
    throw new AppError(lock ? 'ACCOUNT_LOCKED' : code);
  }

  /**
   * An approver's PIN and code typed on someone else's screen. A failure is
   * charged to the requester, never to the approver: otherwise anyone could
   * lock a supervisor out by typing their name with wrong PINs. The requester
   * waits longer after each failure and is locked at the limit.
   */
  checkApproval(requesterId: number, username: string, credential: { pin: string; totp: string }): UserSummary {
    const r = this.rowById(requesterId);
    if (r.locked_at) throw new AppError('ACCOUNT_LOCKED');
    const wait = this.approvalWait(r);
    if (wait > 0) throw new AppError('APPROVAL_TRY_LATER', `${Math.ceil(wait / 1000)} s`);
    let u: UserRow | null = null;
    let failure: AppError | null = null;
    try {
      u = this.usable(username);
      if (!this.verify(u, credential)) failure = new AppError(failureCode(credential));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      failure = e;
    }
    if (failure || !u) {
      const failures = r.approval_failures + 1;
      const lock = failures >= MAX_FAILED_ATTEMPTS;
      const at = this.now().toISOString();
      this.db
        .prepare('UPDATE users SET approval_failures = ?, approval_failed_at = ?, locked_at = coalesce(locked_at, ?) WHERE id = ?')
        .run(failures, at, lock ? at : null, r.id);
      throw lock ? new AppError('APPROVALS_LOCKED') : (failure ?? new AppError('LOGIN_FAILED'));
    }
    if (r.approval_failures) this.db.prepare('UPDATE users SET approval_failures = 0, approval_failed_at = NULL WHERE id = ?').run(r.id);
    return summary(u);
  }

  /** Milliseconds the requester must still wait before the next approval attempt. */
  private approvalWait(r: UserRow): number {
    if (r.approval_failures <= FREE_APPROVAL_FAILURES || !r.approval_failed_at) return 0;
    const delay = APPROVAL_WAIT_MS * 2 ** (r.approval_failures - FREE_APPROVAL_FAILURES - 1);
    return Date.parse(r.approval_failed_at) + delay - this.now().getTime();
  }

  /** The account, if it may be checked at all. */
  private usable(username: string): UserRow {
    const u = this.row(username);
    if (!u) throw new AppError('LOGIN_FAILED');
    if (u.disabled_at) throw new AppError('ACCOUNT_DISABLED');
    if (u.locked_at) throw new AppError('ACCOUNT_LOCKED');
    return u;
  }

  /** Whether every given credential is right; spends a TOTP step or a recovery code only when they all are. */
  private verify(u: UserRow, credential: Credential): boolean {
    let ok = true;
    if (credential.password !== undefined) ok &&= verifySecret(credential.password, u.password_hash);
    if (credential.pin !== undefined) ok &&= u.pin_hash !== null && verifySecret(credential.pin, u.pin_hash);
    if (credential.totp !== undefined) ok &&= this.consumeTotp(u, credential.totp);
    if (credential.recovery !== undefined) ok &&= this.consumeRecoveryCode(u, credential.recovery);
    return ok;
  }

  private consumeRecoveryCode(u: UserRow, code: string): boolean {
    if (!isRecoveryCode(code)) return false;
    const rows = this.db.prepare('SELECT id, code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL').all(u.id) as { id: number; code_hash: string }[];
    const match = rows.find((r) => verifySecret(code.trim().toUpperCase(), r.code_hash));
    if (!match) return false;
    this.db.prepare('UPDATE recovery_codes SET used_at = ? WHERE id = ?').run(this.now().toISOString(), match.id);
    return true;
  }

  private consumeTotp(u: UserRow, code: string): boolean {
    const secret = base32Decode(openText(this.station.keys.field, u.totp_secret_ct, totpContext(u.id)));
    const step = matchTotp(secret, code, this.now(), u.totp_last_step);
    if (step === null) return false;
    this.db.prepare('UPDATE users SET totp_last_step = ? WHERE id = ?').run(step, u.id);
    return true;
  }
}
