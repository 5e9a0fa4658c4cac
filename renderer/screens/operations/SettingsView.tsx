// 站务设置 (supervisor): the shelves (how many, names, a layer's capacity, who
// picks the slot at scan-in), overdue days for the station and per carrier,
// opening hours and the anomaly thresholds, each printer's label size and
// language, and how long personal data is kept. Each part is saved on its own, with the supervisor's code, through
// the channel of the service that owns it; main applies it at the next action.
import { useEffect, useState } from 'react';
import { ANOMALY_LIMITS, isOpeningHours, type AnomalyLimit } from '../../../shared/anomaly-settings';
import { LAYER_CAPACITY_MAX, SHELF_NAME_MAX, SLOT_MODES, type ShelfPlan, type SlotMode } from '../../../shared/counter';
import { RETENTION_DAYS_MAX } from '../../../shared/ipc/lifecycle';
import { CARRIERS, type Carrier } from '../../../shared/parcel';
import { Field, RadioChoice } from '../../components/Field';
import { localErrorsOf } from '../../components/Problem';
import { useInvoke } from '../../app/session';
import { useFormProblem } from '../../forms/form-problem';
import { wholeIn } from '../../forms/validate';
import { useLoad } from '../../hooks/use-load';
import { enOperations } from '../../../shared/i18n/en-operations';
import { useOpsT, type OpsKey } from '../../i18n/operations-t';
import { zhOperations } from '../../../shared/i18n/zh-operations';
import { ActionForm } from '../lifecycle/ActionForm';
import { PrinterLabelsSection } from './PrinterLabelsSection';
import { LcSection } from '../lifecycle/LcSection';
import { useStepUp } from '../lifecycle/step-up';

const opsError = localErrorsOf(zhOperations, enOperations);
const LIMITS = Object.keys(ANOMALY_LIMITS) as AnomalyLimit[];
const RETENTION = ['pickedUpDays', 'returnedDays', 'expectedDays'] as const;
type Texts<K extends string> = Record<K, string>;

const texts = <K extends string>(keys: readonly K[], from: Partial<Record<K, number | undefined>>): Texts<K> =>
  Object.fromEntries(keys.map((k) => [k, from[k] === undefined ? '' : String(from[k])])) as Texts<K>;

/** Every box a whole number in [min, max], or null. */
function wholes<K extends string>(form: Texts<K>, range: (k: K) => readonly [number, number]): Record<K, number> | null {
  const out = {} as Record<K, number>;
  for (const k of Object.keys(form) as K[]) {
    const n = wholeIn(form[k], ...range(k));
    if (n === null) return null;
    out[k] = n;
  }
  return out;
}

function NumberBoxes<K extends string>({ prefix, keys, form, onForm, label, field }: {
  prefix: string;
  keys: readonly K[];
  form: Texts<K>;
  onForm: (f: Texts<K>) => void;
  label: (k: K) => string;
  field?: { invalid?: boolean; problemId?: string };
}) {
  return (
    <div className="lc-grid">
      {keys.map((k) => (
        <div key={k}>
          <Field id={`${prefix}-${k}`} label={label(k)} inputMode="numeric" maxLength={4} value={form[k]} onValue={(v) => onForm({ ...form, [k]: v })} {...field} />
        </div>
      ))}
    </div>
  );
}

export function SettingsView({ active }: { active: boolean }) {
  const t = useOpsT();
  const invoke = useInvoke();
  const stepUp = useStepUp();
  const counter = useLoad('counter.settings.get', active ? {} : null, [active]);
  const anomaly = useLoad('anomaly.settings.get', active ? {} : null, [active]);
  const lifecycle = useLoad('lifecycle.status', active ? {} : null, [active]);
  const [notice, setNotice] = useState<string | null>(null);
  const [shelves, setShelves] = useState<Texts<'shelves' | 'layers' | 'capacity'>>({ shelves: '', layers: '', capacity: '' });
  const [names, setNames] = useState('');
  const [slotMode, setSlotMode] = useState<SlotMode>('app');
  const [overdue, setOverdue] = useState<Texts<'station' | Carrier>>(texts(['station', ...CARRIERS], {}));
  const [limits, setLimits] = useState<Texts<AnomalyLimit>>(texts(LIMITS, {}));
  const [hours, setHours] = useState('');
  const [retention, setRetention] = useState<Texts<(typeof RETENTION)[number]>>(texts(RETENTION, {}));
  const shelvesForm = useFormProblem<'numbers' | 'names'>('settings-shelves-problem');
  const overdueForm = useFormProblem<'numbers'>('settings-overdue-problem');
  const anomalyForm = useFormProblem<'numbers' | 'hours'>('settings-anomaly-problem');
  const retentionForm = useFormProblem<'numbers'>('settings-retention-problem');

  useEffect(() => {
    const c = counter.data;
    if (!c) return;
    setShelves({ shelves: String(c.shelves), layers: String(c.layers), capacity: String(c.layerCapacity) });
    setNames(c.shelfNames.join(', '));
    setSlotMode(c.slotMode);
    setOverdue(texts(['station', ...CARRIERS], { station: c.overdueDays, ...c.carrierOverdueDays }));
  }, [counter.data]);
  useEffect(() => {
    if (!anomaly.data) return;
    setLimits(texts(LIMITS, anomaly.data));
    setHours(anomaly.data.openingHours);
  }, [anomaly.data]);
  useEffect(() => {
    if (lifecycle.data) setRetention(texts(RETENTION, lifecycle.data.settings));
  }, [lifecycle.data]);

  const saved = () => setNotice(t('ops.settings.saved'));

  function saveShelves() {
    const n = wholes(shelves, (k) => (k === 'capacity' ? [0, LAYER_CAPACITY_MAX] : k === 'shelves' ? [1, 999] : [1, 99]));
    if (!n) return shelvesForm.fail({ error: opsError((m) => m.ops.settings.numberInvalid) }, 'numbers');
    const shelfNames = names.split(/[,，、]/).map((s) => s.trim());
    if (shelfNames.some((s) => s.length > SHELF_NAME_MAX)) return shelvesForm.fail({ error: opsError((m) => m.ops.settings.namesInvalid) }, 'names');
    shelvesForm.clear();
    const patch = { shelves: n.shelves, layers: n.layers, layerCapacity: n.capacity, shelfNames: names.trim() ? shelfNames : [], slotMode };
    stepUp.ask('shelves', t('ops.settings.shelvesAction'), (totp) => invoke('counter.settings.update', { ...patch, totp }), (v) => {
      counter.setData(v);
      saved();
    });
  }

  function saveOverdue() {
    const station = wholeIn(overdue.station, 1, 365);
    const carrierOverdueDays: ShelfPlan['carrierOverdueDays'] = {};
    let bad = station === null;
    for (const c of CARRIERS) {
      if (!overdue[c].trim()) continue;
      const d = wholeIn(overdue[c], 1, 365);
      if (d === null) bad = true;
      else carrierOverdueDays[c] = d;
    }
    if (bad || station === null) return overdueForm.fail({ error: opsError((m) => m.ops.settings.numberInvalid) }, 'numbers');
    overdueForm.clear();
    stepUp.ask('overdue', t('ops.settings.overdueAction'), (totp) => invoke('counter.settings.update', { overdueDays: station, carrierOverdueDays, totp }), (v) => {
      counter.setData(v);
      saved();
    });
  }

  function saveAnomaly() {
    const n = wholes(limits, (k) => ANOMALY_LIMITS[k]);
    if (!n) return anomalyForm.fail({ error: opsError((m) => m.ops.settings.numberInvalid) }, 'numbers');
    if (!isOpeningHours(hours.trim())) return anomalyForm.fail({ error: opsError((m) => m.ops.settings.hoursInvalid) }, 'hours');
    anomalyForm.clear();
    stepUp.ask('anomaly', t('ops.settings.anomalyAction'), (totp) => invoke('anomaly.settings.update', { ...n, openingHours: hours.trim(), totp }), (v) => {
      anomaly.setData(v);
      saved();
    });
  }

  function saveRetention() {
    const n = wholes(retention, () => [1, RETENTION_DAYS_MAX]);
    if (!n) return retentionForm.fail({ error: opsError((m) => m.ops.settings.numberInvalid) }, 'numbers');
    retentionForm.clear();
    stepUp.ask('retention', t('ops.settings.retentionAction'), (totp) => invoke('lifecycle.settings', { ...n, totp }), () => {
      void lifecycle.reload();
      saved();
    });
  }

  if (!counter.data || !anomaly.data) return <p className="muted">{t('ops.loading')}</p>;
  return (
    <>
      <p role="status" className="ok-note">
        {notice}
      </p>
      <LcSection id="settings-shelves-title" title={t('ops.settings.shelvesTitle')}>
        <ActionForm form={shelvesForm} label={t('ops.settings.saveShelves')} tone="secondary" onSubmit={saveShelves} slot={stepUp.slot('shelves')}>
          <NumberBoxes
            prefix="settings"
            keys={['shelves', 'layers', 'capacity'] as const}
            form={shelves}
            onForm={setShelves}
            label={(k) => t(`ops.settings.${k}`)}
            field={shelvesForm.field('numbers')}
          />
          <p className="hint">{t('ops.settings.capacityHint')}</p>
          <Field id="settings-names" label={t('ops.settings.names')} hint={t('ops.settings.namesHint')} maxLength={400} value={names} onValue={setNames} {...shelvesForm.field('names')} />
          <RadioChoice name="slot-mode" legend={t('ops.settings.slotMode')} value={slotMode} onValue={setSlotMode} options={SLOT_MODES} text={(m) => t(`ops.settings.slotModes.${m}`)} className="choice-row" />
        </ActionForm>
      </LcSection>
      <LcSection id="settings-overdue-title" title={t('ops.settings.overdueTitle')}>
        <ActionForm form={overdueForm} label={t('ops.settings.saveOverdue')} tone="secondary" onSubmit={saveOverdue} slot={stepUp.slot('overdue')}>
          <p className="hint">{t('ops.settings.carrierHint')}</p>
          <NumberBoxes
            prefix="settings-overdue"
            keys={['station', ...CARRIERS] as const}
            form={overdue}
            onForm={setOverdue}
            label={(k) => (k === 'station' ? t('ops.settings.overdueDays') : t('ops.settings.carrierDays', { carrier: t(`carrier.${k}`) }))}
            field={overdueForm.field('numbers')}
          />
        </ActionForm>
      </LcSection>
      <LcSection id="settings-anomaly-title" title={t('ops.settings.anomalyTitle')}>
        <ActionForm form={anomalyForm} label={t('ops.settings.saveAnomaly')} tone="secondary" onSubmit={saveAnomaly} slot={stepUp.slot('anomaly')}>
          <Field id="settings-hours" label={t('ops.settings.openingHours')} hint={t('ops.settings.openingHint')} maxLength={11} spellCheck={false} value={hours} onValue={setHours} {...anomalyForm.field('hours')} />
          <NumberBoxes prefix="settings-limit" keys={LIMITS} form={limits} onForm={setLimits} label={(k) => t(`ops.settings.limits.${k}` as OpsKey)} field={anomalyForm.field('numbers')} />
        </ActionForm>
      </LcSection>
      <PrinterLabelsSection active={active} onSaved={saved} />
      {lifecycle.data && (
        <LcSection id="settings-retention-title" title={t('ops.settings.retentionTitle')}>
          <ActionForm form={retentionForm} label={t('ops.settings.saveRetention')} tone="secondary" onSubmit={saveRetention} slot={stepUp.slot('retention')}>
            <NumberBoxes prefix="settings-retention" keys={RETENTION} form={retention} onForm={setRetention} label={(k) => t(`ops.settings.${k}`)} field={retentionForm.field('numbers')} />
          </ActionForm>
        </LcSection>
      )}
    </>
  );
}
