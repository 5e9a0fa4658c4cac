// 出库拍照 (supervisor): when the counter camera takes a frame at handover
// (always, proxy pickups only, off) and the part of the frame kept (the
// counter top, never the person); and, for a dispute, one handover's photo,
// opened only with a reason (audited) and the code, shown until closed.
import { useEffect, useState } from 'react';
import { PHOTO_MODES, validCrop, type CropRegion, type PhotoMode } from '../../../shared/photo';
import { Field, RadioChoice } from '../../components/Field';
import { localErrorsOf } from '../../components/Problem';
import { useInvoke } from '../../app/session';
import { useFormProblem } from '../../forms/form-problem';
import { wholeIn } from '../../forms/validate';
import { useLoad } from '../../hooks/use-load';
import { enOperations } from '../../../shared/i18n/en-operations';
import { useOpsT } from '../../i18n/operations-t';
import { zhOperations } from '../../../shared/i18n/zh-operations';
import { formatDateTime } from '../../platform/dates';
import { ActionForm } from '../lifecycle/ActionForm';
import { LcSection } from '../lifecycle/LcSection';
import { useStepUp } from '../lifecycle/step-up';

const opsError = localErrorsOf(zhOperations, enOperations);
const EDGES = ['x', 'y', 'w', 'h'] as const;
type Percent = Record<(typeof EDGES)[number], string>;

const toPercent = (c: CropRegion): Percent => ({ x: String(Math.round(c.x * 100)), y: String(Math.round(c.y * 100)), w: String(Math.round(c.w * 100)), h: String(Math.round(c.h * 100)) });

interface Shown {
  url: string;
  handoverId: number;
  sm3: string;
  takenAt: string;
}

export function PhotosView({ active }: { active: boolean }) {
  const t = useOpsT();
  const invoke = useInvoke();
  const stepUp = useStepUp();
  const loaded = useLoad('photos.settings.get', active ? {} : null, [active]);
  const [mode, setMode] = useState<PhotoMode>('off');
  const [crop, setCrop] = useState<Percent>(toPercent({ x: 0, y: 0, w: 1, h: 1 }));
  const [notice, setNotice] = useState<string | null>(null);
  const [handover, setHandover] = useState('');
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState<Shown | null>(null);
  const settingsForm = useFormProblem<'crop'>('photo-settings-problem');
  const viewForm = useFormProblem<'id' | 'reason'>('photo-view-problem');

  useEffect(() => {
    if (!loaded.data) return;
    setMode(loaded.data.mode);
    setCrop(toPercent(loaded.data.crop));
  }, [loaded.data]);

  // The photo leaves the screen with the view: its object URL is revoked.
  useEffect(() => (shown ? () => URL.revokeObjectURL(shown.url) : undefined), [shown]);
  useEffect(() => {
    if (!active) setShown(null);
  }, [active]);

  function save() {
    const [x, y, w, h] = EDGES.map((k) => wholeIn(crop[k], 0, 100));
    const region = x === null || y === null || w === null || h === null ? null : validCrop({ x: x / 100, y: y / 100, w: w / 100, h: h / 100 });
    if (!region) return settingsForm.fail({ error: opsError((m) => m.ops.photos.cropInvalid) }, 'crop');
    settingsForm.clear();
    stepUp.ask('settings', t('ops.photos.saveAction'), (totp) => invoke('photos.settings.update', { mode, crop: region, totp }), (value) => {
      loaded.setData(value);
      setNotice(t('ops.photos.saved'));
    });
  }

  function open() {
    const id = wholeIn(handover, 1, Number.MAX_SAFE_INTEGER);
    if (id === null) return viewForm.fail({ error: opsError((m) => m.ops.photos.idInvalid) }, 'id');
    if (reason.trim().length < 2) return viewForm.fail({ error: opsError((m) => m.ops.photos.reasonInvalid) }, 'reason');
    viewForm.clear();
    stepUp.ask('view', t('ops.photos.openAction', { id }), (totp) => invoke('photos.view', { handoverId: id, reason: reason.trim(), totp }), (v) => {
      setReason('');
      setShown({ url: URL.createObjectURL(new Blob([new Uint8Array(v.photo)], { type: 'image/jpeg' })), handoverId: id, sm3: v.sm3, takenAt: v.takenAt });
    });
  }

  const cropField = settingsForm.field('crop');
  return (
    <>
      <LcSection id="photo-settings-title" title={t('ops.photos.settingsTitle')}>
        <p role="status" className="ok-note">
          {notice}
        </p>
        <ActionForm form={settingsForm} label={t('ops.photos.save')} tone="secondary" onSubmit={save} slot={stepUp.slot('settings')}>
          <RadioChoice name="photo-mode" legend={t('ops.photos.mode')} value={mode} onValue={setMode} options={PHOTO_MODES} text={(m) => t(`ops.photos.modes.${m}`)} className="choice-row" />
          <fieldset>
            <legend>{t('ops.photos.cropTitle')}</legend>
            <p className="hint">{t('ops.photos.cropHint')}</p>
            <div className="lc-grid ops-crop">
              {EDGES.map((k, i) => (
                <div key={k}>
                  <Field
                    id={`photo-crop-${k}`}
                    label={t(`ops.photos.crop.${k}`)}
                    inputMode="numeric"
                    maxLength={3}
                    value={crop[k]}
                    onValue={(v) => setCrop({ ...crop, [k]: v })}
                    {...(i === 0 ? cropField : { invalid: cropField.invalid, problemId: cropField.problemId })}
                  />
                </div>
              ))}
            </div>
          </fieldset>
        </ActionForm>
      </LcSection>
      <LcSection id="photo-view-title" title={t('ops.photos.viewTitle')}>
        <p className="muted">{t('ops.photos.viewHint')}</p>
        <ActionForm form={viewForm} label={t('ops.photos.open')} onSubmit={open} slot={stepUp.slot('view')}>
          <div className="lc-grid">
            <div>
              <Field id="photo-handover" label={t('ops.photos.handoverId')} inputMode="numeric" maxLength={12} value={handover} onValue={setHandover} {...viewForm.field('id')} />
            </div>
            <div>
              <Field id="photo-reason" label={t('ops.photos.reason')} hint={t('ops.photos.reasonHint')} maxLength={200} value={reason} onValue={setReason} {...viewForm.field('reason')} />
            </div>
          </div>
        </ActionForm>
        {shown && (
          <figure className="handover-photo" data-testid="handover-photo">
            <img src={shown.url} alt={t('ops.photos.photoAlt', { id: shown.handoverId })} />
            <figcaption>
              {t('ops.photos.takenAt', { at: formatDateTime(shown.takenAt) })}
              <br />
              {t('ops.photos.digest')} <code className="num digest">{shown.sm3}</code>
            </figcaption>
            <button type="button" className="button secondary" onClick={() => setShown(null)}>
              {t('ops.photos.hide')}
            </button>
          </figure>
        )}
      </LcSection>
    </>
  );
}
