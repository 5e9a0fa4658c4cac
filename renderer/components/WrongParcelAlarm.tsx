// A parcel that is not this customer's: the whole window turns red with main's
// words for it, and stays so until the clerk acknowledges (Enter, Space or
// Esc on the one button). Nothing was recorded; the message says so.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorData } from '../../shared/errors';
import { useLang } from '../i18n';

export function WrongParcelAlarm({ error, onDismiss }: { error: AppErrorData; onDismiss: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const returnTo = document.activeElement as HTMLElement | null;
    button.current?.focus();
    return () => returnTo?.focus();
  }, []);

  return (
    <div
      className="alarm"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="alarm-title"
      aria-describedby="alarm-message"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onDismiss();
        }
      }}
    >
      <h1 id="alarm-title" className="alarm-title">
        {t('pickup.wrongTitle')}
      </h1>
      <p id="alarm-message" className="alarm-message">
        {error.message[lang]}
      </p>
      <button ref={button} type="button" className="button alarm-button" onClick={onDismiss}>
        {t('pickup.wrongDismiss')} <kbd>Enter</kbd>
      </button>
    </div>
  );
}
