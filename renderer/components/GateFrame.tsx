// The frame of every screen before the workspace: top bar without tabs, one centred card.
import type { ReactNode } from 'react';
import { TopBar } from './TopBar';

export function GateFrame({ stationName, children }: { stationName: string | null; children: ReactNode }) {
  return (
    <>
      <TopBar stationName={stationName} />
      <main className="gate-main">{children}</main>
    </>
  );
}
