// 滞留/退回: parcels waiting too long, longest first. The clerk sets them aside
// in a return batch (one per carrier), scans each out as the courier takes it
// (through the scan bus, like every scan), and hands the batch over; what was
// not scanned stays on the shelf. Damaged, refused or mis-sorted parcels are
// flagged with a note.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PROBLEM_KINDS, type CounterParcel, type ProblemKind, type ReturnBatch } from '../../shared/counter';
import type { Carrier } from '../../shared/parcel';
import { normaliseWaybill } from '../../shared/waybill';
import { DataTable } from '../components/DataTable';
import { Field, SelectField } from '../components/Field';
import { useFlash } from '../components/Flash';
import { ShelfSlot } from '../components/ParcelFacts';
import { Problem, type ProblemData } from '../components/Problem';
import { formatDateTime } from '../platform/dates';
import { useScans } from '../state/scan-bus';
import { useScreenHeading } from '../hooks/screen-heading';
import { useLoad } from '../hooks/use-load';
import { useInvoke } from '../app/session';
import { useSerial } from '../hooks/use-serial';
import type { ScreenProps } from '../app/Workspace';
import '../styles/counter.css';

const OVERDUE_SHOWN = 200;

type Notice = { key: 'returns.moved' | 'returns.flagged' } | { key: 'returns.handedOver'; returned: number; left: number };

export function ReturnsScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [batch, setBatch] = useState<ReturnBatch | null>(null);
  const [flagging, setFlagging] = useState<number | null>(null);
  // An action's refusal; a successful read clears it, as a fresh look at the screen.
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const heading = useScreenHeading(active, focusSignal);
  const serial = useSerial();
  const [flash, signal] = useFlash();

  const cleared = () => setProblem(null);
  // One answer on screen at a time: a refusal replaces the last success note, a success the last refusal.
  const refuse = (p: ProblemData) => {
    setNotice(null);
    setProblem(p);
  };
  const tell = (n: Notice | null) => {
    setProblem(null);
    setNotice(n);
  };
  const settings = useLoad('counter.settings.get', active ? {} : null, [active], cleared);
  const overdueList = useLoad('counter.overdue', active ? { limit: OVERDUE_SHOWN } : null, [active], () => {
    cleared();
    // A fresh list: what was ticked in the last one may have moved.
    setSelected(new Set());
  });
  const openBatches = useLoad('returns.open', active ? {} : null, [active], cleared);
  const openFlags = useLoad('problems.open', active ? {} : null, [active], cleared);
  const reads = [settings, overdueList, openBatches, openFlags];
  const load = () => Promise.all(reads.map((r) => r.reload()));
  // Carriers with days of their own make the threshold a range: "3–7".
  const thresholds = settings.data ? [settings.data.overdueDays, ...Object.values(settings.data.carrierOverdueDays)] : [];
  const overdueDays = thresholds.length ? [...new Set([Math.min(...thresholds), Math.max(...thresholds)])].join('–') : null;
  const overdue = overdueList.data;
  const batches = openBatches.data ?? [];
  const flags = openFlags.data ?? [];
  const shownProblem = reads.find((r) => r.problem)?.problem ?? problem;

  async function openBatch(batchId: number) {
    const res = await invoke('returns.get', { batchId });
    if (res.ok) setBatch(res.value);
    else refuse({ error: res.error });
  }

  async function move() {
    if (!overdue || selected.size === 0) return refuse({ local: 'counterProblem.noneSelected' });
    // A batch holds one carrier's parcels: one move per carrier.
    const byCarrier = new Map<Carrier, number[]>();
    for (const p of overdue) if (selected.has(p.id)) byCarrier.set(p.carrier, [...(byCarrier.get(p.carrier) ?? []), p.id]);
    let last: ReturnBatch | null = null;
    let refused: ProblemData | null = null;
    for (const parcelIds of byCarrier.values()) {
      const res = await invoke('returns.move', { parcelIds });
      if (!res.ok) {
        refused = { error: res.error };
        break;
      }
      last = res.value;
    }
    await load();
    if (last) setBatch(last);
    // The reload above clears the problem line: the refusal goes on it afterwards.
    if (refused) refuse(refused);
    else if (last) tell({ key: 'returns.moved' });
  }

  /** A scan finds its batch; a number typed into an open batch is looked for in that batch only. */
  function scanOut(raw: string, inBatch?: number) {
    return serial(async () => {
      if (batches.length === 0) {
        refuse({ local: 'counterProblem.noBatch' });
        signal('error');
        return;
      }
      const res = await invoke('returns.scanOut', { waybill: normaliseWaybill(raw), ...(inBatch === undefined ? {} : { batchId: inBatch }) });
      if (!res.ok) {
        refuse({ error: res.error });
        signal('error');
        return;
      }
      const scanned = res.value;
      tell(null);
      setBatch(scanned);
      openBatches.setData((list) => list && list.map((b) => (b.id === scanned.id ? scanned : b)));
      signal('ok');
    });
  }

  useScans(active, (scan) => void scanOut(scan.code));

  async function handOver() {
    if (!batch) return;
    const res = await invoke('returns.handOver', { batchId: batch.id });
    if (!res.ok) return refuse({ error: res.error });
    tell({ key: 'returns.handedOver', returned: res.value.batch.scanned, left: res.value.leftOnShelf });
    setBatch(null);
    await load();
  }

  async function flag(parcelId: number, kind: ProblemKind, note: string): Promise<void> {
    const res = await invoke('problems.flag', { parcelId, kind, ...(note.trim() ? { note: note.trim() } : {}) });
    if (!res.ok) return refuse({ error: res.error });
    setFlagging(null);
    tell({ key: 'returns.flagged' });
    openFlags.setData((list) => [res.value, ...(list ?? [])]);
  }

  return (
    <section className="screen" aria-labelledby="returns-title" hidden={!active}>
      {flash}
      <h1 id="returns-title" ref={heading} tabIndex={-1}>
        {t('returns.title')}
      </h1>
      <Problem id="returns-problem" problem={shownProblem} />
      <p role="status" className="ok-note">
        {notice &&
          (notice.key === 'returns.handedOver' ? t(notice.key, { returned: notice.returned, left: notice.left }) : t(notice.key))}
      </p>

      {batch && <ActiveBatch batch={batch} onWaybill={(w) => void scanOut(w, batch.id)} onHandOver={() => void handOver()} />}

      <section aria-labelledby="overdue-title">
        <div className="screen-head">
          <h2 id="overdue-title" className="section-title">{t('returns.overdueTitle', { days: overdueDays ?? '…' })}</h2>
          <button type="button" className="button primary" onClick={() => void move()}>
            {t('returns.move', { n: selected.size })}
          </button>
        </div>
        {overdue && overdue.length === 0 && <p className="muted">{t('returns.overdueEmpty')}</p>}
        {overdue && overdue.length > 0 && (
          <DataTable
            id="overdue"
            caption={t('returns.overdueCaption')}
            columns={[
              t('returns.select'),
              t('scanIn.colCode'),
              t('scanIn.colSlot'),
              t('scanIn.colCarrier'),
              t('scanIn.colName'),
              { label: t('returns.colDays'), className: 'num-col' },
              t('accounts.actions'),
            ]}
          >
            {overdue.map((p) => (
              <OverdueRow
                key={p.id}
                parcel={p}
                selected={selected.has(p.id)}
                onSelect={(on) =>
                  setSelected((s) => {
                    const next = new Set(s);
                    if (on) next.add(p.id);
                    else next.delete(p.id);
                    return next;
                  })
                }
                flagging={flagging === p.id}
                onFlagging={(on) => setFlagging(on ? p.id : null)}
                onFlag={(kind, note) => flag(p.id, kind, note)}
              />
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="batches-title">
        <h2 id="batches-title" className="section-title">{t('returns.batchesTitle')}</h2>
        {batches.length === 0 ? (
          <p className="muted">{t('returns.batchesEmpty')}</p>
        ) : (
          <ul className="batch-list">
            {batches.map((b) => (
              <li key={b.id} className={`panel batch-item${batch?.id === b.id ? ' is-active' : ''}`}>
                <span className="batch-name">{t('returns.batch', { id: b.id, carrier: t(`carrier.${b.carrier}`) })}</span>
                <span className="num">{t('returns.batchCount', { scanned: b.scanned, parcels: b.parcels })}</span>
                <button type="button" className="button small" onClick={() => void openBatch(b.id)}>
                  {t('returns.open')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="flags-title">
        <h2 id="flags-title" className="section-title">{t('returns.problemsTitle')}</h2>
        {flags.length === 0 ? (
          <p className="muted">{t('returns.problemsEmpty')}</p>
        ) : (
          <ul className="flag-list">
            {flags.map((f) => (
              <li key={f.flagId ?? `missing-${f.parcel.id}`} className="panel flag-item">
                <span className="badge badge-warn">{t(`returns.kinds.${f.kind}`)}</span>
                <span className="num code-cell">{f.parcel.pickupCode ?? f.parcel.waybillNo}</span>
                <span>{t(`carrier.${f.parcel.carrier}`)}</span>
                <span className="masked">{f.parcel.name}</span>
                {f.stocktakeId !== undefined && <span className="num">{t('returns.missingIn', { id: f.stocktakeId })}</span>}
                <span className="muted">
                  {t('returns.flaggedAt')} {formatDateTime(f.flaggedAt)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

interface OverdueRowProps {
  parcel: CounterParcel;
  selected: boolean;
  onSelect: (on: boolean) => void;
  flagging: boolean;
  onFlagging: (on: boolean) => void;
  onFlag: (kind: ProblemKind, note: string) => Promise<void>;
}

function OverdueRow({ parcel: p, selected, onSelect, flagging, onFlagging, onFlag }: OverdueRowProps) {
  const { t } = useTranslation();
  const codeId = `overdue-${p.id}`;
  return (
    <>
      <tr className={selected ? 'row-selected' : undefined}>
        <td>
          <input type="checkbox" className="big-check" aria-labelledby={codeId} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
        </td>
        <th scope="row" id={codeId} className="num code-cell">
          {p.pickupCode}
        </th>
        <td>
          <ShelfSlot shelf={p.shelf} layer={p.layer} />
        </td>
        <td>{t(`carrier.${p.carrier}`)}</td>
        <td className="masked">{p.name}</td>
        <td className="num num-col">{t('returns.days', { n: p.daysOnShelf ?? 0 })}</td>
        <td>
          <button type="button" className="button small" aria-describedby={codeId} onClick={() => onFlagging(!flagging)}>
            {t('returns.flag')}
          </button>
        </td>
      </tr>
      {flagging && (
        <tr>
          <td colSpan={7}>
            <FlagForm code={p.pickupCode ?? p.waybillNo} onFlag={onFlag} onCancel={() => onFlagging(false)} />
          </td>
        </tr>
      )}
    </>
  );
}

function FlagForm({ code, onFlag, onCancel }: { code: string; onFlag: (kind: ProblemKind, note: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ProblemKind>('damaged');
  const [note, setNote] = useState('');
  const id = `flag-${code}`;

  function submit(e: FormEvent) {
    e.preventDefault();
    void onFlag(kind, note);
  }

  return (
    <form className="flag-form" onSubmit={submit} noValidate aria-label={t('returns.flagTitle', { code })}>
      <div>
        <SelectField id={`${id}-kind`} label={t('returns.kind')} autoFocus value={kind} onValue={setKind} options={PROBLEM_KINDS} text={(k) => t(`returns.kinds.${k}`)} />
      </div>
      <div>
        <Field id={`${id}-note`} label={t('returns.flagNote')} hint={t('parcel.noteHint')} autoComplete="off" maxLength={200} value={note} onValue={setNote} />
      </div>
      <div className="button-row">
        <button type="submit" className="button primary">
          {t('returns.flagSave')}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('scanIn.cancel')}
        </button>
      </div>
    </form>
  );
}

function ActiveBatch({ batch, onWaybill, onHandOver }: { batch: ReturnBatch; onWaybill: (w: string) => void; onHandOver: () => void }) {
  const { t } = useTranslation();
  const [manual, setManual] = useState('');

  function submit(e: FormEvent) {
    e.preventDefault();
    onWaybill(manual);
    setManual('');
  }

  return (
    <section className="panel active-batch" aria-labelledby="active-batch-title">
      <h2 id="active-batch-title">{t('returns.activeTitle', { id: batch.id, carrier: t(`carrier.${batch.carrier}`) })}</h2>
      <p className="handover-left num">{t('returns.batchCount', { scanned: batch.scanned, parcels: batch.parcels })}</p>
      <ul className="batch-items">
        {batch.items.map((p) => (
          <li key={p.id} className={p.scanned ? 'is-scanned' : undefined}>
            <span className="num code-cell">{p.pickupCode}</span>
            <span className="num">{p.waybillNo}</span>
            <span className={`status ${p.scanned ? 'status-on_shelf' : 'status-picked_up'}`}>{p.scanned ? t('returns.scanned') : t('returns.notScanned')}</span>
          </li>
        ))}
      </ul>
      <div className="handover-row">
        <form className="manual-form" onSubmit={submit} noValidate>
          <div>
            <Field id="return-input" label={t('returns.manualLabel')} autoComplete="off" spellCheck={false} maxLength={40} value={manual} onValue={setManual} />
          </div>
          <button type="submit" className="button secondary big">
            {t('returns.manualSubmit')}
          </button>
        </form>
        <button type="button" className="button primary big" disabled={batch.scanned === 0} onClick={onHandOver}>
          {t('returns.handOver')}
        </button>
      </div>
    </section>
  );
}
