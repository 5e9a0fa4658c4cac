// Schema pieces shared by several channel groups.
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PIN_PATTERN, TOTP_PATTERN, USERNAME_PATTERN } from '../credentials';

export const empty = z.object({}).strict();
/** A fresh authenticator code: supervisors' actions carry one (step-up). */
export const totpCode = z.string().regex(TOTP_PATTERN);
export const username = z.string().trim().regex(USERNAME_PATTERN);
/** A password being checked (any length: the check itself says whether it is right). */
export const password = z.string().min(1).max(MAX_PASSWORD_LENGTH);
/** A password being set: refused before a step-up code is spent on it. */
export const newPassword = z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH);
export const pin = z.string().regex(PIN_PATTERN);
