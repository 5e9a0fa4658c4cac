// The shapes of staff credentials, zod-free so the renderer can check a form
// field before asking main (main validates again with the same patterns).
export const MAX_USERNAME_LENGTH = 32;
export const USERNAME_PATTERN = new RegExp(`^[\\p{L}\\p{N}._-]{2,${MAX_USERNAME_LENGTH}}$`, 'u');
export const TOTP_PATTERN = /^\d{6}$/;
export const PIN_PATTERN = /^\d{4,8}$/;
/** A one-time recovery code as shown at enrolment (case does not matter when typed). */
export const RECOVERY_CODE_PATTERN = /^[A-Za-z2-9]{5}-[A-Za-z2-9]{5}$/;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

export const isUsername = (s: string): boolean => USERNAME_PATTERN.test(s.trim());
export const isTotpCode = (s: string): boolean => TOTP_PATTERN.test(s);
export const isPin = (s: string): boolean => PIN_PATTERN.test(s);
export const isRecoveryCode = (s: string): boolean => RECOVERY_CODE_PATTERN.test(s.trim());
