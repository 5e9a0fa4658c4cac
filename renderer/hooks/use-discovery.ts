// A "find" button's list: what a discovery channel found, and why a kind of
// device could not be searched, kept apart for the screen to show.
import { useState } from 'react';
import type { DiscoveryError } from '../../shared/devices';
import type { ProblemData } from '../components/Problem';
import { useInvoke } from '../app/session';

type DiscoveryChannel = 'printers.discover' | 'scanners.discover';

export function useDiscovery<F extends { uri: string }>(channel: DiscoveryChannel, onProblem: (problem: ProblemData) => void) {
  const invoke = useInvoke();
  const [found, setFound] = useState<(F | DiscoveryError)[] | null>(null);

  async function find() {
    const res = await invoke(channel, {});
    if (!res.ok) return onProblem({ error: res.error });
    setFound(res.value as (F | DiscoveryError)[]);
  }

  const isFound = (f: F | DiscoveryError): f is F => 'uri' in f;
  return {
    find,
    /** Null until the first search. */
    searched: found !== null,
    devices: found?.filter(isFound) ?? [],
    failures: found?.filter((f): f is DiscoveryError => !isFound(f)) ?? [],
  };
}
