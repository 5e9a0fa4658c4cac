// After a signed export downloaded: its name, and its detached signature one click away.
import { useTranslation } from 'react-i18next';
import type { SignedExport } from '../../shared/ipc/ledger';
import { saveFile } from '../platform/download';

export function SavedExport({ saved }: { saved: SignedExport | null }) {
  const { t } = useTranslation();
  const sigName = saved && `${saved.fileName}.sig`;
  return (
    <>
      <p role="status" className="ok-note">
        {saved && t('export.done', { fileName: saved.fileName })}
      </p>
      {saved && sigName && (
        <button type="button" className="button small" onClick={() => saveFile(sigName, saved.signature, 'application/json')}>
          {t('export.signature', { fileName: sigName })}
        </button>
      )}
    </>
  );
}
