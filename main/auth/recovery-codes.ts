// One-time recovery codes: printed or written down at enrolment, each one
// stands in for an authenticator code once, for a lost or broken phone.
// 10 characters from 32 unambiguous ones (50 bits): guessing is bounded by
// the login lockout, and only scrypt hashes are stored.
import { randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
// No 0/O, 1/I/L: codes are read off paper.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function newCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
}
