// What a screen reads from main to show: read when `deps` change (not while
// `input` is null, e.g. the screen is hidden) and again on reload(). A failed
// read keeps what was read before and says why; an answer overtaken by a newer
// read, or arriving after the screen went away, is dropped, so a slow answer
// never replaces a fresher one.
import { useCallback, useEffect, useRef, useState, type DependencyList, type Dispatch, type SetStateAction } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { useInvoke } from '../app/session';
import type { ProblemData } from '../components/Problem';

export interface Loaded<T> {
  /** The last successful read, or null before the first. */
  data: T | null;
  /** Why the last read failed; null once one succeeds. */
  problem: ProblemData | null;
  /** A read is under way. */
  loading: boolean;
  /** Reads again; resolves to what was read, or null if the read failed or was overtaken. */
  reload: () => Promise<T | null>;
  /** What the screen learns otherwise (an event, an action's answer) without reading again. */
  setData: Dispatch<SetStateAction<T | null>>;
}

export function useLoad<C extends Channel>(
  channel: C,
  input: ChannelInput<C> | null,
  deps: DependencyList,
  /** Runs after each successful read, with what was read. */
  onLoaded?: (value: ChannelOutput<C>) => void,
): Loaded<ChannelOutput<C>> {
  const invoke = useInvoke();
  const [data, setData] = useState<ChannelOutput<C> | null>(null);
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [loading, setLoading] = useState(false);
  // The newest input and callback, so reload() keeps its identity across renders.
  const latest = useRef({ input, onLoaded });
  latest.current = { input, onLoaded };
  const reads = useRef(0);

  const reload = useCallback(async (): Promise<ChannelOutput<C> | null> => {
    const now = latest.current.input;
    if (now === null) return null;
    const read = ++reads.current;
    setLoading(true);
    const res = await invoke(channel, now);
    if (read !== reads.current) return null;
    setLoading(false);
    if (!res.ok) {
      setProblem({ error: res.error });
      return null;
    }
    setProblem(null);
    setData(res.value);
    latest.current.onLoaded?.(res.value);
    return res.value;
  }, [invoke, channel]);

  useEffect(() => {
    void reload();
    // The caller's deps say when to read again; the input is read through `latest`.
  }, [reload, ...deps]);

  useEffect(
    () => () => {
      reads.current++;
    },
    [],
  );

  return { data, problem, loading, reload, setData };
}
