// 装袋: the papers going into one destruction batch (a bag or box), scanned
// one after another. Scans come from the workspace's scan bus (wedge or HID
// scanner) or from the field plus Enter, and are sent one at a time in order,
// so a fast run of scans is neither lost nor reordered. Unknown waybills go in
// flagged; a second scan of the same paper is refused by main.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorData } from '../../../shared/errors';
import type { BatchScanResult, ShredBatch } from '../../../shared/ipc/ledger';
import { Field, ScanInput } from '../../components/Field';
import { Problem, type ProblemData } from '../../components/Problem';
import { beep } from '../../platform/feedback';
import { useFormProblem } from '../../forms/form-problem';
import { useLang } from '../../i18n';
import { clearing, localError } from '../../i18n/oversight-problem';
import { useScans } from '../../state/scan-bus';
import { useInvoke } from '../../app/session';
import { useLoad } from '../../hooks/use-load';
import { useSerial } from '../../hooks/use-serial';
import { wholeIn } from '../../forms/validate';
import { DestroyForm } from './DestroyForm';

type Outcome = BatchScanResult['custody'] | 'duplicate' | 'invalid' | 'failed';

interface ScanLine {
  n: number;
  waybill: string;
  outcome: Outcome;
  error?: AppErrorData;
}

const LOG_LINES = 30;
const OUTCOME_TEXT = {
  detached: 'added',
  on_parcel: 'onParcel',
  unknown: 'unknown',
  duplicate: 'duplicate',
  invalid: 'invalid',
  failed: 'failed',
} as const satisfies Record<Outcome, string>;

interface Props {
  /** The panel is shown: only then do scans come here. */
  active: boolean;
  onDestroyed: () => void;
}

export function BatchPanel({ active, onDestroyed }: Props) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const [currentId, setCurrentId] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [log, setLog] = useState<ScanLine[]>([]);
  // An action's refusal; a successful read clears it, as a fresh look at the panel.
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const serial = useSerial();
  const lineNo = useRef(0);
  const scanField = useRef<HTMLInputElement>(null);

  const listed = useLoad('ledger.batch.list', active ? {} : null, [active], (list) => {
    setProblem(null);
    // The newest batch being filled, unless one is chosen and still open.
    setCurrentId((id) => (list.some((b) => b.id === id) ? id : (list.at(-1)?.id ?? null)));
  });
  const batches = listed.data;
  const setBatches = listed.setData;
  const current = batches?.find((b) => b.id === currentId) ?? null;
  const replace = (b: ShredBatch) => setBatches((list) => list && list.map((x) => (x.id === b.id ? b : x)));

  useEffect(() => {
    if (active && currentId !== null) scanField.current?.focus();
  }, [active, currentId]);

  async function openBatch() {
    const res = await invoke('ledger.batch.open', {});
    if (!res.ok) return setProblem({ error: res.error });
    setProblem(null);
    setNotice(null);
    setBatches((list) => [...(list ?? []), res.value]);
    setCurrentId(res.value.id);
    setLog([]);
  }

  const record = (waybill: string, outcome: Outcome, error?: AppErrorData) =>
    setLog((l) => [{ n: ++lineNo.current, waybill, outcome, error }, ...l].slice(0, LOG_LINES));

  async function scanOne(batchId: number, waybill: string) {
    const res = await invoke('ledger.batch.scan', { batchId, waybill });
    if (res.ok) {
      replace(res.value.batch);
      record(res.value.waybill, res.value.custody);
      beep(res.value.custody === 'detached' ? 'ok' : 'error');
      return;
    }
    const code = res.error.code;
    record(waybill, code === 'DUPLICATE_SCAN' ? 'duplicate' : code === 'INVALID_INPUT' ? 'invalid' : 'failed', res.error);
    beep(code === 'DUPLICATE_SCAN' ? 'duplicate' : 'error');
  }

  function enqueue(raw: string) {
    const waybill = raw.trim();
    if (!waybill || currentId === null) return;
    setNotice(null);
    void serial(() => scanOne(currentId, waybill));
  }

  useScans(active && currentId !== null, (scan) => enqueue(scan.code));

  function submit(e: FormEvent) {
    e.preventDefault();
    enqueue(text);
    setText('');
  }

  async function remove(waybill: string) {
    if (!current) return;
    const res = await invoke('ledger.batch.remove', { batchId: current.id, waybill });
    if (!res.ok) return setProblem({ error: res.error });
    setProblem(null);
    replace(res.value);
    scanField.current?.focus();
  }

  function destroyed(message: string) {
    setNotice(message);
    setLog([]);
    onDestroyed();
    void listed.reload();
  }

  return (
    <section className="panel" aria-labelledby="batch-title">
      <h2 id="batch-title">{t('ledger.batch.title')}</h2>
      <p role="status" className="ok-note">
        {notice}
      </p>
      <Problem id="batch-problem" problem={listed.problem ?? problem} />
      {batches && batches.length === 0 && <p className="empty-note">{t('ledger.batch.none')}</p>}
      <div className="batch-choice">
        {batches && batches.length > 0 && (
          <div>
            <label htmlFor="batch-current">{t('ledger.batch.current')}</label>
            <select id="batch-current" className="field" value={currentId ?? ''} onChange={(e) => setCurrentId(Number(e.target.value))}>
              {batches.map((b) => (
                <option key={b.id} value={b.id}>
                  {t('ledger.batch.option', { id: b.id, sheets: b.sheets, by: b.openedBy.displayName })}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="button" className={batches?.length ? 'button secondary big' : 'button primary big'} onClick={() => void openBatch()}>
          {t('ledger.batch.open')}
        </button>
      </div>

      {current && (
        <>
          <form className="scan-form" onSubmit={submit} noValidate>
            <label htmlFor="batch-scan" className="scan-label">
              {t('ledger.batch.scan')}
            </label>
            <ScanInput id="batch-scan" ref={scanField} value={text} aria-describedby="batch-scan-hint" onValue={setText} />
            <p id="batch-scan-hint" className="hint">
              {t('ledger.batch.scanHint')}
            </p>
          </form>
          <ScanLog log={log} />
          <BatchContents batch={current} onRemove={(w) => void remove(w)} />
          <CountForm batch={current} onBatch={replace} />
          {current.sheets > 0 && <DestroyForm batch={current} onDestroyed={destroyed} />}
        </>
      )}
    </section>
  );
}

function ScanLog({ log }: { log: ScanLine[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  // The newest line is announced; older lines stay for a glance back.
  return (
    <div className="scan-log" aria-labelledby="scan-log-title">
      <h3 id="scan-log-title" className="visually-hidden">
        {t('ledger.batch.log')}
      </h3>
      <ol aria-live="polite" aria-relevant="additions">
        {log.map((l) => (
          <li key={l.n} className={`scan-line scan-${l.outcome}`} data-outcome={l.outcome}>
            <span className="scan-waybill num">{l.waybill}</span>
            <span className="scan-outcome">
              {t(`ledger.batch.${OUTCOME_TEXT[l.outcome]}`)}
              {l.outcome === 'failed' && l.error && `：${l.error.message[lang]}`}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function BatchContents({ batch, onRemove }: { batch: ShredBatch; onRemove: (waybill: string) => void }) {
  const { t } = useTranslation();
  const counted = batch.counts.reduce((n, c) => n + c.sheets, 0);
  const papers = [...batch.unknownWaybills.map((w) => ({ w, unknown: true })), ...batch.waybills.map((w) => ({ w, unknown: false }))];
  return (
    <div className="batch-contents" aria-labelledby="batch-contents-title">
      <h3 id="batch-contents-title">{t('ledger.batch.contents', { id: batch.id })}</h3>
      <p className="batch-summary" data-testid="batch-summary">
        {t('ledger.batch.summary', { known: batch.waybills.length, unknown: batch.unknownWaybills.length, counted, sheets: batch.sheets })}
      </p>
      {batch.sheets === 0 ? (
        <p className="muted">{t('ledger.batch.empty')}</p>
      ) : (
        <ul className="paper-list">
          {papers.map(({ w, unknown }) => (
            <li key={w} className={unknown ? 'paper paper-unknown' : 'paper'}>
              <span className="num">{w}</span>
              {unknown && <span className="tag tag-bad">{t('ledger.batch.unknownTag')}</span>}
              <button type="button" className="button small" aria-label={t('ledger.batch.removeLabel', { waybill: w })} onClick={() => onRemove(w)}>
                {t('ledger.batch.remove')}
              </button>
            </li>
          ))}
          {batch.counts.map((c, i) => (
            <li key={`count-${i}`} className="paper paper-count">
              {t('ledger.batch.counted', { count: c.sheets, note: c.note })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CountForm({ batch, onBatch }: { batch: ShredBatch; onBatch: (b: ShredBatch) => void }) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const [count, setCount] = useState('');
  const [note, setNote] = useState('');
  const form = useFormProblem<'count' | 'note'>('count-problem');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = wholeIn(count, 1, 10_000);
    if (n === null) return form.fail({ error: localError((m) => m.ledger.batch.countInvalid) }, 'count');
    if (note.trim().length < 2) return form.fail({ error: localError((m) => m.ledger.batch.noteInvalid) }, 'note');
    const res = await invoke('ledger.batch.addCount', { batchId: batch.id, count: n, note: note.trim() });
    if (!res.ok) return form.fail({ error: res.error }, res.error.code === 'PERSONAL_DATA_IN_NOTE' ? 'note' : null);
    form.clear();
    setCount('');
    setNote('');
    onBatch(res.value);
  }

  return (
    <form className="count-form" onSubmit={submit} noValidate aria-labelledby="count-title">
      <h3 id="count-title">{t('ledger.batch.countTitle')}</h3>
      <div className="count-grid">
        <div>
          <Field id="count-sheets" label={t('ledger.batch.count')} inputMode="numeric" autoComplete="off" value={count} onValue={clearing(form, setCount)} {...form.field('count')} />
        </div>
        <div>
          <Field id="count-note" label={t('ledger.batch.countNote')} autoComplete="off" maxLength={200} value={note} onValue={clearing(form, setNote)} {...form.field('note')} />
        </div>
        <button type="submit" className="button secondary big">
          {t('ledger.batch.countAdd')}
        </button>
      </div>
      <Problem id={form.problemId} problem={form.problem} />
    </form>
  );
}
