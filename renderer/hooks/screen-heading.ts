// A workspace screen's h1 takes the focus each time the screen is shown and
// each time its tab is chosen again (focusSignal), so a screen reader starts
// from the top and the keyboard from a known place.
import { useEffect, useRef } from 'react';

export function useScreenHeading(active: boolean, focusSignal: number) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (active) heading.current?.focus();
  }, [active, focusSignal]);
  return heading;
}
