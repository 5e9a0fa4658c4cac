// 查询: one field for whatever the customer offers. Results show only the
// masked projection main sends; a typed phone number is cleared at once and
// never echoed back.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LookupQuery } from '../../shared/ipc/contract';
import type { MaskedParcel } from '../../shared/parcel';
import { Problem, type ProblemData } from '../components/Problem';
import { classifyQuery } from '../lookup-query';
import { useInvoke } from '../session';
import type { ScreenProps } from '../Workspace';

export function LookupScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [outcome, setOutcome] = useState<{ query: LookupQuery; parcels: MaskedParcel[] } | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (active) input.current?.select();
  }, [active, focusSignal]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const query = classifyQuery(text);
    if (!query) {
      // The old result next to a new error would read as the answer to the new query.
      setOutcome(null);
      setProblem({ local: 'lookup.invalid' });
      input.current?.select();
      return;
    }
    if (query.by === 'phone') setText('');
    setBusy(true);
    const res = await invoke('parcels.lookup', query);
    setBusy(false);
    // Selected, so the next scan or keystroke replaces the old query.
    input.current?.select();
    if (!res.ok) {
      setOutcome(null);
      setProblem({ error: res.error });
      return;
    }
    setProblem(null);
    setOutcome({ query, parcels: res.value });
  }

  return (
    <section className="screen" aria-labelledby="lookup-title" hidden={!active}>
      <h1 id="lookup-title">{t('lookup.title')}</h1>
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
          <button type="submit" className="button primary big" aria-disabled={busy}>
            {busy ? t('lookup.busy') : t('lookup.submit')}
          </button>
        </div>
        <p id="lookup-hint" className="hint">
          {t('lookup.hint')}
        </p>
      </form>
      <Problem id="lookup-problem" problem={problem} />
      {outcome && <Results query={outcome.query} parcels={outcome.parcels} />}
    </section>
  );
}

function Results({ query, parcels }: { query: LookupQuery; parcels: MaskedParcel[] }) {
  const { t } = useTranslation();
  // The phone variant has no placeholder: the number is not repeated on screen.
  const described = t(`lookup.by.${query.by}`, { value: query.value });
  return (
    <div className="results">
      <p className="result-summary" role="status">
        {parcels.length ? t('lookup.found', { query: described, n: parcels.length }) : t('lookup.none', { query: described })}
      </p>
      <ul className="parcel-list">
        {parcels.map((p) => (
          <ParcelCard key={`${p.carrier}:${p.waybillNo}`} parcel={p} />
        ))}
      </ul>
    </div>
  );
}

function ParcelCard({ parcel: p }: { parcel: MaskedParcel }) {
  const { t } = useTranslation();
  return (
    <li className="parcel-card">
      <div className="code-block">
        <span className="code-label">{t('lookup.pickupCode')}</span>
        {p.pickupCode ? (
          <span className="pickup-code">{p.pickupCode}</span>
        ) : (
          <span className="pickup-code none">{t('lookup.noPickupCode')}</span>
        )}
        <span className={`status status-${p.status}`}>{t(`status.${p.status}`)}</span>
      </div>
      <dl className="parcel-facts">
        <div className="fact">
          <dt>{t('lookup.name')}</dt>
          <dd className="masked">{p.name}</dd>
        </div>
        <div className="fact">
          <dt>{t('lookup.phone')}</dt>
          <dd className="masked num">{p.phone}</dd>
        </div>
        <div className="fact wide">
          <dt>{t('lookup.address')}</dt>
          <dd className="masked">{p.address}</dd>
        </div>
        <div className="fact">
          <dt>{t('lookup.item')}</dt>
          <dd>{t(`item.${p.item}`)}</dd>
        </div>
        <div className="fact">
          <dt>{t('lookup.carrier')}</dt>
          <dd>{t(`carrier.${p.carrier}`)}</dd>
        </div>
        <div className="fact wide">
          <dt>{t('lookup.waybill')}</dt>
          <dd className="num">{p.waybillNo}</dd>
        </div>
      </dl>
    </li>
  );
}
