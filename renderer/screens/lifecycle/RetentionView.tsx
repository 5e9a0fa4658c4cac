// 保存期限与备份: how long personal data is kept, the purge (a dry run counts,
// a run erases), backups, key rotation (with its progress) and the station
// passphrase.
import { useEffect, useState } from 'react';
import { useLcT } from '../../i18n/lifecycle-t';
import type { BackupInfo, LifecycleStatus, PurgeResult, RetentionSettings } from '../../../shared/ipc/lifecycle';
import { on } from '../../ipc/api';
import { DataTable } from '../../components/DataTable';
import { Field, NewPasswordField, PasswordField } from '../../components/Field';
import { formatDateTime } from '../../platform/dates';
import { useFormProblem } from '../../forms/form-problem';
import { refreshLifecycle } from '../../state/lifecycle-status';
import { useInvoke } from '../../app/session';
import { wholeIn } from '../../forms/validate';
import { ActionForm } from './ActionForm';
import { LcSection } from './LcSection';
import { RestoreForm } from './RestoreForm';
import { lcError, useStepUp } from './step-up';

type NumberKey = 'pickedUpDays' | 'returnedDays' | 'expectedDays' | 'backupIntervalHours' | 'backupKeep';
const RETENTION_KEYS: NumberKey[] = ['pickedUpDays', 'returnedDays', 'expectedDays'];
const BACKUP_KEYS: NumberKey[] = ['backupIntervalHours', 'backupKeep'];

export function RetentionView({ status }: { status: LifecycleStatus | null }) {
  const t = useLcT();
  const invoke = useInvoke();
  const stepUp = useStepUp();
  const [form, setForm] = useState<Record<keyof RetentionSettings, string> | null>(null);
  const [purge, setPurge] = useState<PurgeResult | null>(null);
  const [backups, setBackups] = useState<BackupInfo[] | null>(null);
  const [progress, setProgress] = useState<{ job: string; done: number; total: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [chooserMissing, setChooserMissing] = useState(false);
  const settingsForm = useFormProblem('retention-problem');
  const rotateForm = useFormProblem<'rotate'>('rotate-problem');
  const passForm = useFormProblem<'current' | 'next' | 'again'>('pass-problem');
  const [pass, setPass] = useState({ current: '', next: '', again: '', rotate: '' });

  // The form starts from the saved settings, once they are read.
  useEffect(() => {
    if (status && !form) setForm(Object.fromEntries(Object.entries(status.settings).map(([k, v]) => [k, String(v)])) as Record<keyof RetentionSettings, string>);
  }, [status, form]);

  useEffect(() => on('lifecycle.progress', (p) => setProgress(p)), []);

  function save() {
    if (!form) return;
    const numbers = {} as Record<NumberKey, number>;
    for (const k of [...RETENTION_KEYS, ...BACKUP_KEYS]) {
      const n = wholeIn(form[k], 1, Infinity);
      if (n === null) return settingsForm.fail({ error: lcError((m) => m.retention.numberInvalid) });
      numbers[k] = n;
    }
    settingsForm.clear();
    stepUp.ask(
      'settings',
      t('retention.saveAction'),
      (totp) => invoke('lifecycle.settings', { ...numbers, backupFolder: form.backupFolder.trim(), totp }),
      () => {
        setNotice(t('retention.saved'));
        refreshLifecycle();
      },
    );
  }

  /** The shell's folder dialog; where there is none (a browser, the test harness), the path is typed. */
  async function chooseFolder() {
    const r = await invoke('lifecycle.backup.chooseFolder', {});
    if (!r.ok) return settingsForm.fail({ error: r.error });
    setChooserMissing(!r.value.available);
    if (r.value.folder !== null) setForm((f) => f && { ...f, backupFolder: r.value.folder! });
    else if (!r.value.available) document.getElementById('lc-backupFolder')?.focus();
  }

  function runPurge(dryRun: boolean) {
    stepUp.ask(
      'purge',
      dryRun ? t('retention.dryRunAction') : t('retention.runAction'),
      (totp) => invoke('lifecycle.purge', { dryRun, totp }),
      (value) => {
        setPurge(value);
        refreshLifecycle();
      },
    );
  }

  function backupNow() {
    stepUp.ask(
      'backup',
      t('retention.backupNowAction'),
      (totp) => invoke('lifecycle.backup.now', { totp }),
      (value) => {
        setNotice(t('retention.backupDone', { fileName: value.fileName }));
        setBackups((prev) => (prev ? [value, ...prev] : prev));
        refreshLifecycle();
      },
    );
  }

  function listBackups() {
    stepUp.ask('backup', t('retention.backupListAction'), (totp) => invoke('lifecycle.backup.list', { totp }), setBackups);
  }

  function rotate() {
    if (!pass.rotate) return rotateForm.fail({ error: lcError((m) => m.retention.passRequired) }, 'rotate');
    rotateForm.clear();
    const passphrase = pass.rotate;
    setPass((p) => ({ ...p, rotate: '' }));
    stepUp.ask(
      'keys',
      t('retention.rotateAction'),
      (totp) => invoke('lifecycle.rotate', { passphrase, totp }),
      (value) => {
        setNotice(t('retention.rotationStarted', { generation: value.generation }));
        setProgress({ job: 'rotation', done: value.done, total: value.total });
        refreshLifecycle();
      },
    );
  }

  function changePassphrase() {
    if (!pass.current) return passForm.fail({ error: lcError((m) => m.retention.passRequired) }, 'current');
    if (pass.next.length < 8) return passForm.fail({ error: lcError((m) => m.retention.passShort) }, 'next');
    if (pass.next !== pass.again) return passForm.fail({ error: lcError((m) => m.retention.passMismatch) }, 'again');
    passForm.clear();
    const { current, next } = pass;
    stepUp.ask(
      'pass',
      t('retention.changeAction'),
      (totp) => invoke('lifecycle.passphrase', { passphrase: current, newPassphrase: next, totp }),
      () => {
        setPass({ current: '', next: '', again: '', rotate: '' });
        setNotice(t('retention.changed'));
      },
    );
  }

  const rotation = status?.rotation ?? (progress?.job === 'rotation' ? progress : null);
  const numberField = (k: NumberKey) =>
    form && (
      <div key={k}>
        <Field id={`lc-${k}`} label={t(`retention.${k}`)} inputMode="numeric" value={form[k]} onValue={(v) => setForm({ ...form, [k]: v })} />
      </div>
    );

  return (
    <>
      <p role="status" className="ok-note">
        {notice}
      </p>
      <LcSection id="retention-title" title={t('retention.settingsTitle')}>
        {!form ? (
          <p className="muted">{t('lifecycle.loading')}</p>
        ) : (
          <ActionForm form={settingsForm} label={t('retention.save')} onSubmit={save} slot={stepUp.slot('settings')}>
            <div className="lc-grid">{RETENTION_KEYS.map(numberField)}</div>
            <h3>{t('retention.backupTitle')}</h3>
            <Field id="lc-backupFolder" label={t('retention.backupFolder')} value={form.backupFolder} onValue={(v) => setForm({ ...form, backupFolder: v })} />
            <div className="button-row">
              <button type="button" className="button secondary" onClick={() => void chooseFolder()}>
                {t('retention.chooseFolder')}
              </button>
            </div>
            {chooserMissing && <p className="hint">{t('retention.chooseTyped')}</p>}
            <div className="lc-grid">{BACKUP_KEYS.map(numberField)}</div>
          </ActionForm>
        )}
      </LcSection>

      <LcSection id="purge-title" title={t('retention.purgeTitle')}>
        {status?.lastPurge && <p className="muted">{t('retention.lastPurge', { ...status.lastPurge, at: formatDateTime(status.lastPurge.at) })}</p>}
        <div className="button-row">
          <button type="button" className="button secondary big" onClick={() => runPurge(true)}>
            {t('retention.dryRun')}
          </button>
          <button type="button" className="button primary big" onClick={() => runPurge(false)}>
            {t('retention.run')}
          </button>
        </div>
        {stepUp.slot('purge')}
        {purge && (
          <p className="lc-result" data-testid="purge-result">
            {purge.dryRun && t('retention.purgeDry')}
            {t('retention.purgeResult', { eligible: purge.eligible, erased: purge.erased, labels: purge.labels })}
          </p>
        )}
      </LcSection>

      <LcSection id="backup-title" title={t('retention.backupSection')}>
        {status?.lastBackup && <p className="muted">{t('retention.lastBackup', { at: formatDateTime(status.lastBackup.at) })}</p>}
        {status?.backupDueAt && <p className="muted">{t('retention.nextBackup', { at: formatDateTime(status.backupDueAt) })}</p>}
        <div className="button-row">
          <button type="button" className="button primary" onClick={backupNow}>
            {t('retention.backupNow')}
          </button>
          <button type="button" className="button secondary" onClick={listBackups}>
            {t('retention.backupList')}
          </button>
        </div>
        {stepUp.slot('backup')}
        {progress && progress.job === 'backup' && <p className="muted">{t('retention.progress', progress)}</p>}
        {backups &&
          (backups.length === 0 ? (
            <p className="empty-note">{t('retention.noBackups')}</p>
          ) : (
            <DataTable id="backups" caption={t('retention.backupsCaption')} columns={[t('retention.file'), t('retention.created'), t('retention.size')]}>
              {backups.map((b) => (
                <tr key={b.fileName}>
                  <td className="num">{b.fileName}</td>
                  <td className="num">{formatDateTime(b.createdAt)}</td>
                  <td className="num">{Math.ceil(b.bytes / 1024)} KB</td>
                </tr>
              ))}
            </DataTable>
          ))}
        <RestoreForm stepUp={stepUp} folder={status?.settings.backupFolder ?? ''} />
      </LcSection>

      <LcSection id="keys-title" title={t('retention.rotateTitle')}>
        {rotation && (
          <p className="lc-result" role="status">
            {t('retention.rotation', { done: rotation.done, total: rotation.total })}
            <progress max={rotation.total || 1} value={rotation.done} />
          </p>
        )}
        <ActionForm form={rotateForm} label={t('retention.rotate')} onSubmit={rotate} slot={stepUp.slot('keys')}>
          <PasswordField id="rotate-pass" label={t('retention.passphrase')} autoComplete="off" value={pass.rotate} onValue={(v) => setPass({ ...pass, rotate: v })} {...rotateForm.field('rotate')} />
        </ActionForm>

        <h3>{t('retention.passTitle')}</h3>
        <ActionForm form={passForm} label={t('retention.change')} tone="secondary" onSubmit={changePassphrase} slot={stepUp.slot('pass')}>
          <PasswordField id="pass-current" label={t('retention.passphrase')} autoComplete="off" value={pass.current} onValue={(v) => setPass({ ...pass, current: v })} {...passForm.field('current')} />
          <div className="lc-grid">
            <div>
              <NewPasswordField id="pass-next" label={t('retention.newPassphrase')} value={pass.next} onValue={(v) => setPass({ ...pass, next: v })} {...passForm.field('next')} />
            </div>
            <div>
              <NewPasswordField id="pass-again" label={t('retention.newPassphraseAgain')} value={pass.again} onValue={(v) => setPass({ ...pass, again: v })} {...passForm.field('again')} />
            </div>
          </div>
        </ActionForm>
      </LcSection>
    </>
  );
}
