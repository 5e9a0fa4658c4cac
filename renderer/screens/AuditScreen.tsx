// 审计: a placeholder until the audit log and anomaly views arrive.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScreenProps } from '../Workspace';

export function AuditScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (active) heading.current?.focus();
  }, [active, focusSignal]);

  return (
    <section className="screen" aria-labelledby="audit-title" hidden={!active}>
      <h1 id="audit-title" ref={heading} tabIndex={-1}>
        {t('audit.title')}
      </h1>
      <p className="lead">{t('audit.placeholder')}</p>
    </section>
  );
}
