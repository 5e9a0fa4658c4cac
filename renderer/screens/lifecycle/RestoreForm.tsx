// Restore from the screen: a backup file into a new store file, with the
// checks of the CLI's restore done in main (target must not exist, the
// passphrase the backup was made with, the file's integrity); main's refusal
// is shown in the step-up dialog in both languages.
import { useState } from 'react';
import { useLcT } from '../../i18n/lifecycle-t';
import type { RestoredBackup } from '../../../shared/ipc/lifecycle';
import { Field, PasswordField } from '../../components/Field';
import { formatDateTime } from '../../platform/dates';
import { useFormProblem } from '../../forms/form-problem';
import { useInvoke } from '../../app/session';
import { ActionForm } from './ActionForm';
import { lcError, type StepUp } from './step-up';

const isAbsolutePath = (p: string) => /^(\/|[A-Za-z]:[\\/])/.test(p);

export function RestoreForm({ stepUp, folder }: { stepUp: StepUp; folder: string }) {
  const t = useLcT();
  const invoke = useInvoke();
  const form = useFormProblem<'file' | 'target' | 'passphrase'>('restore-problem');
  const [file, setFile] = useState(folder);
  const [target, setTarget] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [restored, setRestored] = useState<RestoredBackup | null>(null);

  function restore() {
    const paths = { file: file.trim(), target: target.trim() };
    for (const k of ['file', 'target'] as const) if (!isAbsolutePath(paths[k])) return form.fail({ error: lcError((m) => m.retention.pathInvalid) }, k);
    if (!passphrase) return form.fail({ error: lcError((m) => m.retention.passphraseMissing) }, 'passphrase');
    form.clear();
    setRestored(null);
    stepUp.ask('restore', t('retention.restoreAction', { target: paths.target }), (totp) => invoke('lifecycle.backup.restore', { ...paths, passphrase, totp }), (value) => {
      setPassphrase('');
      setRestored(value);
    });
  }

  return (
    <>
      <h3>{t('retention.restoreTitle')}</h3>
      <p className="muted">{t('retention.restoreIntro')}</p>
      <ActionForm form={form} label={t('retention.restore')} tone="secondary" onSubmit={restore} slot={stepUp.slot('restore')}>
        <Field id="restore-file" label={t('retention.restoreFile')} spellCheck={false} maxLength={1024} value={file} onValue={setFile} {...form.field('file')} />
        <Field id="restore-target" label={t('retention.restoreTarget')} spellCheck={false} maxLength={1024} value={target} onValue={setTarget} {...form.field('target')} />
        <PasswordField id="restore-passphrase" label={t('retention.restorePassphrase')} autoComplete="off" value={passphrase} onValue={setPassphrase} {...form.field('passphrase')} />
      </ActionForm>
      {restored && (
        <p className="lc-result" role="status" data-testid="restore-result">
          {t('retention.restored', { path: restored.path, station: restored.stationName, parcels: restored.parcels, at: formatDateTime(restored.createdAt) })}
        </p>
      )}
    </>
  );
}
