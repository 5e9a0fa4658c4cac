// Credential shapes come from shared/credentials.ts (zod-free, so the bundle
// stays small); checked here before asking main so a message can name the field.
export { isPin, isRecoveryCode, isTotpCode, isUsername, MIN_PASSWORD_LENGTH } from '../../shared/credentials';

/** A typed whole number (digits only; spaces around it allowed) from min to max, or null. */
export function wholeIn(value: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}
