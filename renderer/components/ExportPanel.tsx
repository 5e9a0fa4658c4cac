// A period of the audit log or the shred ledger as a signed PDF or CSV
// (supervisors only, with their code): progress comes from main's events,
// the file is downloaded, and its detached signature is one click away.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorData } from '../../shared/errors';
import type { Result } from '../../shared/ipc/contract';
import type { ExportFormat, SignedExport } from '../../shared/ipc/ledger';
import { on } from '../ipc/api';
import { saveFile } from '../platform/download';
import type { Period } from './PeriodFields';
import { SavedExport } from './SavedExport';
import { StepUpDialog } from './StepUpDialog';
import '../styles/oversight.css';

export const EXPORT_MIME: Record<ExportFormat, string> = { pdf: 'application/pdf', csv: 'text/csv;charset=utf-8' };

interface Props {
  kind: 'audit' | 'ledger';
  /** What is exported, in words ("审计记录"). */
  what: string;
  /** The screen is shown: a hidden screen keeps no dialog open. */
  active: boolean;
  /** The period to export; null once the screen has shown (and focused) what is wrong with it. */
  period: () => Period | null;
  run: (format: ExportFormat, period: Period, totp: string) => Promise<Result<SignedExport>>;
  onDone?: () => void;
}

export function ExportPanel({ kind, what, active, period, run, onDone }: Props) {
  const { t } = useTranslation();
  const [pending, setPending] = useState<{ format: ExportFormat; period: Period } | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [saved, setSaved] = useState<SignedExport | null>(null);
  const returnTo = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    if (!active) setPending(null);
  }, [active]);

  function ask(format: ExportFormat, button: HTMLButtonElement) {
    const p = period();
    if (!p) return;
    returnTo.current = button;
    setSaved(null);
    setPending({ format, period: p });
  }

  async function confirm(totp: string): Promise<AppErrorData | null> {
    if (!pending) return null;
    setProgress({ done: 0, total: 0 });
    const off = on('ledger.export.progress', (p) => {
      if (p.kind === kind && p.format === pending.format) setProgress({ done: p.done, total: p.total });
    });
    try {
      const res = await run(pending.format, pending.period, totp);
      if (!res.ok) return res.error;
      saveFile(res.value.fileName, res.value.bytes, EXPORT_MIME[pending.format]);
      setSaved(res.value);
      setPending(null);
      onDone?.();
      returnTo.current?.focus();
      return null;
    } finally {
      off();
      setProgress(null);
    }
  }

  return (
    <section className="export-panel" aria-labelledby={`${kind}-export-title`}>
      <h2 id={`${kind}-export-title`}>{t('export.title')}</h2>
      <p className="hint">{t('export.supervisorOnly')}</p>
      {pending && (
        <StepUpDialog
          action={t('export.action', { what, format: pending.format.toUpperCase(), ...pending.period })}
          onConfirm={confirm}
          onCancel={() => {
            setPending(null);
            returnTo.current?.focus();
          }}
        />
      )}
      <div className="button-row">
        <button type="button" className="button secondary big" onClick={(e) => ask('pdf', e.currentTarget)}>
          {t('export.pdf')}
        </button>
        <button type="button" className="button secondary big" onClick={(e) => ask('csv', e.currentTarget)}>
          {t('export.csv')}
        </button>
      </div>
      {progress && (
        <div className="export-progress">
          <progress max={progress.total || undefined} value={progress.total ? progress.done : undefined} />
          <p className="progress-status">
            {progress.total ? t('export.progress', { done: progress.done, total: progress.total }) : t('export.starting')}
          </p>
        </div>
      )}
      <SavedExport saved={saved} />
    </section>
  );
}
