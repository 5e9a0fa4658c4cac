// 事件登记: the open incidents (from lifecycle.status) or all of them (with a
// code), recording a new one, and for the chosen one: its steps, the parcels
// it touched (by date range, masked), closing it and its PDF report.
import { useState } from 'react';
import { useLcT } from '../../lifecycle-t';
import {
  INCIDENT_STEP_KINDS,
  INCIDENT_TYPES,
  NOTIFIED_PARTIES,
  type AffectedParcels,
  type Incident,
  type IncidentStepKind,
  type IncidentSummary,
  type IncidentType,
  type LifecycleStatus,
  type NotifiedParty,
} from '../../../shared/ipc/lifecycle';
import { Problem, type ProblemData } from '../../components/Problem';
import { formatDateTime, localDay } from '../../dates';
import { saveFile } from '../../download';
import { refreshLifecycle } from '../../lifecycle-status';
import { useInvoke } from '../../session';
import { lcError, useStepUp, type StepUp } from './step-up';

/** "2026-11-25T09:00" from a datetime-local field → an ISO instant; null when empty or malformed. */
const instantOf = (v: string): string | null => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};
const pad = (n: number) => String(n).padStart(2, '0');
const localMinute = (d = new Date()) => `${localDay(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

export function IncidentsView({ status }: { status: LifecycleStatus | null }) {
  const t = useLcT();
  const invoke = useInvoke();
  const stepUp = useStepUp();
  const [all, setAll] = useState<IncidentSummary[] | null>(null);
  const [chosen, setChosen] = useState<Incident | IncidentSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = all ?? status?.openIncidents ?? [];

  function loadAll() {
    stepUp.ask('list', t('incident.load'), async (totp) => {
      const res = await invoke('lifecycle.incident.list', { openOnly: false, totp });
      if (!res.ok) return res.error;
      setAll(res.value);
      return null;
    });
  }

  function changed(incident: Incident, message?: string) {
    setChosen(incident);
    setAll((prev) => prev && prev.map((i) => (i.id === incident.id ? incident : i)));
    if (message) setNotice(message);
    refreshLifecycle();
  }

  return (
    <>
      <p role="status" className="ok-note">
        {notice}
      </p>
      <section className="lc-section" aria-labelledby="incident-list-title">
        <h2 id="incident-list-title">{t('incident.list')}</h2>
        <div className="button-row">
          <button type="button" className="button secondary" onClick={loadAll}>
            {t('incident.load')}
          </button>
        </div>
        {stepUp.slot('list')}
        {list.length === 0 ? (
          <p className="empty-note">{t('incident.none')}</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th>{t('incident.reference')}</th>
                <th>{t('incident.type')}</th>
                <th>{t('incident.discoveredAt')}</th>
                <th>{t('incident.affected')}</th>
                <th>{t('incident.state')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((i) => (
                <tr key={i.id} aria-current={chosen?.id === i.id ? 'true' : undefined}>
                  <td className="num">{i.reference}</td>
                  <td>{t(`incidentType.${i.type}`)}</td>
                  <td className="num">{formatDateTime(i.discoveredAt)}</td>
                  <td className="num">{i.affected}</td>
                  <td>{i.closedAt ? t('incident.closed', { at: formatDateTime(i.closedAt) }) : t('incident.open')}</td>
                  <td>
                    <button type="button" className="button small" onClick={() => setChosen(i)}>
                      {t('incident.select')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {chosen && <IncidentDetail key={chosen.id} incident={chosen} stepUp={stepUp} onChanged={changed} onNotice={setNotice} />}
      <CreateIncident
        stepUp={stepUp}
        onCreated={(incident) => {
          setAll((prev) => prev && [incident, ...prev]);
          changed(incident, t('incident.created', { reference: incident.reference }));
        }}
      />
    </>
  );
}

function CreateIncident({ stepUp, onCreated }: { stepUp: StepUp; onCreated: (i: Incident) => void }) {
  const t = useLcT();
  const invoke = useInvoke();
  const [type, setType] = useState<IncidentType>('internal');
  const [discovered, setDiscovered] = useState(() => localMinute());
  const [reporter, setReporter] = useState('');
  const [description, setDescription] = useState('');
  const [problem, setProblem] = useState<ProblemData | null>(null);

  function submit() {
    const discoveredAt = instantOf(discovered);
    if (!discoveredAt) return setProblem({ error: lcError((m) => m.incident.timeRequired) });
    if (reporter.trim().length < 2 || description.trim().length < 2) return setProblem({ error: lcError((m) => m.incident.textRequired) });
    setProblem(null);
    stepUp.ask('create', t('incident.createAction', { type: t(`incidentType.${type}`) }), async (totp) => {
      const res = await invoke('lifecycle.incident.create', { type, discoveredAt, reporter: reporter.trim(), description: description.trim(), totp });
      if (!res.ok) return res.error;
      setReporter('');
      setDescription('');
      onCreated(res.value);
      return null;
    });
  }

  return (
    <section className="lc-section" aria-labelledby="incident-create-title">
      <h2 id="incident-create-title">{t('incident.create')}</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="lc-grid">
          <div>
            <label htmlFor="incident-type">{t('incident.type')}</label>
            <select id="incident-type" className="field" value={type} onChange={(e) => setType(e.target.value as IncidentType)}>
              {INCIDENT_TYPES.map((k) => (
                <option key={k} value={k}>
                  {t(`incidentType.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="incident-discovered">{t('incident.discoveredAt')}</label>
            <input id="incident-discovered" type="datetime-local" className="field" value={discovered} onChange={(e) => setDiscovered(e.target.value)} />
          </div>
          <div>
            <label htmlFor="incident-reporter">{t('incident.reporter')}</label>
            <input id="incident-reporter" className="field" maxLength={100} value={reporter} onChange={(e) => setReporter(e.target.value)} />
          </div>
        </div>
        <label htmlFor="incident-description">{t('incident.description')}</label>
        <textarea id="incident-description" className="field" rows={3} maxLength={4000} value={description} onChange={(e) => setDescription(e.target.value)} />
        <Problem id="incident-create-problem" problem={problem} />
        <div className="button-row">
          <button type="submit" className="button primary big">
            {t('incident.create')}
          </button>
        </div>
      </form>
      {stepUp.slot('create')}
    </section>
  );
}

interface DetailProps {
  incident: Incident | IncidentSummary;
  stepUp: StepUp;
  onChanged: (i: Incident, message?: string) => void;
  onNotice: (s: string) => void;
}

function IncidentDetail({ incident, stepUp, onChanged, onNotice }: DetailProps) {
  const t = useLcT();
  const invoke = useInvoke();
  const full = 'steps' in incident ? incident : null;
  const [kind, setKind] = useState<IncidentStepKind>('assessed');
  const [at, setAt] = useState('');
  const [notificationRequired, setNotificationRequired] = useState(true);
  const [whom, setWhom] = useState<NotifiedParty>('authority');
  const [note, setNote] = useState('');
  const [period, setPeriod] = useState({ from: localDay(), to: localDay() });
  const [affected, setAffected] = useState<AffectedParcels | null>(null);
  const [rootCause, setRootCause] = useState('');
  const [remediation, setRemediation] = useState('');
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const ref = incident.reference;

  function addStep() {
    const when = at ? instantOf(at) : undefined;
    if (when === null) return setProblem({ error: lcError((m) => m.incident.timeRequired) });
    if (note.trim() && note.trim().length < 2) return setProblem({ error: lcError((m) => m.incident.textRequired) });
    setProblem(null);
    stepUp.ask('step', t('incident.stepAction', { kind: t(`stepKind.${kind}`), reference: ref }), async (totp) => {
      const res = await invoke('lifecycle.incident.step', {
        incidentId: incident.id,
        kind,
        ...(when ? { at: when } : {}),
        ...(kind === 'assessed' ? { notificationRequired } : {}),
        ...(kind === 'notified' ? { whom } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
        totp,
      });
      if (!res.ok) return res.error;
      setNote('');
      setAt('');
      onChanged(res.value, t('lifecycle.done'));
      return null;
    });
  }

  function addAffected() {
    if (!period.from || !period.to || period.from > period.to) return setProblem({ error: lcError((m) => m.incident.timeRequired) });
    setProblem(null);
    stepUp.ask('affected', t('incident.affectedAction', { ...period, reference: ref }), async (totp) => {
      const res = await invoke('lifecycle.incident.affected', { incidentId: incident.id, select: { by: 'dates', ...period }, totp });
      if (!res.ok) return res.error;
      setAffected(res.value);
      onChanged(res.value.incident);
      return null;
    });
  }

  function close() {
    if (rootCause.trim().length < 2 || remediation.trim().length < 2) return setProblem({ error: lcError((m) => m.incident.textRequired) });
    setProblem(null);
    stepUp.ask('close', t('incident.closeAction', { reference: ref }), async (totp) => {
      const res = await invoke('lifecycle.incident.close', { incidentId: incident.id, rootCause: rootCause.trim(), remediation: remediation.trim(), totp });
      if (!res.ok) return res.error;
      onChanged(res.value, t('lifecycle.done'));
      return null;
    });
  }

  function exportPdf() {
    stepUp.ask('export', t('incident.exportAction', { reference: ref }), async (totp) => {
      const res = await invoke('lifecycle.incident.export', { incidentId: incident.id, totp });
      if (!res.ok) return res.error;
      saveFile(res.value.fileName, res.value.bytes, 'application/pdf');
      onNotice(t('incident.exported', { fileName: res.value.fileName }));
      return null;
    });
  }

  return (
    <section className="lc-section" aria-labelledby="incident-detail-title">
      <h2 id="incident-detail-title">{t('incident.selected', { reference: ref })}</h2>
      <p>
        {t(`incidentType.${incident.type}`)} · {t('incident.discoveredAt')} <span className="num">{formatDateTime(incident.discoveredAt)}</span> ·{' '}
        {t('incident.affected')} <span className="num">{incident.affected}</span>
      </p>
      {full && <p className="muted">{full.description}</p>}
      <div className="button-row">
        <button type="button" className="button secondary" onClick={exportPdf}>
          {t('incident.exportPdf')}
        </button>
      </div>
      {stepUp.slot('export')}
      <Problem id="incident-problem" problem={problem} />

      {full && (
        <>
          <h3>{t('incident.steps')}</h3>
          {full.steps.length === 0 ? (
            <p className="muted">{t('incident.noSteps')}</p>
          ) : (
            <ul>
              {full.steps.map((s) => (
                <li key={s.id}>
                  <span className="num">{formatDateTime(s.at)}</span> {t(`stepKind.${s.kind}`)}
                  {s.whom && ` — ${t(`party.${s.whom}`)}`}
                  {s.note && ` — ${s.note}`} ({s.recordedBy})
                </li>
              ))}
            </ul>
          )}
        </>
      )}

      {!incident.closedAt && (
        <>
          <h3>{t('incident.addStep')}</h3>
          <div className="lc-grid">
            <div>
              <label htmlFor="step-kind">{t('incident.stepKind')}</label>
              <select id="step-kind" className="field" value={kind} onChange={(e) => setKind(e.target.value as IncidentStepKind)}>
                {INCIDENT_STEP_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`stepKind.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="step-at">{t('incident.stepAt')}</label>
              <input id="step-at" type="datetime-local" className="field" value={at} onChange={(e) => setAt(e.target.value)} />
            </div>
            {kind === 'notified' && (
              <div>
                <label htmlFor="step-whom">{t('incident.whom')}</label>
                <select id="step-whom" className="field" value={whom} onChange={(e) => setWhom(e.target.value as NotifiedParty)}>
                  {NOTIFIED_PARTIES.map((p) => (
                    <option key={p} value={p}>
                      {t(`party.${p}`)}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </div>
          {kind === 'assessed' && (
            <label className="lc-check">
              <input type="checkbox" checked={notificationRequired} onChange={(e) => setNotificationRequired(e.target.checked)} />
              {t('incident.notificationRequired')}
            </label>
          )}
          <label htmlFor="step-note">{t('incident.note')}</label>
          <input id="step-note" className="field" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          <div className="button-row">
            <button type="button" className="button primary" onClick={addStep}>
              {t('incident.addStep')}
            </button>
          </div>
          {stepUp.slot('step')}

          <h3>{t('incident.affectedTitle')}</h3>
          <div className="lc-grid">
            {(['from', 'to'] as const).map((k) => (
              <div key={k}>
                <label htmlFor={`affected-${k}`}>{t(`period.${k}`)}</label>
                <input id={`affected-${k}`} type="date" className="field" value={period[k]} onChange={(e) => setPeriod({ ...period, [k]: e.target.value })} />
              </div>
            ))}
          </div>
          <div className="button-row">
            <button type="button" className="button primary" onClick={addAffected}>
              {t('incident.affectedTitle')}
            </button>
          </div>
          {stepUp.slot('affected')}
        </>
      )}
      {affected && <AffectedList affected={affected} />}
      {full && (
        <p className="muted">
          {t('incident.byStatus')}：
          {Object.entries(full.affectedByStatus)
            .map(([s, n]) => `${t(`status.${s as keyof typeof full.affectedByStatus}`)} ${n}`)
            .join(' · ')}
        </p>
      )}

      {!incident.closedAt && (
        <>
          <h3>{t('incident.closeTitle')}</h3>
          <label htmlFor="close-root">{t('incident.rootCause')}</label>
          <textarea id="close-root" className="field" rows={2} maxLength={2000} value={rootCause} onChange={(e) => setRootCause(e.target.value)} />
          <label htmlFor="close-remediation">{t('incident.remediation')}</label>
          <textarea id="close-remediation" className="field" rows={2} maxLength={2000} value={remediation} onChange={(e) => setRemediation(e.target.value)} />
          <div className="button-row">
            <button type="button" className="button secondary" onClick={close}>
              {t('incident.closeTitle')}
            </button>
          </div>
          {stepUp.slot('close')}
        </>
      )}
    </section>
  );
}

function AffectedList({ affected }: { affected: AffectedParcels }) {
  const t = useLcT();
  return (
    <>
      <p className="lc-result" role="status">
        {t('incident.affectedAdded', { added: affected.added, total: affected.incident.affected })}
        {affected.more && ` ${t('incident.affectedMore')}`}
      </p>
      {affected.parcels.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('incident.waybill')}</th>
              <th>{t('incident.recipient')}</th>
              <th>{t('incident.phone')}</th>
              <th>{t('incident.parcelStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {affected.parcels.map((p) => (
              <tr key={p.id}>
                <td className="num">{p.waybillNo}</td>
                <td>{p.name}</td>
                <td className="num">{p.phone}</td>
                <td>{t(`status.${p.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
