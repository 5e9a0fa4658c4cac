// The inline dialogs (step-up, unmask): non-modal, with no focus trap, so the
// rest of the screen stays reachable; Escape leaves, like their close button.
import type { ReactNode } from 'react';

interface Props {
  className: string;
  labelledBy: string;
  describedBy?: string;
  onClose: () => void;
  children: ReactNode;
}

export function InlineDialog({ className, labelledBy, describedBy, onClose, children }: Props) {
  return (
    <section
      role="dialog"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      className={className}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      {children}
    </section>
  );
}
