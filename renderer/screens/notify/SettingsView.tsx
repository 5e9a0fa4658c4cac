// The supervisor's notice settings: when notices go, through which channel,
// in which approved template (previewed with this station's facts before it
// is saved), and the channel's credentials, which are sent once to be sealed
// in main and never shown again. Every change asks for the supervisor's code.
import { useEffect, useState } from 'react';
import { PROVIDER_IDS, PROVIDER_SECRET_FIELDS, type NoticeKind, type NotifySettings, type ProviderId } from '../../../shared/notify';
import { Field, PasswordField, SelectField, TextAreaField } from '../../components/Field';
import { localErrorsOf, Problem, type ProblemData } from '../../components/Problem';
import { useInvoke } from '../../app/session';
import { useFormProblem } from '../../forms/form-problem';
import { wholeIn } from '../../forms/validate';
import { enNotify } from '../../../shared/i18n/en-notify';
import { useNotifyT } from '../../i18n/notify-t';
import { zhNotify } from '../../../shared/i18n/zh-notify';
import { ActionForm } from '../lifecycle/ActionForm';
import { LcSection } from '../lifecycle/LcSection';
import { useStepUp } from '../lifecycle/step-up';

const notifyError = localErrorsOf(zhNotify, enNotify);
type Form = Omit<NotifySettings, 'configured' | 'overdueDaysBefore' | 'batchSeconds' | 'ratePerSecond'> & Record<'overdueDaysBefore' | 'batchSeconds' | 'ratePerSecond', string>;
type SecretField = (typeof PROVIDER_SECRET_FIELDS)[ProviderId][number];

const toForm = (s: NotifySettings): Form => ({ ...s, overdueDaysBefore: String(s.overdueDaysBefore), batchSeconds: String(s.batchSeconds), ratePerSecond: String(s.ratePerSecond) });

export function SettingsView() {
  const t = useNotifyT();
  const invoke = useInvoke();
  const stepUp = useStepUp();
  const [form, setForm] = useState<Form | null>(null);
  const [configured, setConfigured] = useState<ProviderId[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [preview, setPreview] = useState<Record<NoticeKind, string | ProblemData | null>>({ arrival: null, overdue: null });
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const settingsForm = useFormProblem<'numbers'>('notify-settings-problem');
  const credentialsForm = useFormProblem('notify-credentials-problem');

  useEffect(() => {
    void invoke('notify.settings.get', {}).then((r) => {
      if (!r.ok) return;
      setForm(toForm(r.value));
      setConfigured(r.value.configured);
    });
  }, [invoke]);

  if (!form) return <p className="muted">{t('notify.loading')}</p>;
  const set = <K extends keyof Form>(key: K) => (value: Form[K]) => setForm({ ...form, [key]: value });
  const accepted = (s: NotifySettings) => {
    setForm(toForm(s));
    setConfigured(s.configured);
  };

  function save() {
    if (!form) return;
    const overdueDaysBefore = wholeIn(form.overdueDaysBefore, 0, 30);
    const batchSeconds = wholeIn(form.batchSeconds, 0, 3600);
    const ratePerSecond = wholeIn(form.ratePerSecond, 1, 1000);
    if (overdueDaysBefore === null || batchSeconds === null || ratePerSecond === null) {
      return settingsForm.fail({ error: notifyError((m) => m.notify.settings.numberInvalid) }, 'numbers');
    }
    settingsForm.clear();
    const patch = { ...form, overdueDaysBefore, batchSeconds, ratePerSecond };
    stepUp.ask('settings', t('notify.settings.saveAction'), (totp) => invoke('notify.settings.update', { ...patch, totp }), (value) => {
      accepted(value);
      setNotice(t('notify.settings.saved'));
    });
  }

  async function showPreview(kind: NoticeKind) {
    if (!form) return;
    const template = kind === 'arrival' ? { code: form.arrivalTemplateCode, text: form.arrivalTemplateText } : { code: form.overdueTemplateCode, text: form.overdueTemplateText };
    const r = await invoke('notify.preview', { kind, template });
    setPreview((p) => ({ ...p, [kind]: r.ok ? r.value.text : { error: r.error } }));
  }

  function saveCredentials() {
    if (!form) return;
    const provider = form.provider;
    const fields: readonly SecretField[] = PROVIDER_SECRET_FIELDS[provider];
    if (fields.some((f) => !secrets[f]?.trim())) return credentialsForm.fail({ error: notifyError((m) => m.notify.settings.secretRequired) });
    credentialsForm.clear();
    const values = Object.fromEntries(fields.map((f) => [f, secrets[f].trim()]));
    setSecrets({});
    stepUp.ask('credentials', t('notify.settings.credentialsAction', { provider: t(`notify.provider.${provider}`) }), (totp) => invoke('notify.credentials.set', { provider, secrets: values, totp }), (value) => {
      accepted(value);
      setNotice(t('notify.settings.credentialsSaved'));
    });
  }

  const template = (kind: NoticeKind) => {
    const code = kind === 'arrival' ? 'arrivalTemplateCode' : 'overdueTemplateCode';
    const text = kind === 'arrival' ? 'arrivalTemplateText' : 'overdueTemplateText';
    const shown = preview[kind];
    return (
      <fieldset className="notify-template">
        <legend>{t(kind === 'arrival' ? 'notify.settings.arrivalTemplate' : 'notify.settings.overdueTemplate')}</legend>
        <Field id={`notify-${kind}-code`} label={t('notify.settings.templateCode')} maxLength={40} spellCheck={false} value={form[code]} onValue={set(code)} />
        <TextAreaField id={`notify-${kind}-text`} label={t('notify.settings.templateText')} hint={t('notify.settings.templateHint')} rows={2} maxLength={300} value={form[text]} onValue={set(text)} />
        <div className="button-row">
          <button type="button" className="button secondary" onClick={() => void showPreview(kind)}>
            {t('notify.settings.preview')}
          </button>
        </div>
        {typeof shown === 'string' && (
          <p className="notice-preview" role="status" data-testid={`notify-preview-${kind}`}>
            {t('notify.settings.previewTitle')}
            {shown}
          </p>
        )}
        {shown && typeof shown !== 'string' && <Problem id={`notify-preview-${kind}-problem`} problem={shown} />}
      </fieldset>
    );
  };

  return (
    <>
      <p role="status" className="ok-note">
        {notice}
      </p>
      <LcSection id="notify-settings-title" title={t('notify.viewSettings')}>
        <ActionForm form={settingsForm} label={t('notify.settings.save')} onSubmit={save} slot={stepUp.slot('settings')}>
          <p>
            <label className="toggle">
              <input type="checkbox" checked={form.arrival} onChange={(e) => set('arrival')(e.target.checked)} />
              {t('notify.settings.arrival')}
            </label>
          </p>
          <p>
            <label className="toggle">
              <input type="checkbox" checked={form.overdue} onChange={(e) => set('overdue')(e.target.checked)} />
              {t('notify.settings.overdue')}
            </label>
          </p>
          <div className="lc-grid">
            <div>
              <Field id="notify-days-before" label={t('notify.settings.overdueDaysBefore')} inputMode="numeric" maxLength={2} value={form.overdueDaysBefore} onValue={set('overdueDaysBefore')} {...settingsForm.field('numbers')} />
            </div>
            <div>
              <Field id="notify-batch" label={t('notify.settings.batchSeconds')} hint={t('notify.settings.batchHint')} inputMode="numeric" maxLength={4} value={form.batchSeconds} onValue={set('batchSeconds')} />
            </div>
            <div>
              <Field id="notify-quiet" label={t('notify.settings.quietHours')} hint={t('notify.settings.quietHint')} maxLength={11} spellCheck={false} value={form.quietHours} onValue={set('quietHours')} />
            </div>
            <div>
              <Field id="notify-hours" label={t('notify.settings.hours')} maxLength={40} value={form.hours} onValue={set('hours')} />
            </div>
            <div>
              <Field id="notify-link" label={t('notify.settings.link')} maxLength={60} spellCheck={false} value={form.link} onValue={set('link')} />
            </div>
            <div>
              <SelectField id="notify-provider" label={t('notify.settings.provider')} value={form.provider} onValue={set('provider')} options={PROVIDER_IDS} text={(p) => t(`notify.provider.${p}`)} />
            </div>
            <div>
              <Field id="notify-endpoint" label={t('notify.settings.endpoint')} hint={t('notify.settings.endpointHint')} maxLength={300} spellCheck={false} value={form.endpoint} onValue={set('endpoint')} />
            </div>
            <div>
              <Field id="notify-sign" label={t('notify.settings.signName')} maxLength={20} value={form.signName} onValue={set('signName')} />
            </div>
            <div>
              <Field id="notify-rate" label={t('notify.settings.ratePerSecond')} inputMode="numeric" maxLength={4} value={form.ratePerSecond} onValue={set('ratePerSecond')} />
            </div>
          </div>
          {template('arrival')}
          {template('overdue')}
        </ActionForm>
      </LcSection>
      {form.provider !== 'manual' && (
        <LcSection id="notify-credentials-title" title={t('notify.settings.credentialsTitle')}>
          <p className="muted">
            {t('notify.settings.credentialsHint')}{' '}
            {configured.length ? t('notify.settings.configured', { list: configured.map((p) => t(`notify.provider.${p}`)).join('、') }) : t('notify.settings.noneConfigured')}
          </p>
          <ActionForm form={credentialsForm} label={t('notify.settings.saveCredentials')} tone="secondary" onSubmit={saveCredentials} slot={stepUp.slot('credentials')}>
            <div className="lc-grid">
              {PROVIDER_SECRET_FIELDS[form.provider].map((f: SecretField) => (
                <div key={f}>
                  <PasswordField id={`notify-secret-${f}`} label={t(`notify.settings.field.${f}`)} autoComplete="off" value={secrets[f] ?? ''} onValue={(v) => setSecrets((s) => ({ ...s, [f]: v }))} />
                </div>
              ))}
            </div>
          </ActionForm>
        </LcSection>
      )}
    </>
  );
}
