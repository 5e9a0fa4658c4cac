import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, totp, totpStep } from '../../main/auth/totp';
import { hashSecret, verifySecret } from '../../main/auth/password';

const RFC_SECRET = new TextEncoder().encode('12345678901234567890');

describe('TOTP (RFC 6238, SHA-1)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('matches the RFC test vector at T=%i', (t, expected) => {
    expect(totp(RFC_SECRET, new Date(t * 1000), 8)).toBe(expected);
  });

  it('matches RFC 4226 HOTP vectors', () => {
    expect([0, 1, 2, 9].map((c) => hotp(RFC_SECRET, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('accepts one step of drift, refuses replays and older steps', () => {
    const at = new Date(1_800_000_000_000);
    const step = totpStep(at);
    const code = totp(RFC_SECRET, at);
    expect(matchTotp(RFC_SECRET, code, at, null)).toBe(step);
    expect(matchTotp(RFC_SECRET, code, new Date(at.getTime() + 30_000), null)).toBe(step);
    expect(matchTotp(RFC_SECRET, code, new Date(at.getTime() + 90_000), null)).toBeNull();
    expect(matchTotp(RFC_SECRET, code, at, step)).toBeNull();
    expect(matchTotp(RFC_SECRET, '12345', at, null)).toBeNull();
  });

  it('base32 round-trips (RFC 4648 vector)', () => {
    expect(base32Encode(new TextEncoder().encode('foobar'))).toBe('MZXW6YTBOI');
    expect(new TextDecoder().decode(base32Decode('MZXW6YTBOI'))).toBe('foobar');
  });
});

describe('password hashing', () => {
  it('verifies the right secret only, with a fresh salt each time', () => {
    const cost = { N: 1024, r: 8, p: 1 };
    const a = hashSecret('秘密 password', cost);
    expect(a).not.toBe(hashSecret('秘密 password', cost));
    expect(verifySecret('秘密 password', a)).toBe(true);
    expect(verifySecret('秘密 passworD', a)).toBe(false);
    expect(verifySecret('x', 'garbage')).toBe(false);
  });
});
