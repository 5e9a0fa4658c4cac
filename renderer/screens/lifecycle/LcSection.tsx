// One part of the lifecycle screen: a card named by its heading.
import type { ReactNode } from 'react';

export function LcSection({ id, title, testId, children }: { id: string; title: string; testId?: string; children: ReactNode }) {
  return (
    <section className="lc-section" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
