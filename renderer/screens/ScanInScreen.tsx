// 入库: each scanned waybill goes on the shelf and its pickup code is shown
// huge for the clerk to write on the parcel (or a label is printed). Scans
// arrive through the scan bus, whatever has the focus; the field is for a
// barcode that will not scan. A parcel in no manifest needs its carrier or
// its recipient typed off the paper waybill; what was typed is cleared once
// saved and only the masked result is shown.
import { memo, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanInInput, ScanInResult } from '../../shared/counter';
import { CARRIERS, type Carrier } from '../../shared/parcel';
import { parsePhone } from '../../shared/phone';
import { isWellFormedWaybill, normaliseWaybill } from '../../shared/waybill';
import { DataTable } from '../components/DataTable';
import { Field, ScanInput } from '../components/Field';
import { useFlash } from '../components/Flash';
import { useShelfAtHand } from '../components/ShelfAtHand';
import { LabelPreview } from '../components/LabelPreview';
import { MaskedFacts, PickupCode, ShelfSlot, slotOfCode } from '../components/ParcelFacts';
import { Problem, type ProblemData } from '../components/Problem';
import { useFormProblem } from '../forms/form-problem';
import { useScans } from '../state/scan-bus';
import { useInvoke } from '../app/session';
import { useBusy } from '../hooks/use-busy';
import { useSerial } from '../hooks/use-serial';
import type { ScreenProps } from '../app/Workspace';
import '../styles/counter.css';

interface Entry {
  /** Scan number in this session, a stable key. */
  n: number;
  result: ScanInResult;
}

type Pending = { waybill: string; need: 'carrier' } | { waybill: string; need: 'recipient'; carrier?: Carrier };

// A display preference, never personal data.
const AUTO_PRINT_KEY = 'privacy-counter.autoPrint';

function savedAutoPrint(): boolean {
  try {
    return localStorage.getItem(AUTO_PRINT_KEY) === '1';
  } catch {
    return false;
  }
}

export function ScanInScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const [text, setText] = useState('');
  const [entries, setEntries] = useState<Entry[]>([]);
  // The last scan's result; cleared by a failed scan, so an old code is never read as the new one's.
  const [latest, setLatest] = useState<Entry | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [autoPrint, setAutoPrint] = useState(savedAutoPrint);
  const [printNote, setPrintNote] = useState<{ jobId: number } | null>(null);
  const [previewOf, setPreviewOf] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const count = useRef(0);
  const serial = useSerial();
  const busy = useBusy();
  const [flash, signal] = useFlash();
  const atHand = useShelfAtHand(active);

  useEffect(() => {
    if (active) input.current?.focus();
  }, [active, focusSignal]);

  async function print(parcelId: number) {
    const res = await invoke('labels.print', { parcelId });
    if (res.ok) setPrintNote({ jobId: res.value.id });
    else setProblem({ error: res.error });
  }

  /** A new answer replaces the last one: no earlier pickup code stays beside a refusal. */
  function refuse(p: ProblemData) {
    setPrintNote(null);
    setPreviewOf(null);
    setLatest(null);
    setProblem(p);
    signal('error');
  }

  function scanIn(req: ScanInInput): Promise<void> {
    // One at a time and in order, however fast the scanner fires.
    return serial(async () => {
      const res = await busy.during(invoke('counter.scanIn', { ...req, shelf: atHand.shelf }));
      setPrintNote(null);
      setPreviewOf(null);
      if (!res.ok) {
        const { code } = res.error;
        const waybill = normaliseWaybill(req.waybill);
        if (code === 'CARRIER_REQUIRED') setPending({ waybill, need: 'carrier' });
        else if (code === 'RECIPIENT_REQUIRED') setPending({ waybill, need: 'recipient', carrier: req.carrier });
        // The station switched to the clerk picking since this screen read its settings.
        else if (code === 'SHELF_REQUIRED') void atHand.reload();
        refuse({ error: res.error });
        return;
      }
      const entry = { n: ++count.current, result: res.value };
      const { result } = entry;
      setProblem(null);
      setPending((p) => (p?.waybill === result.parcel.waybillNo ? null : p));
      setLatest(entry);
      setEntries((list) => [entry, ...list]);
      signal(result.duplicate ? 'duplicate' : 'ok');
      if (autoPrint && !result.duplicate) await print(result.parcelId);
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const waybill = normaliseWaybill(text).replace(/\s+/g, '');
    if (!isWellFormedWaybill(waybill)) {
      refuse({ local: 'counterProblem.waybillInvalid' });
      return;
    }
    setText('');
    void scanIn({ waybill });
  }

  useScans(active, (scan) => void scanIn({ waybill: scan.code }));

  function toggleAutoPrint(on: boolean) {
    setAutoPrint(on);
    try {
      localStorage.setItem(AUTO_PRINT_KEY, on ? '1' : '0');
    } catch {
      // Storage unavailable: the choice holds for this session.
    }
  }

  const stored = entries.filter((e) => !e.result.duplicate).length;

  return (
    <section className="screen" aria-labelledby="scanin-title" hidden={!active}>
      <h1 id="scanin-title">{t('scanIn.title')}</h1>
      <p className="lead">{t('scanIn.intro')}</p>
      <form className="lookup-form" onSubmit={submit} noValidate>
        <label htmlFor="scanin-input" className="lookup-label">
          {t('scanIn.label')}
        </label>
        <div className="lookup-row">
          <ScanInput id="scanin-input" ref={input} value={text} aria-describedby="scanin-problem" onValue={setText} />
          <button type="submit" className="button primary big" aria-disabled={busy.shown}>
            {busy.shown ? t('scanIn.busy') : t('scanIn.submit')}
          </button>
        </div>
        {atHand.field}
        <label className="toggle">
          <input type="checkbox" checked={autoPrint} onChange={(e) => toggleAutoPrint(e.target.checked)} />
          {t('scanIn.autoPrint')}
        </label>
      </form>
      <Problem id="scanin-problem" problem={problem} />

      {pending?.need === 'carrier' && (
        <CarrierChoice waybill={pending.waybill} onCarrier={(carrier) => void scanIn({ waybill: pending.waybill, carrier })} />
      )}
      {pending?.need === 'recipient' && (
        <RecipientForm
          key={pending.waybill}
          waybill={pending.waybill}
          onSave={(recipient) => scanIn({ waybill: pending.waybill, carrier: pending.carrier, recipient })}
          onCancel={() => {
            setPending(null);
            setProblem(null);
            input.current?.focus();
          }}
        />
      )}

      {flash}
      {latest && (
        <div className={`scan-result${latest.result.duplicate ? ' is-duplicate' : ''}`} aria-labelledby="scanin-latest" role="region">
          <h2 id="scanin-latest" className="visually-hidden">
            {t('scanIn.latest')}
          </h2>
          <div className="scan-result-code">
            <PickupCode code={latest.result.parcel.pickupCode} size="huge" />
            <ShelfSlot {...(slotOfCode(latest.result.parcel.pickupCode) ?? { shelf: null, layer: null })} />
          </div>
          <div className="scan-result-facts">
            <p className="scan-flags" role="status">
              {latest.result.duplicate && <span className="badge badge-warn">{t('scanIn.duplicate')}</span>}
              {latest.result.created && <span className="badge badge-info">{t('scanIn.created')}</span>}
            </p>
            <MaskedFacts parcel={latest.result.parcel} />
            <div className="button-row">
              <button type="button" className="button secondary" onClick={() => void print(latest.result.parcelId)}>
                {t('scanIn.print')}
              </button>
              <button type="button" className="button secondary" onClick={() => setPreviewOf(latest.result.parcelId)}>
                {t('scanIn.preview')}
              </button>
            </div>
            {printNote && <p className="ok-note">{t('scanIn.printQueued', { id: printNote.jobId })}</p>}
          </div>
          {previewOf === latest.result.parcelId && (
            <LabelPreview parcelId={previewOf} alt={t('scanIn.previewAlt', { code: latest.result.parcel.pickupCode ?? '' })} />
          )}
        </div>
      )}

      <section className="batch" aria-labelledby="batch-title">
        <h2 id="batch-title" data-testid="batch-count">
          {t('scanIn.batchTitle', { n: stored })}
        </h2>
        {entries.length === 0 ? <p className="muted">{t('scanIn.batchEmpty')}</p> : <BatchTable entries={entries} />}
      </section>
    </section>
  );
}

function CarrierChoice({ waybill, onCarrier }: { waybill: string; onCarrier: (c: Carrier) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="panel carrier-choice">
      <legend>{t('scanIn.chooseCarrier', { waybill })}</legend>
      <div className="choice-grid">
        {CARRIERS.map((c, i) => (
          <button key={c} type="button" className="button secondary big" autoFocus={i === 0} onClick={() => onCarrier(c)}>
            {t(`carrier.${c}`)}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

type RecipientField = 'name' | 'phone' | 'address';

function RecipientForm({
  waybill,
  onSave,
  onCancel,
}: {
  waybill: string;
  onSave: (r: { name: string; phone: string; address?: string }) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [address, setAddress] = useState('');
  const form = useFormProblem<RecipientField>('recipient-problem');

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return form.fail({ local: 'counterProblem.nameRequired' }, 'name');
    if (!parsePhone(phone)) return form.fail({ local: 'counterProblem.phoneInvalid' }, 'phone');
    const recipient = { name: name.trim(), phone: phone.trim(), ...(address.trim() ? { address: address.trim() } : {}) };
    // Cleared before the answer: the typed values are never shown back, masked or not.
    setName('');
    setPhone('');
    setAddress('');
    form.clear();
    void onSave(recipient);
  }

  return (
    <section className="panel recipient-form" aria-labelledby="recipient-title">
      <h2 id="recipient-title">{t('scanIn.recipientTitle', { waybill })}</h2>
      <p className="muted">{t('scanIn.recipientIntro')}</p>
      <form onSubmit={submit} noValidate>
        <div className="create-grid">
          <div>
            <Field id="recipient-name" label={t('scanIn.name')} autoFocus autoComplete="off" maxLength={64} value={name} onValue={setName} {...form.field('name')} />
          </div>
          <div>
            <Field id="recipient-phone" label={t('scanIn.phone')} autoComplete="off" inputMode="tel" maxLength={32} value={phone} onValue={setPhone} {...form.field('phone')} />
          </div>
        </div>
        <Field id="recipient-address" label={t('scanIn.address')} autoComplete="off" maxLength={200} value={address} onValue={setAddress} {...form.field('address')} />
        <Problem id={form.problemId} problem={form.problem} />
        <div className="button-row">
          <button type="submit" className="button primary big">
            {t('scanIn.save')}
          </button>
          <button type="button" className="button secondary big" onClick={onCancel}>
            {t('scanIn.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

function BatchTable({ entries }: { entries: Entry[] }) {
  const { t } = useTranslation();
  return (
    <DataTable
      id="batch"
      caption={t('scanIn.batchCaption')}
      className="batch-table"
      columns={[t('scanIn.colCode'), t('scanIn.colSlot'), t('scanIn.colWaybill'), t('scanIn.colCarrier'), t('scanIn.colName'), t('scanIn.colResult')]}
    >
      {entries.map((e) => (
        <BatchRow key={e.n} result={e.result} />
      ))}
    </DataTable>
  );
}

// A long morning's batch re-renders only its new row.
const BatchRow = memo(function BatchRow({ result: { parcel: p, duplicate } }: { result: ScanInResult }) {
  const { t } = useTranslation();
  const slot = slotOfCode(p.pickupCode);
  return (
    <tr className={duplicate ? 'row-duplicate' : undefined}>
      <td className="num code-cell">{p.pickupCode}</td>
      <td>{slot && <ShelfSlot {...slot} />}</td>
      <td className="num">{p.waybillNo}</td>
      <td>{t(`carrier.${p.carrier}`)}</td>
      <td className="masked">{p.name}</td>
      <td>{duplicate ? <span className="badge badge-warn">{t('scanIn.resultDuplicate')}</span> : t('scanIn.resultNew')}</td>
    </tr>
  );
});
