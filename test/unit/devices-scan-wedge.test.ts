import { describe, expect, it } from 'vitest';
import { characterOf, KeyboardWedgeDetector, type WedgeDecision, type WedgeKeyEvent } from '../../shared/scan-wedge';

/** Key events a US-layout keyboard (or a scanner emulating one) produces for `text`. */
function keysFor(text: string): Omit<WedgeKeyEvent, 'timeStamp' | 'isComposing'>[] {
  const shifted: Record<string, string> = { '!': 'Digit1', '@': 'Digit2', _: 'Minus', '+': 'Equal' };
  const plain: Record<string, string> = { '-': 'Minus', '=': 'Equal', '/': 'Slash', '.': 'Period', ' ': 'Space' };
  return [...text].map((ch) => {
    if (/[0-9]/.test(ch)) return { code: `Digit${ch}`, key: ch, shiftKey: false };
    if (/[a-z]/.test(ch)) return { code: `Key${ch.toUpperCase()}`, key: ch, shiftKey: false };
    if (/[A-Z]/.test(ch)) return { code: `Key${ch}`, key: ch, shiftKey: true };
    if (ch in shifted) return { code: shifted[ch], key: ch, shiftKey: true };
    if (ch in plain) return { code: plain[ch], key: ch, shiftKey: false };
    throw new Error(`no key for ${ch}`);
  });
}

interface Typing {
  start?: number;
  gapMs: number;
  /** What an active IME reports: key "Process", composing. */
  ime?: boolean;
  end?: 'Enter' | 'Tab' | null;
}

function events(text: string, { start = 1000, gapMs, ime = false, end = 'Enter' }: Typing): WedgeKeyEvent[] {
  const keys = [...keysFor(text), ...(end ? [{ code: end, key: end, shiftKey: false }] : [])];
  return keys.map((k, i) => ({
    ...k,
    key: ime ? 'Process' : k.key,
    isComposing: ime && i > 0,
    timeStamp: start + i * gapMs,
  }));
}

const feedAll = (d: KeyboardWedgeDetector, evs: WedgeKeyEvent[]): WedgeDecision[] => evs.map((e) => d.feed(e));
const scans = (ds: WedgeDecision[]) => ds.filter((d) => d.kind === 'scan');
const suppressed = (ds: WedgeDecision[]) => ds.filter((d) => d.kind !== 'pass').length;

/** What ends up in the focused field when the caller follows the decisions. */
function fieldText(evs: WedgeKeyEvent[], ds: WedgeDecision[], idleRelease = ''): string {
  let text = '';
  ds.forEach((d, i) => {
    if (d.kind === 'pass') {
      text += d.release ?? '';
      text += characterOf(evs[i]) ?? '';
    }
    if (d.kind === 'scan') text = text.slice(0, text.length - d.retract);
  });
  return text + idleRelease;
}

describe('keyboard-wedge scan detection', () => {
  it('recognises a fast burst ending in Enter and keeps all of it out of the field', () => {
    const d = new KeyboardWedgeDetector();
    const evs = events('SF1234567890123', { gapMs: 8 });
    const ds = feedAll(d, evs);
    expect(scans(ds)).toEqual([{ kind: 'scan', code: 'SF1234567890123', retract: 1 }]);
    // Everything but the first key (and the Enter) is suppressed; the first is retracted.
    expect(ds[0]).toEqual({ kind: 'pass' });
    expect(suppressed(ds)).toBe(evs.length - 1);
    expect(fieldText(evs, ds)).toBe('');
  });

  it('ignores the Shift keydowns a scanner sends around capitals', () => {
    const d = new KeyboardWedgeDetector();
    const evs: WedgeKeyEvent[] = [];
    let t = 0;
    for (const k of keysFor('YT88776655')) {
      if (k.shiftKey) evs.push({ code: 'ShiftLeft', key: 'Shift', shiftKey: true, timeStamp: (t += 2), isComposing: false });
      evs.push({ ...k, timeStamp: (t += 5), isComposing: false });
    }
    evs.push({ code: 'Enter', key: 'Enter', shiftKey: false, timeStamp: t + 5, isComposing: false });
    expect(scans(feedAll(d, evs))).toEqual([{ kind: 'scan', code: 'YT88776655', retract: 1 }]);
  });

  it('leaves slow human typing alone, Enter included', () => {
    const d = new KeyboardWedgeDetector();
    const evs = events('13812345678', { gapMs: 180 });
    const ds = feedAll(d, evs);
    expect(ds.every((x) => x.kind === 'pass' && !x.release)).toBe(true);
    expect(fieldText(evs, ds)).toBe('13812345678');
  });

  it('derives the code from physical keys while a Chinese IME is active (key = "Process")', () => {
    const d = new KeyboardWedgeDetector();
    const evs = events('JT0001234567', { gapMs: 6, ime: true });
    expect(evs.slice(0, -1).every((e) => e.key === 'Process')).toBe(true);
    expect(scans(feedAll(d, evs))).toEqual([{ kind: 'scan', code: 'JT0001234567', retract: 1 }]);
  });

  it('accepts Tab as the end key and suppresses it, so focus does not move', () => {
    const d = new KeyboardWedgeDetector();
    const evs = events('7712345678', { gapMs: 10, end: 'Tab' });
    const ds = feedAll(d, evs);
    expect(ds.at(-1)).toEqual({ kind: 'scan', code: '7712345678', retract: 1 });
  });

  it('does not take a fast burst of 3 characters for a scan, and gives the held keys back', () => {
    const d = new KeyboardWedgeDetector();
    // "abc" rolled quickly, then Enter a little later: a person confirming a short entry.
    const evs = events('abc', { gapMs: 25, end: null });
    const ds = feedAll(d, evs);
    expect(ds.map((x) => x.kind)).toEqual(['pass', 'suppress', 'suppress']);
    const enter = d.feed({ code: 'Enter', key: 'Enter', shiftKey: false, timeStamp: 1000 + 2 * 25 + 20, isComposing: false });
    expect(enter).toEqual({ kind: 'pass', release: 'bc' });
    expect(fieldText([...evs, { code: 'Enter', key: 'Enter', shiftKey: false, timeStamp: 0, isComposing: false }], [...ds, enter])).toBe('abc');
  });

  it('gives held keys back when the burst stops without an end key (timer)', () => {
    const d = new KeyboardWedgeDetector();
    const evs = events('xyz', { gapMs: 20, end: null });
    const ds = feedAll(d, evs);
    expect(d.idle(evs.at(-1)!.timeStamp + 10)).toBe(''); // still within the burst window
    const released = d.idle(evs.at(-1)!.timeStamp + 40);
    expect(released).toBe('yz');
    expect(fieldText(evs, ds, released)).toBe('xyz');
    expect(d.idle(evs.at(-1)!.timeStamp + 500)).toBe('');
  });

  it('a slow key after a held burst releases it and starts afresh', () => {
    const d = new KeyboardWedgeDetector();
    const evs = [...events('ab', { gapMs: 20, end: null }), ...events('c', { start: 1300, gapMs: 0, end: null })];
    const ds = feedAll(d, evs);
    expect(ds.at(-1)).toEqual({ kind: 'pass', release: 'b' });
    expect(fieldText(evs, ds)).toBe('abc');
  });

  it('a scan that pauses too long in the middle is not accepted as one code', () => {
    const d = new KeyboardWedgeDetector({ minLength: 8 });
    const evs = [...events('1234', { gapMs: 5, end: null }), ...events('5678', { start: 1200, gapMs: 5 })];
    expect(scans(feedAll(d, evs))).toEqual([]);
  });

  it('a non-character key (Backspace, Ctrl+V) ends a burst as typing', () => {
    const d = new KeyboardWedgeDetector();
    const ds = feedAll(d, events('qwe', { gapMs: 10, end: null }));
    expect(ds.at(-1)?.kind).toBe('suppress');
    expect(d.feed({ code: 'KeyV', key: 'v', ctrlKey: true, shiftKey: false, timeStamp: 1025, isComposing: false })).toEqual({
      kind: 'pass',
      release: 'we',
    });
  });

  it('is configurable: threshold, minimum length and end keys', () => {
    const d = new KeyboardWedgeDetector({ maxInterKeyMs: 60, minLength: 4, endKeys: ['NumpadEnter'] });
    expect(scans(feedAll(d, events('1234', { gapMs: 50, end: 'Enter' })))).toEqual([]);
    const evs = events('1234', { gapMs: 50, end: null });
    evs.push({ code: 'NumpadEnter', key: 'Enter', shiftKey: false, timeStamp: evs.at(-1)!.timeStamp + 50, isComposing: false });
    expect(scans(feedAll(d, evs))).toEqual([{ kind: 'scan', code: '1234', retract: 1 }]);
  });

  it('maps physical keys on a US layout, shifted or not', () => {
    const k = (code: string, shiftKey = false, key = '?') => characterOf({ code, key, shiftKey, timeStamp: 0, isComposing: false });
    expect([k('Digit1'), k('Digit1', true), k('KeyQ'), k('KeyQ', true), k('Minus', true), k('Numpad7'), k('NumpadSubtract')]).toEqual([
      '1', '!', 'q', 'Q', '_', '7', '-',
    ]);
    expect(k('ArrowLeft', false, 'ArrowLeft')).toBeNull();
    expect(characterOf({ code: 'IntlRo', key: 'Process', shiftKey: false, timeStamp: 0, isComposing: true })).toBeNull();
  });
});
