// 保存期限与备份: how long personal data is kept, the purge (a dry run counts,
// a run erases), backups, key rotation (with its progress) and the station
// passphrase.
import { useEffect, useState } from 'react';
import { useLcT } from '../../lifecycle-t';
import type { BackupInfo, LifecycleStatus, PurgeResult, RetentionSettings } from '../../../shared/ipc/lifecycle';
import { on } from '../../api';
import { Problem, type ProblemData } from '../../components/Problem';
import { formatDateTime } from '../../dates';
import { refreshLifecycle } from '../../lifecycle-status';
import { useInvoke } from '../../session';
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
  const [problem, setProblem] = useState<ProblemData | null>(null);
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
      const n = Number(form[k]);
      if (!/^\d+$/.test(form[k].trim()) || n < 1) return setProblem({ error: lcError((m) => m.retention.numberInvalid) });
      numbers[k] = n;
    }
    setProblem(null);
    stepUp.ask('settings', t('retention.saveAction'), async (totp) => {
      const res = await invoke('lifecycle.settings', { ...numbers, backupFolder: form.backupFolder.trim(), totp });
      if (!res.ok) return res.error;
      setNotice(t('retention.saved'));
      refreshLifecycle();
      return null;
    });
  }

  function runPurge(dryRun: boolean) {
    stepUp.ask('purge', dryRun ? t('retention.dryRunAction') : t('retention.runAction'), async (totp) => {
      const res = await invoke('lifecycle.purge', { dryRun, totp });
      if (!res.ok) return res.error;
      setPurge(res.value);
      refreshLifecycle();
      return null;
    });
  }

  function backupNow() {
    stepUp.ask('backup', t('retention.backupNowAction'), async (totp) => {
      const res = await invoke('lifecycle.backup.now', { totp });
      if (!res.ok) return res.error;
      setNotice(t('retention.backupDone', { fileName: res.value.fileName }));
      setBackups((prev) => (prev ? [res.value, ...prev] : prev));
      refreshLifecycle();
      return null;
    });
  }

  function listBackups() {
    stepUp.ask('backup', t('retention.backupListAction'), async (totp) => {
      const res = await invoke('lifecycle.backup.list', { totp });
      if (!res.ok) return res.error;
      setBackups(res.value);
      return null;
    });
  }

  function rotate() {
    if (!pass.rotate) return setProblem({ error: lcError((m) => m.retention.passRequired) });
    setProblem(null);
    const passphrase = pass.rotate;
    setPass((p) => ({ ...p, rotate: '' }));
    stepUp.ask('keys', t('retention.rotateAction'), async (totp) => {
      const res = await invoke('lifecycle.rotate', { passphrase, totp });
      if (!res.ok) return res.error;
      setNotice(t('retention.rotationStarted', { generation: res.value.generation }));
      setProgress({ job: 'rotation', done: res.value.done, total: res.value.total });
      refreshLifecycle();
      return null;
    });
  }

  function changePassphrase() {
    if (!pass.current) return setProblem({ error: lcError((m) => m.retention.passRequired) });
    if (pass.next.length < 8) return setProblem({ error: lcError((m) => m.retention.passShort) });
    if (pass.next !== pass.again) return setProblem({ error: lcError((m) => m.retention.passMismatch) });
    setProblem(null);
    const { current, next } = pass;
    stepUp.ask('pass', t('retention.changeAction'), async (totp) => {
      const res = await invoke('lifecycle.passphrase', { passphrase: current, newPassphrase: next, totp });
      if (!res.ok) return res.error;
      setPass({ current: '', next: '', again: '', rotate: '' });
      setNotice(t('retention.changed'));
      return null;
    });
  }

  const rotation = status?.rotation ?? (progress?.job === 'rotation' ? progress : null);
  const numberField = (k: NumberKey) =>
    form && (
      <div key={k}>
        <label htmlFor={`lc-${k}`}>{t(`retention.${k}`)}</label>
        <input id={`lc-${k}`} className="field num" inputMode="numeric" value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
      </div>
    );

  return (
    <>
      <p role="status" className="ok-note">
        {notice}
      </p>
      <Problem id="retention-problem" problem={problem} />
      <section className="lc-section" aria-labelledby="retention-title">
        <h2 id="retention-title">{t('retention.settingsTitle')}</h2>
        {!form ? (
          <p className="muted">{t('lifecycle.loading')}</p>
        ) : (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              save();
            }}
          >
            <div className="lc-grid">{RETENTION_KEYS.map(numberField)}</div>
            <h3>{t('retention.backupTitle')}</h3>
            <label htmlFor="lc-backupFolder">{t('retention.backupFolder')}</label>
            <input id="lc-backupFolder" className="field" value={form.backupFolder} onChange={(e) => setForm({ ...form, backupFolder: e.target.value })} />
            <div className="lc-grid">{BACKUP_KEYS.map(numberField)}</div>
            <div className="button-row">
              <button type="submit" className="button primary">
                {t('retention.save')}
              </button>
            </div>
          </form>
        )}
        {stepUp.slot('settings')}
      </section>

      <section className="lc-section" aria-labelledby="purge-title">
        <h2 id="purge-title">{t('retention.purgeTitle')}</h2>
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
      </section>

      <section className="lc-section" aria-labelledby="backup-title">
        <h2 id="backup-title">{t('retention.backupSection')}</h2>
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
            <table className="data-table">
              <thead>
                <tr>
                  <th>{t('retention.file')}</th>
                  <th>{t('retention.created')}</th>
                  <th>{t('retention.size')}</th>
                </tr>
              </thead>
              <tbody>
                {backups.map((b) => (
                  <tr key={b.fileName}>
                    <td className="num">{b.fileName}</td>
                    <td className="num">{formatDateTime(b.createdAt)}</td>
                    <td className="num">{Math.ceil(b.bytes / 1024)} KB</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
      </section>

      <section className="lc-section" aria-labelledby="keys-title">
        <h2 id="keys-title">{t('retention.rotateTitle')}</h2>
        {rotation && (
          <p className="lc-result" role="status">
            {t('retention.rotation', { done: rotation.done, total: rotation.total })}
            <progress max={rotation.total || 1} value={rotation.done} style={{ marginLeft: '1rem' }} />
          </p>
        )}
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            rotate();
          }}
        >
          <label htmlFor="rotate-pass">{t('retention.passphrase')}</label>
          <input id="rotate-pass" type="password" className="field" autoComplete="off" value={pass.rotate} onChange={(e) => setPass({ ...pass, rotate: e.target.value })} />
          <div className="button-row">
            <button type="submit" className="button primary">
              {t('retention.rotate')}
            </button>
          </div>
        </form>
        {stepUp.slot('keys')}

        <h3>{t('retention.passTitle')}</h3>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            changePassphrase();
          }}
        >
          <label htmlFor="pass-current">{t('retention.passphrase')}</label>
          <input id="pass-current" type="password" className="field" autoComplete="off" value={pass.current} onChange={(e) => setPass({ ...pass, current: e.target.value })} />
          <div className="lc-grid">
            <div>
              <label htmlFor="pass-next">{t('retention.newPassphrase')}</label>
              <input id="pass-next" type="password" className="field" autoComplete="new-password" value={pass.next} onChange={(e) => setPass({ ...pass, next: e.target.value })} />
            </div>
            <div>
              <label htmlFor="pass-again">{t('retention.newPassphraseAgain')}</label>
              <input id="pass-again" type="password" className="field" autoComplete="new-password" value={pass.again} onChange={(e) => setPass({ ...pass, again: e.target.value })} />
            </div>
          </div>
          <div className="button-row">
            <button type="submit" className="button secondary">
              {t('retention.change')}
            </button>
          </div>
        </form>
        {stepUp.slot('pass')}
      </section>
    </>
  );
}
