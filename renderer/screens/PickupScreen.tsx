// 出库: find the customer, then hand over parcel by parcel. The field takes a
// tail, a pickup code, a full phone (cleared at once, never shown back) or a
// waybill; a scanned pickup code (the customer's QR) works without touching
// it. A tail several customers share lists only masked phones and counts
// until a second factor (a pickup code, or one of their parcels scanned)
// names one. Then each parcel's own waybill must be scanned: main refuses a
// parcel of anyone else, and the screen turns red.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterParcel, CounterQuery, CustomerMatch, NotOnShelf } from '../../shared/counter';
import { errorMessages, type AppErrorData } from '../../shared/errors';
import type { ChannelInput, LookupQuery } from '../../shared/ipc/contract';
import type { PhotoSettings } from '../../shared/photo';
import { Field } from '../components/Field';
import { useFlash } from '../components/Flash';
import { PickupCode, ShelfSlot } from '../components/ParcelFacts';
import { TodayFigures } from '../components/TodayFigures';
import { useStationChanges } from '../state/station-server';
import type { StationChange } from '../../shared/ipc/station';
import { formatDateTime, localDay } from '../platform/dates';
import { Problem, type ProblemData } from '../components/Problem';
import { UnmaskDialog } from '../components/UnmaskDialog';
import { WrongParcelAlarm } from '../components/WrongParcelAlarm';
import { beep } from '../platform/feedback';
import { classifyCode, classifyQuery } from '../forms/lookup-query';
import { useScans } from '../state/scan-bus';
import { useInvoke } from '../app/session';
import { useBusy } from '../hooks/use-busy';
import { useCounterCamera, type Shot } from '../hooks/use-counter-camera';
import { useSerial } from '../hooks/use-serial';
import type { ScreenProps } from '../app/Workspace';
import '../styles/counter.css';

/** What the query was, for the summary line; a phone number is not kept. */
type Asked = { by: Exclude<LookupQuery['by'], 'phone'>; value: string } | { by: 'phone' };

interface Card {
  parcel: CounterParcel;
  /** Set once handed over here (and undoable); null while on the shelf, or when handed over at another counter. */
  handoverId: number | null;
}

/** Handed over at this counter, or (its status pushed from the station server) at another. */
const isHanded = (c: Card): boolean => c.handoverId !== null || c.parcel.status === 'picked_up';

type Stage =
  | { kind: 'idle' }
  | { kind: 'none'; asked: Asked; elsewhere: NotOnShelf[] }
  | { kind: 'choose'; asked: Asked; customers: CustomerMatch[]; more: boolean }
  | { kind: 'customer'; asked: Asked; cards: Card[] };

/** Where the next scan goes; kept beside the state so queued scans see it at once. */
type Mode = { kind: 'find' } | { kind: 'second'; query: LookupQuery; asked: Asked } | { kind: 'handover'; customerParcelId: number };

const askedOf = (q: LookupQuery): Asked => (q.by === 'phone' ? { by: 'phone' } : q);
/** New tails left before the browsing rule locks the shift, at which the counter starts warning. */
const TAILS_WARNING = 3;

export function PickupScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [alarm, setAlarm] = useState<AppErrorData | null>(null);
  // How this customer is served: by proxy (with a note), and whether they leave the paper waybills at the counter.
  const [proxy, setProxy] = useState({ on: false, note: '', paperLeft: false });
  // The browsing rule's count after the last tail lookup: warned of before it locks the shift.
  const [tails, setTails] = useState<{ count: number; limit: number } | null>(null);
  const [handovers, setHandovers] = useState(0);
  // Another counter's handover (or undo, or scan-in) on the station server: this screen's figures and cards follow at once.
  const onStationChange = useCallback((change: StationChange) => {
    setHandovers((n) => n + 1);
    if (change.event !== 'handover') return;
    const handed = (c: Card): Card => (c.parcel.id === change.parcelId && !isHanded(c) ? { ...c, parcel: { ...c.parcel, status: 'picked_up' } } : c);
    setStage((s) => (s.kind === 'customer' ? { ...s, cards: s.cards.map(handed) } : s));
  }, []);
  useStationChanges(onStationChange);
  const mode = useRef<Mode>({ kind: 'find' });
  const alarmUp = useRef(false);
  const input = useRef<HTMLInputElement>(null);
  const serial = useSerial();
  const busy = useBusy();
  const [flash, signal] = useFlash();
  const [photoSettings, setPhotoSettings] = useState<PhotoSettings | null>(null);
  const camera = useCounterCamera(photoSettings, active);

  useEffect(() => {
    if (active) input.current?.select();
  }, [active, focusSignal]);

  // The station's photo setting, read again each time the screen shows: a supervisor may have changed it.
  useEffect(() => {
    if (!active) return;
    void invoke('photos.settings.get', {}).then((r) => r.ok && setPhotoSettings(r.value));
  }, [active, invoke]);
  // After a customer is done, an undo, a second factor or a closed dialog, the caret goes back to the lookup
  // field, for the next customer's tail. An effect, so it runs after a closing dialog hands the focus back.
  const [refocus, setRefocus] = useState(0);
  const backToLookup = () => setRefocus((n) => n + 1);
  useEffect(() => {
    if (refocus > 0) input.current?.select();
  }, [refocus]);
  const allDone = stage.kind === 'customer' && stage.cards.every(isHanded);
  useEffect(() => {
    if (allDone) backToLookup();
  }, [allDone]);

  function enter(next: Stage, nextMode: Mode) {
    mode.current = nextMode;
    setStage(next);
  }

  function raise(error: AppErrorData | null) {
    alarmUp.current = error !== null;
    setAlarm(error);
  }

  async function find(query: CounterQuery, asked: Asked) {
    const res = await busy.during(invoke('counter.find', query));
    if (!res.ok) {
      // The last customer's cards beside this refusal would read as its answer; a second factor's customers stay for another try.
      if (mode.current.kind !== 'second') enter({ kind: 'idle' }, { kind: 'find' });
      setProblem({ error: res.error });
      signal('error');
      return;
    }
    setProblem(null);
    const r = res.value;
    if (r.tails) setTails(r.tails);
    if (r.kind === 'customer') {
      // A new customer starts without the previous one's proxy note.
      setProxy({ on: false, note: '', paperLeft: false });
      if (mode.current.kind === 'second') backToLookup();
      enter({ kind: 'customer', asked, cards: r.parcels.map((parcel) => ({ parcel, handoverId: null })) }, { kind: 'handover', customerParcelId: r.parcels[0].id });
      signal('ok');
    } else if (r.kind === 'choose') {
      enter({ kind: 'choose', asked, customers: r.customers, more: r.more }, { kind: 'second', query, asked });
      signal('duplicate');
    } else if (query.second && mode.current.kind === 'second') {
      // The customers stay listed: the proof did not fit any of them.
      setProblem({ local: 'counterProblem.secondNone' });
      signal('error');
    } else {
      enter({ kind: 'none', asked, elsewhere: r.kind === 'none' ? (r.elsewhere ?? []) : [] }, { kind: 'find' });
      signal('error');
    }
    // Matches whose stored row failed its integrity check are not shown; the clerk is told which.
    if (r.tampered?.length) {
      setProblem({ error: { code: 'TAMPERED', message: errorMessages.TAMPERED, detail: r.tampered.map((id) => `#${id}`).join(' ') } });
      signal('error');
    }
  }

  async function handOver(waybill: string, customerParcelId: number) {
    const proxyFields = {
      ...(proxy.on ? { proxy: true, ...(proxy.note.trim() ? { proxyNote: proxy.note.trim() } : {}) } : {}),
      ...(proxy.paperLeft ? { paperLeft: true } : {}),
    };
    // The frame is held at the scan itself, before anything else can move on the counter.
    const shot = camera.wanted(proxy.on) ? camera.take() : null;
    const input = { customerParcelId, waybill, ...proxyFields };
    const res = shot ? await handOverThenPhoto(input, shot) : await invoke('counter.handOver', input);
    if (!res.ok) {
      if (res.error.code === 'HANDOVER_WRONG_PARCEL') {
        beep('error');
        raise(res.error);
        return;
      }
      setProblem({ error: res.error });
      signal(res.error.code === 'PARCEL_NOT_ON_SHELF' ? 'duplicate' : 'error');
      return;
    }
    setProblem(null);
    setTails(null);
    setHandovers((n) => n + 1);
    const { parcel, handoverId } = res.value;
    setStage((s) => {
      if (s.kind !== 'customer') return s;
      const known = s.cards.some((c) => c.parcel.id === parcel.id);
      const cards = known ? s.cards.map((c) => (c.parcel.id === parcel.id ? { parcel, handoverId } : c)) : [...s.cards, { parcel, handoverId }];
      return { ...s, cards };
    });
    signal('ok');
  }

  /**
   * The clerk waits for the handover alone: its photo is encoded once the answer is painted (so the
   * encoding does not share the machine with that paint) and follows on a second call, bound to the
   * handover by the one-time token main answered with; a refused handover's
   * frame is let go unencoded. A photo that fails to arrive is logged in main, and the supervisor's
   * view shows it as not stored.
   */
  async function handOverThenPhoto(input: ChannelInput<'photos.handOver'>, shot: Shot) {
    const res = await invoke('photos.handOver', input);
    const token = res.ok ? res.value.photoToken : null;
    if (!token) shot.drop();
    else requestAnimationFrame(() => setTimeout(() => void shot.encode().then((photo) => photo && invoke('photos.attach', { token, photo }))));
    return res;
  }

  async function onCode(raw: string) {
    if (alarmUp.current) {
      // Not until the red screen has been acknowledged.
      beep('error');
      return;
    }
    const code = classifyCode(raw);
    if (!code) {
      setProblem({ local: 'counterProblem.codeInvalid' });
      signal('error');
      return;
    }
    const m = mode.current;
    if (m.kind === 'second') return find({ ...m.query, second: code }, m.asked);
    // A pickup code is never a waybill: it starts the next customer.
    if (m.kind === 'handover' && code.by === 'waybill') return handOver(code.value, m.customerParcelId);
    return find(code, code);
  }

  useScans(active, (scan) => void serial(() => onCode(scan.code)));

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy.running.current) return;
    const query = classifyQuery(text);
    input.current?.select();
    if (!query) {
      // The old result next to a new error would read as the answer to the new query.
      enter({ kind: 'idle' }, { kind: 'find' });
      setProblem({ local: 'lookup.invalid' });
      return;
    }
    if (query.by === 'phone') setText('');
    void serial(() => find(query, askedOf(query)));
  }

  return (
    <section className="screen" aria-labelledby="lookup-title" hidden={!active}>
      {flash}
      {alarm && (
        <WrongParcelAlarm
          error={alarm}
          onDismiss={() => {
            raise(null);
            setProblem({ error: alarm });
            backToLookup();
          }}
        />
      )}
      <div className="screen-head">
        <h1 id="lookup-title">{t('lookup.title')}</h1>
        <TodayFigures active={active} handovers={handovers} />
      </div>
      {photoSettings && photoSettings.mode !== 'off' && (
        <p className="camera-state" role="status" data-camera={camera.ready ? 'on' : 'off'}>
          {t(camera.ready ? 'pickup.cameraOn' : 'pickup.cameraMissing')}
        </p>
      )}
      <form role="search" className="lookup-form" onSubmit={submit} noValidate>
        <label htmlFor="lookup-input" className="lookup-label">
          {t('lookup.label')}
        </label>
        <div className="lookup-row">
          <input
            id="lookup-input"
            ref={input}
            className="field huge"
            autoComplete="off"
            autoCorrect="off"
            spellCheck={false}
            maxLength={40}
            value={text}
            aria-invalid={problem !== null && 'local' in problem}
            aria-describedby="lookup-hint lookup-problem"
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="button primary big" aria-disabled={busy.shown}>
            {busy.shown ? t('lookup.busy') : t('lookup.submit')}
          </button>
        </div>
        <p id="lookup-hint" className="hint">
          {t('lookup.hint')} {t('pickup.scanHint')}
        </p>
      </form>
      <Problem id="lookup-problem" problem={problem} />
      {tails && tails.limit + 1 - tails.count <= TAILS_WARNING && (
        <p className="tails-warning" aria-live="polite" data-testid="tails-warning">
          {t('lookup.tailsNear', { count: tails.count, left: tails.limit + 1 - tails.count })}
        </p>
      )}
      {stage.kind === 'none' && <NotFound stage={stage} />}
      {stage.kind === 'choose' && <Choose stage={stage} onSecond={(code) => void serial(() => onCode(code))} />}
      {stage.kind === 'customer' && (
        <Customer
          stage={stage}
          proxy={proxy}
          onProxy={setProxy}
          onWaybill={(w) => void serial(() => onCode(w))}
          onUndone={(parcel) => {
            setStage((s) => (s.kind === 'customer' ? { ...s, cards: s.cards.map((c) => (c.parcel.id === parcel.id ? { parcel, handoverId: null } : c)) } : s));
            backToLookup();
          }}
          onDialogClosed={backToLookup}
        />
      )}
    </section>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

function describe(t: T, asked: Asked): string {
  // The phone variant has no placeholder: the number is not repeated on screen.
  return asked.by === 'phone' ? t('lookup.by.phone') : t(`lookup.by.${asked.by}`, { value: asked.value });
}

function Choose({ stage, onSecond }: { stage: Extract<Stage, { kind: 'choose' }>; onSecond: (code: string) => void }) {
  const { t } = useTranslation();
  const [second, setSecond] = useState('');

  function submit(e: FormEvent) {
    e.preventDefault();
    onSecond(second);
    setSecond('');
  }

  return (
    <section className="results" aria-labelledby="choose-title">
      <h2 id="choose-title" className="result-summary" role="status">
        {t('pickup.chooseTitle', { n: stage.customers.length })}
      </h2>
      <p className="lead">{t('pickup.chooseIntro')}</p>
      <ul className="customer-list">
        {stage.customers.map((c, i) => (
          <li key={i} className="customer">
            <span className="masked num customer-phone">{c.phone}</span>
            <span className="customer-count">{t('pickup.customerParcels', { n: c.parcels })}</span>
          </li>
        ))}
      </ul>
      {stage.more && <p className="muted">{t('pickup.more')}</p>}
      <form className="second-form" onSubmit={submit} noValidate>
        <div>
          <Field id="second-input" label={t('pickup.second')} autoFocus autoComplete="off" spellCheck={false} maxLength={40} value={second} onValue={setSecond} />
        </div>
        <button type="submit" className="button primary big">
          {t('pickup.secondSubmit')}
        </button>
      </form>
    </section>
  );
}

interface CustomerProps {
  stage: Extract<Stage, { kind: 'customer' }>;
  proxy: { on: boolean; note: string; paperLeft: boolean };
  onProxy: (p: { on: boolean; note: string; paperLeft: boolean }) => void;
  onWaybill: (waybill: string) => void;
  onUndone: (parcel: CounterParcel) => void;
  onDialogClosed: () => void;
}

function Customer({ stage, proxy, onProxy, onWaybill, onUndone, onDialogClosed }: CustomerProps) {
  const { t } = useTranslation();
  const [manual, setManual] = useState('');
  const [unmasking, setUnmasking] = useState<number | null>(null);
  const left = stage.cards.filter((c) => !isHanded(c)).length;

  function submit(e: FormEvent) {
    e.preventDefault();
    onWaybill(manual);
    setManual('');
  }

  return (
    <div className="results">
      <p className="result-summary" role="status">
        {t('lookup.found', { query: describe(t, stage.asked), n: stage.cards.length })}
      </p>
      <section className="handover-bar" aria-labelledby="handover-title">
        <h2 id="handover-title" className="visually-hidden">
          {t('pickup.handoverTitle')}
        </h2>
        <p className="handover-left" aria-live="polite" data-testid="handover-left">
          {left === 0 ? t('pickup.allDone') : t('pickup.remaining', { n: left })}
        </p>
        <p className="handover-intro">{t('pickup.handoverIntro')}</p>
        <label className="toggle">
          <input type="checkbox" checked={proxy.on} onChange={(e) => onProxy({ ...proxy, on: e.target.checked })} />
          {t('pickup.proxy')}
        </label>
        <label className="toggle">
          <input type="checkbox" checked={proxy.paperLeft} onChange={(e) => onProxy({ ...proxy, paperLeft: e.target.checked })} data-testid="paper-left" />
          {t('pickup.paperLeft')}
        </label>
      </section>
      {proxy.on && (
        <div className="proxy-note">
          <Field
            id="proxy-note"
            label={t('pickup.proxyNote')}
            hint={t('parcel.noteHint')}
            autoFocus
            autoComplete="off"
            maxLength={100}
            value={proxy.note}
            onValue={(note) => onProxy({ ...proxy, note })}
          />
        </div>
      )}
      <ul className="parcel-list">
        {stage.cards.map((card) => (
          <ParcelCard
            key={card.parcel.id}
            card={card}
            onUndone={onUndone}
            unmasking={unmasking === card.parcel.id}
            onUnmask={(on) => {
              setUnmasking(on ? card.parcel.id : null);
              if (!on) onDialogClosed();
            }}
          />
        ))}
      </ul>
      <form className="manual-form" onSubmit={submit} noValidate>
        <div>
          <Field id="handover-input" label={t('pickup.manualLabel')} autoComplete="off" spellCheck={false} maxLength={40} value={manual} onValue={setManual} />
        </div>
        <button type="submit" className="button secondary big">
          {t('pickup.manualSubmit')}
        </button>
      </form>
    </div>
  );
}

interface CardProps {
  card: Card;
  onUndone: (parcel: CounterParcel) => void;
  unmasking: boolean;
  onUnmask: (on: boolean) => void;
}

/**
 * One parcel in a single low row, so four fit on a 768 px screen: where it is, and what tells two customers with
 * the same tail apart at a glance (masked name, carrier, arrival day, the waybill's last digits in bold).
 */
function ParcelCard({ card, onUndone, unmasking, onUnmask }: CardProps) {
  const { parcel: p, handoverId } = card;
  const { t } = useTranslation();
  const handed = isHanded(card);
  const tailAt = Math.max(0, p.waybillNo.length - 4);
  return (
    <li className={`parcel-card compact ${handed ? 'is-handed' : 'is-waiting'}`} data-waybill={p.waybillNo}>
      <PickupCode code={p.pickupCode} quietLabel>
        <ShelfSlot shelf={p.shelf} layer={p.layer} />
      </PickupCode>
      <dl className="compact-facts">
        <div>
          <dt>{t('lookup.name')}</dt>
          <dd className="masked">{p.name}</dd>
        </div>
        <div>
          <dt>{t('lookup.phone')}</dt>
          <dd className="masked num">{p.phone}</dd>
        </div>
        <div>
          <dt>{t('lookup.carrier')}</dt>
          <dd>{t(`carrier.${p.carrier}`)}</dd>
        </div>
        <div>
          <dt>{t('pickup.arrived')}</dt>
          <dd>
            {p.arrivedAt && localDay(new Date(p.arrivedAt)).slice(5)}
            {p.daysOnShelf !== null && <span className="days">{t('parcel.days', { n: p.daysOnShelf })}</span>}
          </dd>
        </div>
        <div className="wide">
          <dt>{t('lookup.waybill')}</dt>
          <dd className="num waybill">
            {p.waybillNo.slice(0, tailAt)}
            <b>{p.waybillNo.slice(tailAt)}</b>
          </dd>
        </div>
      </dl>
      <div className="compact-side">
        <span className={`status ${handed ? 'status-done' : 'status-waiting'}`}>{handed ? t('pickup.handedOver') : t('pickup.waiting')}</span>
        <div className="button-row card-actions">
          {handoverId !== null && <UndoHandover handoverId={handoverId} onUndone={onUndone} />}
          {!unmasking && (
            <button type="button" className="button small" onClick={() => onUnmask(true)}>
              {t('pickup.unmask')}
            </button>
          )}
        </div>
      </div>
      {unmasking && (
        <div className="compact-dialog">
          <UnmaskDialog parcelId={p.id} onClose={() => onUnmask(false)} />
        </div>
      )}
    </li>
  );
}

function UndoHandover({ handoverId, onUndone }: { handoverId: number; onUndone: (parcel: CounterParcel) => void }) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const problemId = `undo-problem-${handoverId}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (reason.trim().length < 2) return setProblem({ local: 'counterProblem.reasonRequired' });
    const res = await invoke('counter.undoHandover', { handoverId, reason: reason.trim() });
    if (!res.ok) return setProblem({ error: res.error });
    onUndone(res.value);
  }

  if (!asking) {
    return (
      <button type="button" className="button small" onClick={() => setAsking(true)}>
        {t('pickup.undo')}
      </button>
    );
  }
  return (
    <form className="undo-form" onSubmit={submit} noValidate>
      <Field
        id={`undo-reason-${handoverId}`}
        label={t('pickup.undoReason')}
        hint={t('parcel.noteHint')}
        autoFocus
        autoComplete="off"
        maxLength={200}
        value={reason}
        onValue={setReason}
        invalid={problem !== null}
        problemId={problemId}
      />
      <Problem id={problemId} problem={problem} />
      <div className="button-row">
        <button type="submit" className="button primary">
          {t('pickup.undoConfirm')}
        </button>
        <button type="button" className="button secondary" onClick={() => setAsking(false)}>
          {t('scanIn.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Nothing on the shelf: and why, when the key matched a parcel still to arrive or already handed over. */
function NotFound({ stage }: { stage: Extract<Stage, { kind: 'none' }> }) {
  const { t } = useTranslation();
  const query = describe(t, stage.asked);
  if (stage.elsewhere.length === 0) {
    return (
      <p className="result-summary" role="status">
        {t('lookup.none', { query })}
      </p>
    );
  }
  return (
    <ul className="result-summary not-on-shelf" role="status">
      {stage.elsewhere.map((p, i) => (
        <li key={i}>
          {p.status === 'expected'
            ? t('lookup.notArrived', { query, carrier: t(`carrier.${p.carrier}`) })
            : t('lookup.handedOver', { query, carrier: t(`carrier.${p.carrier}`), at: p.handedAt ? formatDateTime(p.handedAt) : '—' })}
        </li>
      ))}
    </ul>
  );
}
