import { describe, expect, it } from 'vitest';
import { parsePhone, phoneTail } from '../../shared/phone';

describe('parsePhone', () => {
  it.each([
    ['13800001111', '13800001111', null],
    ['+86 138 0000 1111', '13800001111', null],
    ['86-138-0000-1111', '13800001111', null],
    ['0086 13800001111', '13800001111', null],
    ['8613800001111', '13800001111', null],
    ['86138 0000 1111', '13800001111', null],
    ['861380000 1111', '13800001111', null],
    ['8613800001111-1234', '13800001111', '1234'],
    ['＋８６ １３８－００００－１１１１', '13800001111', null],
    ['（010）12345678', '01012345678', null],
    ['010-12345678', '01012345678', null],
    ['0571-80135751', '057180135751', null],
    ['13800001111-1234', '13800001111', '1234'],
    ['138 0000 1111 1234', '13800001111', '1234'],
    ['13800001111转1234', '13800001111', '1234'],
    ['13800001111 ext. 12', '13800001111', '12'],
  ])('%j → %s ext %s', (raw, digits, ext) => {
    expect(parsePhone(raw)).toEqual({ digits, ext });
  });

  it.each(['', '   ', 'abc', '12345', '138000011112345', '13800001111转1234转5', 'call 13800001111'])(
    '%j is not a phone number',
    (raw) => {
      expect(parsePhone(raw)).toBeNull();
    },
  );
});

describe('phoneTail', () => {
  it('is the last four digits of the number, not of the extension', () => {
    expect(phoneTail({ digits: '13800001111', ext: '1234' })).toBe('1111');
  });
});
