// The operations reports' PDF/CSV buttons: each asks for the supervisor's
// code, then downloads the signed file; its detached signature is one click
// away, as on the ledger's and the audit log's exports.
import { useState, type ReactNode } from 'react';
import type { Result } from '../../../shared/ipc/contract';
import type { ExportFormat, SignedExport } from '../../../shared/ipc/ledger';
import { EXPORT_MIME } from '../../components/ExportPanel';
import { SavedExport } from '../../components/SavedExport';
import { useOpsT } from '../../i18n/operations-t';
import { saveFile } from '../../platform/download';
import type { StepUp } from '../lifecycle/step-up';

interface Props<T> {
  stepUp: StepUp;
  /** The step-up slot's name, unique on the view. */
  where: string;
  /** The action in words for the dialog, per format. */
  action: (format: string) => string;
  run: (format: ExportFormat, totp: string) => Promise<Result<T>>;
  /** The signed file in what `run` answered. */
  fileOf: (value: T) => SignedExport;
  onSaved?: (value: T) => void;
  /** Checks the view's own fields before the code is asked for; false once it has shown what is wrong. */
  ready?: () => boolean;
  children?: ReactNode;
}

export function ExportButtons<T>({ stepUp, where, action, run, fileOf, onSaved, ready = () => true, children }: Props<T>) {
  const t = useOpsT();
  const [saved, setSaved] = useState<SignedExport | null>(null);
  const ask = (format: ExportFormat) => {
    if (!ready()) return;
    setSaved(null);
    stepUp.ask(where, action(format.toUpperCase()), (totp) => run(format, totp), (value) => {
      const file = fileOf(value);
      saveFile(file.fileName, file.bytes, EXPORT_MIME[format]);
      setSaved(file);
      onSaved?.(value);
    });
  };
  return (
    <>
      <div className="button-row">
        {children}
        <button type="button" className="button secondary" onClick={() => ask('pdf')}>
          {t('ops.exportPdf')}
        </button>
        <button type="button" className="button secondary" onClick={() => ask('csv')}>
          {t('ops.exportCsv')}
        </button>
      </div>
      {stepUp.slot(where)}
      <SavedExport saved={saved} />
    </>
  );
}
