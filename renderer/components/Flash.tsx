// Sight and sound after a scan: the tone, and a coloured frame around the
// whole window (green, amber or red), shown briefly on every scan. Shown and
// removed, not faded: an animation over the whole window makes every frame a
// full repaint, which a software-rendered counter PC pays for in scan latency.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { beep, type Tone } from '../platform/feedback';

const FLASH_MS = 350;

export function useFlash(): [ReactNode, (tone: Tone) => void] {
  const [flash, setFlash] = useState<{ n: number; tone: Tone } | null>(null);
  const signal = useCallback((tone: Tone) => {
    beep(tone);
    setFlash((f) => ({ n: (f?.n ?? 0) + 1, tone }));
  }, []);
  // A new key per scan shows the frame afresh, even for the same tone twice.
  const frame = flash && <FlashFrame key={flash.n} tone={flash.tone} />;
  return [frame, signal];
}

function FlashFrame({ tone }: { tone: Tone }) {
  const [shown, setShown] = useState(true);
  useEffect(() => {
    const timer = setTimeout(() => setShown(false), FLASH_MS);
    return () => clearTimeout(timer);
  }, []);
  return shown ? <div className={`screen-flash flash-${tone}`} aria-hidden="true" /> : null;
}
