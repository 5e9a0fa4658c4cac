// A customer who asks not to be texted: the number is typed, sent once to be
// turned into its index in main, and cleared from the field at once.
import { useState } from 'react';
import { Field } from '../../components/Field';
import { localErrorsOf } from '../../components/Problem';
import { useInvoke } from '../../app/session';
import { useFormProblem } from '../../forms/form-problem';
import { enNotify } from '../../../shared/i18n/en-notify';
import { useNotifyT } from '../../i18n/notify-t';
import { zhNotify } from '../../../shared/i18n/zh-notify';
import { ActionForm } from '../lifecycle/ActionForm';
import { LcSection } from '../lifecycle/LcSection';

const notifyError = localErrorsOf(zhNotify, enNotify);

export function OptOutView() {
  const t = useNotifyT();
  const invoke = useInvoke();
  const [phone, setPhone] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const form = useFormProblem<'phone'>('optout-problem');

  async function submit(optOut: boolean) {
    const number = phone.trim();
    if (number.length < 3) return form.fail({ error: notifyError((m) => m.notify.optOut.phoneRequired) }, 'phone');
    form.clear();
    setPhone('');
    setNotice(null);
    const r = await invoke('notify.optOut', { phone: number, optOut });
    if (r.ok) setNotice(r.value.optedOut ? t('notify.optOut.done') : t('notify.optOut.resumed'));
    else form.fail({ error: r.error }, 'phone');
  }

  return (
    <LcSection id="notify-optout-title" title={t('notify.optOut.title')}>
      <p className="muted">{t('notify.optOut.intro')}</p>
      <ActionForm form={form} label={t('notify.optOut.stop')} onSubmit={() => void submit(true)} slot={null}>
        <Field id="optout-phone" label={t('notify.optOut.phone')} inputMode="tel" spellCheck={false} maxLength={32} value={phone} onValue={setPhone} {...form.field('phone')} />
      </ActionForm>
      <div className="button-row">
        <button type="button" className="button secondary" onClick={() => void submit(false)}>
          {t('notify.optOut.resume')}
        </button>
      </div>
      <p role="status" className="ok-note">
        {notice}
      </p>
    </LcSection>
  );
}
