// Runs async tasks one at a time, in the order they were handed in: a
// scanner can fire the next code before main has answered the last one.
import { useCallback, useRef } from 'react';

export function useSerial(): (task: () => Promise<void>) => Promise<void> {
  const tail = useRef<Promise<void>>(Promise.resolve());
  return useCallback((task) => {
    const run = tail.current.then(task);
    // A failed task must not stop the ones after it; each caller still sees its own failure.
    tail.current = run.catch(() => {});
    return run;
  }, []);
}
