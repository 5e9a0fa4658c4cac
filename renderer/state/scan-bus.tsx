// One scan bus for the workspace. Barcodes arrive two ways — a keyboard-wedge
// scanner "typing" into whatever has the focus, and a HID POS scanner through
// main's 'scan' event — and both reach the active screen's handler as the
// same ScanEvent. The clerk never clicks into a field first, and the scan's
// text never lands in the focused field, Chinese IME or not.
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { characterOf, DEFAULT_WEDGE_OPTIONS, KeyboardWedgeDetector } from '../../shared/scan-wedge';
import type { ScanEvent } from '../../shared/scan';
import { on } from '../ipc/api';

export type ScanHandler = (scan: ScanEvent) => void;

interface Bus {
  /** The handler registered last gets the scans until it unregisters. */
  register(handler: { current: ScanHandler }): () => void;
}

const ScanBusContext = createContext<Bus | null>(null);

type TextField = HTMLInputElement | HTMLTextAreaElement;
const TEXT_TYPES = new Set(['text', 'search', 'password', 'tel', 'url']);

function focusedTextField(): TextField | null {
  const el = document.activeElement;
  if (el instanceof HTMLTextAreaElement) return el;
  return el instanceof HTMLInputElement && TEXT_TYPES.has(el.type) ? el : null;
}

/**
 * Sets a field's text as typing would: through the native setter, then an
 * input event, so React's onChange sees it like any keystroke.
 */
function setFieldText(el: TextField, value: string, start: number, end = start): void {
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  el.setSelectionRange(start, end);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Text held back from a burst that turned out to be typing goes in at the caret. */
function insertAtCaret(text: string): void {
  const el = focusedTextField();
  if (!text || !el) return;
  const start = el.selectionStart ?? el.value.length;
  const end = el.selectionEnd ?? start;
  setFieldText(el, el.value.slice(0, start) + text + el.value.slice(end), start + text.length);
}

interface Snapshot {
  el: TextField;
  value: string;
  /** The selection too: text selected after a lookup is replaced by whatever the person types next. */
  start: number;
  end: number;
}

function snapshotOf(el: TextField): Snapshot {
  const start = el.selectionStart ?? el.value.length;
  return { el, value: el.value, start, end: el.selectionEnd ?? start };
}

// After a scan, an IME may still commit the composition it was building from
// the scan's keys; for at most this long, and only until the next key, such
// input is undone too.
const IME_SETTLE_MS = 150;
// A burst that stops without an end key was a person typing fast; its held
// keys go back into the field after this long. Far more than the detector's
// gap: a busy main thread can run this timer before key events already queued
// (their timestamps say they came in time), which would split a real scan.
const IDLE_RELEASE_MS = 300;

export function ScanBusProvider({ children }: { children: ReactNode }) {
  const stack = useRef<{ current: ScanHandler }[]>([]);
  const bus = useRef<Bus>({
    register(handler) {
      stack.current.push(handler);
      return () => {
        stack.current = stack.current.filter((h) => h !== handler);
      };
    },
  });

  useEffect(() => {
    const deliver = (scan: ScanEvent) => stack.current.at(-1)?.current(scan);
    const detector = new KeyboardWedgeDetector();
    // The field as it was before the last key let through: the first key of a
    // burst cannot be told from typing, so it reaches the field and is undone here.
    let before: Snapshot | null = null;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let composing = false;
    let endSettle: (() => void) | null = null;

    const restore = (s: Snapshot) => {
      if (s.el.value !== s.value) setFieldText(s.el, s.value, s.start, s.end);
    };
    const settleIme = (s: Snapshot) => {
      const undo = () => restore(s);
      const timer = setTimeout(() => endSettle?.(), IME_SETTLE_MS);
      s.el.addEventListener('input', undo);
      endSettle = () => {
        clearTimeout(timer);
        s.el.removeEventListener('input', undo);
        endSettle = null;
      };
    };

    const onKeyDown = (e: KeyboardEvent) => {
      // Input after a new key is that key's, a person typing or the next scan: never the last scan's IME leftovers.
      endSettle?.();
      // A held key repeats about as fast as a scanner types; scanners never send repeats.
      if (e.repeat) return;
      const decision = detector.feed(e);
      clearTimeout(idleTimer);
      if (decision.kind === 'pass') {
        insertAtCaret(decision.release ?? '');
        if (characterOf(e) !== null) {
          const el = focusedTextField();
          before = el && snapshotOf(el);
        }
        return;
      }
      e.preventDefault();
      e.stopPropagation();
      if (decision.kind === 'suppress') {
        // On Event.timeStamp's clock, not performance.now(): a test's fake clock must not split a burst.
        const quiet = e.timeStamp + DEFAULT_WEDGE_OPTIONS.maxInterKeyMs + 1;
        idleTimer = setTimeout(() => insertAtCaret(detector.idle(quiet)), IDLE_RELEASE_MS);
        return;
      }
      const snap = decision.retract > 0 ? before : null;
      const imeHeld = composing;
      before = null;
      // A composing IME holds the keys in its own buffer; leaving the field ends the composition.
      if (snap && imeHeld) {
        snap.el.blur();
        snap.el.focus();
      }
      deliver({ code: decision.code, symbology: null, source: 'keyboard', at: Date.now() });
      if (!snap) return;
      // Undone once the scan's handler has sent it to main (its first microtask): the undo
      // re-renders the screen, which need not hold the scan back. Still before any other event.
      queueMicrotask(() => {
        restore(snap);
        // Without a composition the first key's text came at once and nothing more can follow.
        if (imeHeld) settleIme(snap);
      });
    };

    const onCompositionStart = () => (composing = true);
    const onCompositionEnd = () => (composing = false);

    window.addEventListener('keydown', onKeyDown, { capture: true });
    window.addEventListener('compositionstart', onCompositionStart, { capture: true });
    window.addEventListener('compositionend', onCompositionEnd, { capture: true });
    const offHid = on('scan', deliver);
    return () => {
      clearTimeout(idleTimer);
      endSettle?.();
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      window.removeEventListener('compositionstart', onCompositionStart, { capture: true });
      window.removeEventListener('compositionend', onCompositionEnd, { capture: true });
      offHid();
    };
  }, []);

  return <ScanBusContext.Provider value={bus.current}>{children}</ScanBusContext.Provider>;
}

/** While `active`, scans go to `onScan` (the latest one passed; re-renders do not re-register). */
export function useScans(active: boolean, onScan: ScanHandler): void {
  const bus = useContext(ScanBusContext);
  if (!bus) throw new Error('useScans: outside the scan bus');
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  });
  useEffect(() => (active ? bus.register(handler) : undefined), [active, bus]);
}
