// Channels: staff login, shifts, accounts.
import { z } from 'zod';
import { ROLES, type Role } from '../actor';
import { RECOVERY_CODE_PATTERN } from '../credentials';
import { empty, newPassword, password, pin, totpCode, username } from './common';
import type { AlertFacts } from './audit';

const displayName = z.string().trim().min(1).max(32);

export const authChannels = {
  'auth.status': empty,
  /** First run only: creates the supervisor account and returns its enrolment QR code. */
  'auth.bootstrap': z.object({ username, displayName, password: newPassword }).strict(),
  /** The enrolment QR code of a not-yet-enrolled account (after its password). */
  'auth.enrolment': z.object({ username, password }).strict(),
  'auth.enrol': z.object({ username, password, totp: totpCode, pin }).strict(),
  /** Password plus either the authenticator code or, for a lost authenticator, one of the one-time recovery codes. */
  'auth.login': z
    .object({ username, password, totp: totpCode.optional(), recoveryCode: z.string().trim().regex(RECOVERY_CODE_PATTERN).optional() })
    .strict()
    .refine((v) => (v.totp === undefined) !== (v.recoveryCode === undefined), { path: ['totp'], message: 'either totp or recoveryCode' }),
  /** Resume an idle-locked shift, or switch to another open shift, with the PIN. */
  'auth.resume': z.object({ username, pin }).strict(),
  'auth.lock': empty,
  'auth.logout': empty,
  'accounts.list': empty,
  'accounts.create': z.object({ username, displayName, role: z.enum(ROLES), password: newPassword, totp: totpCode }).strict(),
  'accounts.update': z
    .object({
      userId: z.number().int().positive(),
      role: z.enum(ROLES).optional(),
      disabled: z.boolean().optional(),
      clearLockout: z.literal(true).optional(),
      resetTotp: z.literal(true).optional(),
      /** A new password or PIN for someone who forgot theirs. */
      password: newPassword.optional(),
      pin: pin.optional(),
      totp: totpCode,
    })
    .strict(),
} as const;

export interface SessionStatus {
  active: { username: string; displayName: string; role: Role } | null;
  lock: 'idle' | 'anomaly' | null;
  /** With an anomaly lock: the rule that fired and what it saw (counts only). */
  anomaly: { rule: string; facts: AlertFacts } | null;
  openShifts: { username: string; displayName: string }[];
  needsBootstrap: boolean;
  /** The shift on screen ran past its length and was ended (whose, and the length in hours); null otherwise. */
  shiftExpired: { displayName: string; hours: number } | null;
  /** Anomaly alerts waiting for a supervisor's review (a count, nothing personal). */
  openAlerts: number;
  /** Paper waybills detached but not destroyed past the ledger's limit; null when the role does not keep the ledger. */
  outstandingPapers: number | null;
}

export interface Enrolment {
  username: string;
  otpauthUri: string;
  /** The same URI as an SVG QR code, for the authenticator app to scan. */
  qrSvg: string;
  /** One-time codes for a lost authenticator, shown this once (only their hashes are kept). */
  recoveryCodes: string[];
}

export interface UserSummary {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  totpEnrolled: boolean;
  locked: boolean;
  disabled: boolean;
}

export interface AuthOutputs {
  'auth.status': SessionStatus;
  'auth.bootstrap': Enrolment;
  'auth.enrolment': Enrolment;
  'auth.enrol': SessionStatus;
  'auth.login': SessionStatus;
  'auth.resume': SessionStatus;
  'auth.lock': SessionStatus;
  'auth.logout': SessionStatus;
  'accounts.list': UserSummary[];
  'accounts.create': UserSummary;
  'accounts.update': UserSummary;
}
