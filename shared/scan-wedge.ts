// Telling a keyboard-wedge scanner from a person at the keyboard. A scanner in
// keyboard mode "types" a whole code in a burst (a few ms per key) and ends it
// with Enter or Tab; people are slower. Characters come from the physical key
// (KeyboardEvent.code), not from `key`: with a Chinese IME active, `key` is
// "Process" and the text goes into the IME's composition, which is how scans
// get split or swallowed (odoo and onscan.js both hit this).
//
// Pure and DOM-free: the renderer passes its KeyboardEvents in (they satisfy
// WedgeKeyEvent) and acts on the decisions.

export interface WedgeKeyEvent {
  /** Physical key, e.g. "Digit1", "KeyA", "Enter". */
  code: string;
  key: string;
  shiftKey: boolean;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  /** Milliseconds (KeyboardEvent.timeStamp, i.e. on the performance.now() clock). */
  timeStamp: number;
  isComposing: boolean;
}

export interface WedgeOptions {
  /** Longest gap between two keys of one scan. */
  maxInterKeyMs: number;
  /** Shortest code accepted as a scan; shorter bursts are typing. */
  minLength: number;
  /** Physical keys that end a scan. */
  endKeys: readonly string[];
}

export const DEFAULT_WEDGE_OPTIONS: WedgeOptions = {
  maxInterKeyMs: 35,
  minLength: 6,
  endKeys: ['Enter', 'NumpadEnter', 'Tab'],
};

export type WedgeDecision =
  /**
   * Let this key through. `release`: keys held back earlier that turned out to
   * be typing; insert that text at the caret before this key takes effect.
   */
  | { kind: 'pass'; release?: string }
  /** Probably part of a scan: preventDefault() and stopPropagation() it. */
  | { kind: 'suppress' }
  /**
   * A scan ended with this (end) key: suppress the key and handle `code`. The
   * first key of a burst cannot be told from typing, so it was let through:
   * `retract` characters (the start of `code`) reached the focused field, or
   * the IME's composition, and should be removed.
   */
  | { kind: 'scan'; code: string; retract: number };

const SHIFTED_DIGITS = ')!@#$%^&*(';
// US layout, which is what scanners emulate.
const PUNCTUATION: Readonly<Record<string, readonly [string, string]>> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Backquote: ['`', '~'],
  Space: [' ', ' '],
};
const NUMPAD: Readonly<Record<string, string>> = {
  NumpadDecimal: '.',
  NumpadAdd: '+',
  NumpadSubtract: '-',
  NumpadMultiply: '*',
  NumpadDivide: '/',
};
const MODIFIER = /^(Shift|Control|Alt|Meta)(Left|Right)$|^CapsLock$/;

/** The character a key types on a US layout, from the physical key; null for non-character keys. */
export function characterOf(ev: WedgeKeyEvent): string | null {
  if (ev.ctrlKey || ev.altKey || ev.metaKey) return null;
  const { code, shiftKey } = ev;
  if (/^Key[A-Z]$/.test(code)) return shiftKey ? code[3] : code[3].toLowerCase();
  if (/^Digit[0-9]$/.test(code)) return shiftKey ? SHIFTED_DIGITS[Number(code[5])] : code[5];
  if (/^Numpad[0-9]$/.test(code)) return code[6];
  if (code in PUNCTUATION) return PUNCTUATION[code][shiftKey ? 1 : 0];
  if (code in NUMPAD) return NUMPAD[code];
  // A key we have no physical mapping for: trust its character unless an IME hid it.
  if (!ev.isComposing && ev.key !== 'Process' && [...ev.key].length === 1) return ev.key;
  return null;
}

export class KeyboardWedgeDetector {
  private readonly opts: WedgeOptions;
  /** Every character of the current burst, including the first, which was let through. */
  private burst = '';
  /** The suppressed part of the burst (all but the first character). */
  private held = '';
  private lastAt: number | null = null;

  constructor(options: Partial<WedgeOptions> = {}) {
    this.opts = { ...DEFAULT_WEDGE_OPTIONS, ...options };
  }

  feed(ev: WedgeKeyEvent): WedgeDecision {
    // Scanners press Shift around capitals; that must neither end nor extend a burst.
    if (MODIFIER.test(ev.code)) return { kind: 'pass' };
    const fast = this.lastAt !== null && ev.timeStamp - this.lastAt <= this.opts.maxInterKeyMs;
    const release = fast ? '' : this.end();

    if (this.opts.endKeys.includes(ev.code)) {
      if (fast && this.burst.length >= this.opts.minLength) {
        const scan = { kind: 'scan', code: this.burst, retract: this.burst.length - this.held.length } as const;
        this.end();
        return scan;
      }
      return pass(release + this.end());
    }

    const ch = characterOf(ev);
    if (ch === null) return pass(release + this.end());
    this.lastAt = ev.timeStamp;
    this.burst += ch;
    if (!fast) return pass(release);
    this.held += ch;
    return { kind: 'suppress' };
  }

  /**
   * Call from a timer about maxInterKeyMs after a suppressed key, with the same
   * clock as timeStamp: a burst that stopped without an end key was typing, and
   * the returned text (possibly empty) goes back into the field.
   */
  idle(now: number): string {
    if (this.lastAt === null || now - this.lastAt <= this.opts.maxInterKeyMs) return '';
    return this.end();
  }

  /** Forgets the burst; returns the held-back text for the caller to insert. */
  private end(): string {
    const held = this.held;
    this.burst = '';
    this.held = '';
    this.lastAt = null;
    return held;
  }
}

const pass = (release: string): WedgeDecision => (release ? { kind: 'pass', release } : { kind: 'pass' });
