// Sight and sound after a scan: the tone, and a brief coloured frame around
// the whole window (green, amber or red) that replays on every scan.
import { useCallback, useState, type ReactNode } from 'react';
import { beep, type Tone } from '../feedback';

export function useFlash(): [ReactNode, (tone: Tone) => void] {
  const [flash, setFlash] = useState<{ n: number; tone: Tone } | null>(null);
  const signal = useCallback((tone: Tone) => {
    beep(tone);
    setFlash((f) => ({ n: (f?.n ?? 0) + 1, tone }));
  }, []);
  // A new key per scan restarts the CSS animation.
  const frame = flash && <div key={flash.n} className={`screen-flash flash-${flash.tone}`} aria-hidden="true" />;
  return [frame, signal];
}
