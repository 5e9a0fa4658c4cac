// "Working on it" for calls that usually answer within a frame or two. It
// shows only once a call has taken a while: a quick answer then costs the
// screen one render and one frame, the answer's, instead of three renders
// (busy, answer, idle), and the button does not flicker at every scan.
import { useCallback, useRef, useState, type RefObject } from 'react';

const SHOW_AFTER_MS = 250;

export interface Busy {
  /** A call has been running long enough to say so. */
  shown: boolean;
  /** A call is running, said so yet or not. */
  running: RefObject<boolean>;
  during<T>(call: Promise<T>): Promise<T>;
}

export function useBusy(): Busy {
  const [shown, setShown] = useState(false);
  const running = useRef(false);
  const during = useCallback(async <T>(call: Promise<T>): Promise<T> => {
    running.current = true;
    const timer = setTimeout(() => setShown(true), SHOW_AFTER_MS);
    try {
      return await call;
    } finally {
      clearTimeout(timer);
      running.current = false;
      setShown(false);
    }
  }, []);
  return { shown, running, during };
}
