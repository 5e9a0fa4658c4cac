// 事件登记: the open incidents (from lifecycle.status) or all of them (with a
// code), recording a new one, and the chosen one read in full (with a code):
// its deadlines, steps, changes to its type, time or description, the parcels
// it touched (by dates, shelf or a counter search, shown masked), closing it
// and its PDF report.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  INCIDENT_STEP_KINDS,
  INCIDENT_TYPES,
  NOTIFIED_PARTIES,
  type AffectedParcels,
  type AffectedSelection,
  type Deadline,
  type Incident,
  type IncidentStepKind,
  type IncidentSummary,
  type IncidentType,
  type LifecycleStatus,
  type NotifiedParty,
} from '../../../shared/ipc/lifecycle';
import { DataTable } from '../../components/DataTable';
import { Countdown, useElapsed } from '../../components/LifecycleBanner';
import { Field, RadioChoice, SelectField, TextAreaField } from '../../components/Field';
import type { ProblemData } from '../../components/Problem';
import { formatDateTime, localDay } from '../../platform/dates';
import { saveFile } from '../../platform/download';
import { useFormProblem } from '../../forms/form-problem';
import { useLcT } from '../../i18n/lifecycle-t';
import { refreshLifecycle } from '../../state/lifecycle-status';
import { classifyQuery } from '../../forms/lookup-query';
import { useInvoke } from '../../app/session';
import { wholeIn } from '../../forms/validate';
import { ActionForm } from './ActionForm';
import { LcSection } from './LcSection';
import { lcError, useStepUp, type StepUp } from './step-up';

/** "2026-11-25T09:00" from a datetime-local field → an ISO instant; null when empty or malformed. */
const instantOf = (v: string): string | null => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};
const pad = (n: number) => String(n).padStart(2, '0');
const localMinute = (d = new Date()) => `${localDay(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
const textRequired = () => ({ error: lcError((m) => m.incident.textRequired) });
const timeRequired = () => ({ error: lcError((m) => m.incident.timeRequired) });

export function IncidentsView({ status }: { status: LifecycleStatus | null }) {
  const t = useLcT();
  const invoke = useInvoke();
  const stepUp = useStepUp();
  const [all, setAll] = useState<IncidentSummary[] | null>(null);
  const [chosen, setChosen] = useState<Incident | null>(null);
  // performance.now() when `chosen` was read: its countdowns tick down from there.
  const [chosenAt, setChosenAt] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const list = all ?? status?.openIncidents ?? [];

  function loadAll() {
    stepUp.ask('list', t('incident.load'), (totp) => invoke('lifecycle.incident.list', { openOnly: false, totp }), setAll);
  }

  function choose(incident: Incident) {
    setChosen(incident);
    setChosenAt(performance.now());
  }

  // The list holds summaries; the description and steps are read (with a code) when one is chosen.
  function open(i: IncidentSummary) {
    stepUp.ask('open', t('incident.openAction', { reference: i.reference }), (totp) => invoke('lifecycle.incident.get', { incidentId: i.id, totp }), choose);
  }

  function changed(incident: Incident, message?: string) {
    choose(incident);
    setAll((prev) => prev && prev.map((i) => (i.id === incident.id ? incident : i)));
    if (message) setNotice(message);
    refreshLifecycle();
  }

  return (
    <>
      <p role="status" className="ok-note">
        {notice}
      </p>
      <LcSection id="incident-list-title" title={t('incident.list')}>
        <div className="button-row">
          <button type="button" className="button secondary" onClick={loadAll}>
            {t('incident.load')}
          </button>
        </div>
        {stepUp.slot('list')}
        {list.length === 0 ? (
          <p className="empty-note">{t('incident.none')}</p>
        ) : (
          <DataTable
            id="incident-list"
            caption={t('incident.listCaption')}
            columns={[t('incident.reference'), t('incident.type'), t('incident.discoveredAt'), t('incident.affected'), t('incident.state'), '']}
          >
            {list.map((i) => (
              <tr key={i.id} aria-current={chosen?.id === i.id ? 'true' : undefined}>
                <th scope="row" className="num" id={`incident-${i.id}-ref`}>
                  {i.reference}
                </th>
                <td>{t(`incidentType.${i.type}`)}</td>
                <td className="num">{formatDateTime(i.discoveredAt)}</td>
                <td className="num">{i.affected}</td>
                <td>{i.closedAt ? t('incident.closed', { at: formatDateTime(i.closedAt) }) : t('incident.open')}</td>
                <td>
                  <button type="button" className="button small" aria-describedby={`incident-${i.id}-ref`} onClick={() => open(i)}>
                    {t('incident.select')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {stepUp.slot('open')}
      </LcSection>
      {chosen && <IncidentDetail key={chosen.id} incident={chosen} readAt={chosenAt} stepUp={stepUp} onChanged={changed} onNotice={setNotice} />}
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

type IncidentField = 'discovered' | 'reporter' | 'description';
type IncidentForm = ReturnType<typeof useFormProblem<IncidentField>>;

/**
 * The checks both incident forms make, in the order their fields are shown: a
 * time of discovery, the reporter (when the form has one), a description of at
 * least 2 characters. Gives the instant discovered, or fails the form at the
 * first field that is wrong and gives null.
 */
function checkIncident(form: IncidentForm, v: { discovered: string; reporter?: string; description: string }): string | null {
  const discoveredAt = instantOf(v.discovered);
  if (!discoveredAt) form.fail(timeRequired(), 'discovered');
  else if (v.reporter !== undefined && v.reporter.trim().length < 2) form.fail(textRequired(), 'reporter');
  else if (v.description.trim().length < 2) form.fail(textRequired(), 'description');
  else return discoveredAt;
  return null;
}

interface IncidentFieldsProps {
  /** "incident" (recording one) or "edit": the fields' ids are `${idPrefix}-type` and so on. */
  idPrefix: string;
  form: IncidentForm;
  type: IncidentType;
  onType: (v: IncidentType) => void;
  discovered: string;
  onDiscovered: (v: string) => void;
  description: string;
  onDescription: (v: string) => void;
  /** More fields for the grid, after the time of discovery. */
  children?: ReactNode;
}

/** Type, time of discovery and description: the fields recording an incident and changing it share. */
function IncidentFields({ idPrefix, form, type, onType, discovered, onDiscovered, description, onDescription, children }: IncidentFieldsProps) {
  const t = useLcT();
  return (
    <>
      <div className="lc-grid">
        <div>
          <SelectField id={`${idPrefix}-type`} label={t('incident.type')} value={type} onValue={onType} options={INCIDENT_TYPES} text={(k) => t(`incidentType.${k}`)} />
        </div>
        <div>
          <Field id={`${idPrefix}-discovered`} type="datetime-local" label={t('incident.discoveredAt')} value={discovered} onValue={onDiscovered} {...form.field('discovered')} />
        </div>
        {children}
      </div>
      <TextAreaField id={`${idPrefix}-description`} label={t('incident.description')} rows={3} maxLength={4000} value={description} onValue={onDescription} {...form.field('description')} />
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
  const form = useFormProblem<IncidentField>('incident-create-problem');

  function submit() {
    const discoveredAt = checkIncident(form, { discovered, reporter, description });
    if (!discoveredAt) return;
    form.clear();
    stepUp.ask(
      'create',
      t('incident.createAction', { type: t(`incidentType.${type}`) }),
      (totp) => invoke('lifecycle.incident.create', { type, discoveredAt, reporter: reporter.trim(), description: description.trim(), totp }),
      (value) => {
        setReporter('');
        setDescription('');
        onCreated(value);
      },
    );
  }

  return (
    <LcSection id="incident-create-title" title={t('incident.create')}>
      <ActionForm form={form} label={t('incident.create')} big onSubmit={submit} slot={stepUp.slot('create')}>
        <IncidentFields
          idPrefix="incident"
          form={form}
          type={type}
          onType={setType}
          discovered={discovered}
          onDiscovered={setDiscovered}
          description={description}
          onDescription={setDescription}
        >
          <div>
            <Field id="incident-reporter" label={t('incident.reporter')} maxLength={100} value={reporter} onValue={setReporter} {...form.field('reporter')} />
          </div>
        </IncidentFields>
      </ActionForm>
    </LcSection>
  );
}

interface DetailProps {
  incident: Incident;
  /** performance.now() when `incident` was read. */
  readAt: number;
  stepUp: StepUp;
  onChanged: (i: Incident, message?: string) => void;
  onNotice: (s: string) => void;
}

function IncidentDetail({ incident, readAt, stepUp, onChanged, onNotice }: DetailProps) {
  const t = useLcT();
  const invoke = useInvoke();
  const elapsed = useElapsed(readAt);
  const heading = useRef<HTMLHeadingElement>(null);
  const [affected, setAffected] = useState<AffectedParcels | null>(null);
  const ref = incident.reference;

  // Chosen from the list (or just recorded): the keyboard continues here.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  function exportPdf() {
    stepUp.ask(
      'export',
      t('incident.exportAction', { reference: ref }),
      (totp) => invoke('lifecycle.incident.export', { incidentId: incident.id, totp }),
      (value) => {
        saveFile(value.fileName, value.bytes, 'application/pdf');
        onNotice(t('incident.exported', { fileName: value.fileName }));
      },
    );
  }

  const forms = { incident, stepUp, onChanged };
  return (
    <section className="lc-section" aria-labelledby="incident-detail-title" data-testid="incident-detail">
      <h2 id="incident-detail-title" ref={heading} tabIndex={-1}>
        {t('incident.selected', { reference: ref })}
      </h2>
      <p>
        {t(`incidentType.${incident.type}`)} · {t('incident.discoveredAt')} <span className="num">{formatDateTime(incident.discoveredAt)}</span> ·{' '}
        {t('incident.affected')} <span className="num">{incident.affected}</span> ·{' '}
        {incident.closedAt ? t('incident.closed', { at: formatDateTime(incident.closedAt) }) : t('incident.open')}
      </p>
      <p data-testid="incident-deadlines">
        <DeadlineState label={t('lcBanner.assessment')} deadline={incident.assessment} elapsed={elapsed} /> ·{' '}
        <DeadlineState label={t('lcBanner.notification')} deadline={incident.notification} elapsed={elapsed} />
      </p>
      <p className="muted">{t('incident.reporterIs', { reporter: incident.reporter })}</p>
      <p data-testid="incident-description">{incident.description}</p>
      <div className="button-row">
        <button type="button" className="button secondary" onClick={exportPdf}>
          {t('incident.exportPdf')}
        </button>
      </div>
      {stepUp.slot('export')}

      <h3>{t('incident.steps')}</h3>
      {incident.steps.length === 0 ? (
        <p className="muted">{t('incident.noSteps')}</p>
      ) : (
        <ul data-testid="incident-steps">
          {incident.steps.map((s) => (
            <li key={s.id}>
              <span className="num">{formatDateTime(s.at)}</span> {t(`stepKind.${s.kind}`)}
              {s.notificationRequired !== null && ` — ${s.notificationRequired ? t('incident.notificationRequired') : t('incident.deadline.not_required')}`}
              {s.whom && ` — ${t(`party.${s.whom}`)}`}
              {s.note && ` — ${s.note}`} ({s.recordedBy})
            </li>
          ))}
        </ul>
      )}

      {incident.closedAt ? (
        <dl>
          <dt>{t('incident.rootCause')}</dt>
          <dd>{incident.rootCause}</dd>
          <dt>{t('incident.remediation')}</dt>
          <dd>{incident.remediation}</dd>
        </dl>
      ) : (
        <>
          <EditIncident {...forms} />
          <AddStep {...forms} />
          <AddAffected {...forms} onAffected={setAffected} />
        </>
      )}
      {affected && <AffectedList affected={affected} />}
      <p className="muted">
        {t('incident.byStatus')}：
        {Object.entries(incident.affectedByStatus)
          .map(([s, n]) => `${t(`status.${s as keyof typeof incident.affectedByStatus}`)} ${n}`)
          .join(' · ')}
      </p>
      {!incident.closedAt && <CloseIncident {...forms} />}
    </section>
  );
}

/** A pending or overdue deadline counts down as the banner's does; one met or not required says so. */
function DeadlineState({ label, deadline: d, elapsed }: { label: string; deadline: Deadline; elapsed: number }) {
  const t = useLcT();
  if (d.state === 'pending' || d.state === 'overdue') return <Countdown label={label} deadline={d} elapsed={elapsed} />;
  const words = d.state === 'met' ? t('incident.deadline.met', { at: formatDateTime(d.metAt ?? d.dueAt) }) : t('incident.deadline.not_required');
  return (
    <span className="lc-countdown">
      {label}：<span className="num">{words}</span>
    </span>
  );
}

interface FormProps {
  incident: Incident;
  stepUp: StepUp;
  onChanged: (i: Incident, message?: string) => void;
}

/** Type, time of discovery and description, as they are found to be; only what changed is sent. */
function EditIncident({ incident, stepUp, onChanged }: FormProps) {
  const t = useLcT();
  const invoke = useInvoke();
  const shownAt = localMinute(new Date(incident.discoveredAt));
  const [type, setType] = useState(incident.type);
  const [discovered, setDiscovered] = useState(shownAt);
  const [description, setDescription] = useState(incident.description);
  // No reporter here: the shared checks never name that field.
  const form = useFormProblem<IncidentField>('incident-edit-problem');

  function save() {
    const discoveredAt = checkIncident(form, { discovered, description });
    if (!discoveredAt) return;
    const patch = {
      ...(type !== incident.type ? { type } : {}),
      ...(discovered !== shownAt ? { discoveredAt } : {}),
      ...(description.trim() !== incident.description ? { description: description.trim() } : {}),
    };
    if (Object.keys(patch).length === 0) return form.fail({ error: lcError((m) => m.incident.nothingChanged) });
    form.clear();
    stepUp.ask(
      'edit',
      t('incident.editAction', { reference: incident.reference }),
      (totp) => invoke('lifecycle.incident.update', { incidentId: incident.id, ...patch, totp }),
      (value) => onChanged(value, t('incident.saved')),
    );
  }

  return (
    <>
      <h3>{t('incident.edit')}</h3>
      <ActionForm form={form} label={t('incident.save')} onSubmit={save} slot={stepUp.slot('edit')}>
        <IncidentFields
          idPrefix="edit"
          form={form}
          type={type}
          onType={setType}
          discovered={discovered}
          onDiscovered={setDiscovered}
          description={description}
          onDescription={setDescription}
        />
      </ActionForm>
    </>
  );
}

/** What was done and when: assessed (notify or not), access restricted or restored, evidence kept, who was notified. */
function AddStep({ incident, stepUp, onChanged }: FormProps) {
  const t = useLcT();
  const invoke = useInvoke();
  const [kind, setKind] = useState<IncidentStepKind>('assessed');
  const [at, setAt] = useState('');
  const [notificationRequired, setNotificationRequired] = useState(true);
  const [whom, setWhom] = useState<NotifiedParty>('authority');
  const [note, setNote] = useState('');
  const form = useFormProblem<'at' | 'note'>('incident-step-problem');

  function submit() {
    const when = at ? instantOf(at) : undefined;
    if (when === null) return form.fail(timeRequired(), 'at');
    if (note.trim() && note.trim().length < 2) return form.fail(textRequired(), 'note');
    form.clear();
    stepUp.ask(
      'step',
      t('incident.stepAction', { kind: t(`stepKind.${kind}`), reference: incident.reference }),
      (totp) => invoke('lifecycle.incident.step', {
        incidentId: incident.id,
        kind,
        ...(when ? { at: when } : {}),
        ...(kind === 'assessed' ? { notificationRequired } : {}),
        ...(kind === 'notified' ? { whom } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
        totp,
      }),
      (value) => {
        setNote('');
        setAt('');
        onChanged(value, t('lifecycle.done'));
      },
    );
  }

  return (
    <>
      <h3>{t('incident.addStep')}</h3>
      <ActionForm form={form} label={t('incident.addStep')} onSubmit={submit} slot={stepUp.slot('step')}>
        <div className="lc-grid">
          <div>
            <SelectField id="step-kind" label={t('incident.stepKind')} value={kind} onValue={setKind} options={INCIDENT_STEP_KINDS} text={(k) => t(`stepKind.${k}`)} />
          </div>
          <div>
            <Field id="step-at" type="datetime-local" label={t('incident.stepAt')} value={at} onValue={setAt} {...form.field('at')} />
          </div>
          {kind === 'notified' && (
            <div>
              <SelectField id="step-whom" label={t('incident.whom')} value={whom} onValue={setWhom} options={NOTIFIED_PARTIES} text={(p) => t(`party.${p}`)} />
            </div>
          )}
        </div>
        {kind === 'assessed' && (
          <label className="lc-check">
            <input type="checkbox" checked={notificationRequired} onChange={(e) => setNotificationRequired(e.target.checked)} />
            {t('incident.notificationRequired')}
          </label>
        )}
        <Field id="step-note" label={t('incident.note')} maxLength={2000} value={note} onValue={setNote} {...form.field('note')} />
      </ActionForm>
    </>
  );
}

const AFFECTED_BY = ['dates', 'shelf', 'search'] as const;
type AffectedBy = (typeof AFFECTED_BY)[number];
const BY_KEY = { dates: 'byDates', shelf: 'byShelf', search: 'bySearch' } as const;

/** The parcels the incident touched: those of some days, those on a shelf (or one layer of it), or those a counter search finds. */
function AddAffected({ incident, stepUp, onChanged, onAffected }: FormProps & { onAffected: (a: AffectedParcels) => void }) {
  const t = useLcT();
  const invoke = useInvoke();
  const [by, setBy] = useState<AffectedBy>('dates');
  const [period, setPeriod] = useState({ from: localDay(), to: localDay() });
  const [shelf, setShelf] = useState('');
  const [layer, setLayer] = useState('');
  const [query, setQuery] = useState('');
  const form = useFormProblem<'from' | 'shelf' | 'layer' | 'query'>('incident-affected-problem');

  function selection(): { select: AffectedSelection; what: string } | null {
    const fail = (problem: ProblemData, field: 'from' | 'shelf' | 'layer' | 'query') => {
      form.fail(problem, field);
      return null;
    };
    switch (by) {
      case 'dates':
        if (!period.from || !period.to || period.from > period.to) return fail(timeRequired(), 'from');
        return { select: { by: 'dates', ...period }, what: t('incident.datesWhat', period) };
      case 'shelf': {
        const s = wholeIn(shelf, 1, 999);
        const l = layer.trim() ? wholeIn(layer, 1, 99) : undefined;
        if (s === null || l === null) return fail({ error: lcError((m) => m.incident.shelfInvalid) }, s === null ? 'shelf' : 'layer');
        return l === undefined
          ? { select: { by: 'shelf', shelf: s }, what: t('incident.shelfWhat', { shelf: s }) }
          : { select: { by: 'shelf', shelf: s, layer: l }, what: t('incident.shelfLayerWhat', { shelf: s, layer: l }) };
      }
      case 'search': {
        const q = classifyQuery(query);
        if (!q) return fail({ error: lcError((m) => m.incident.queryInvalid) }, 'query');
        // A phone number or tail leaves the field as it is sent, and the dialog names only its kind.
        setQuery('');
        return { select: { by: 'search', query: q }, what: t('incident.searchWhat', { kind: t(`incident.queryKind.${q.by}`) }) };
      }
    }
  }

  function submit() {
    const chosen = selection();
    if (!chosen) return;
    form.clear();
    stepUp.ask(
      'affected',
      t('incident.affectedAction', { what: chosen.what, reference: incident.reference }),
      (totp) => invoke('lifecycle.incident.affected', { incidentId: incident.id, select: chosen.select, totp }),
      (value) => {
        onAffected(value);
        onChanged(value.incident);
      },
    );
  }

  return (
    <>
      <h3>{t('incident.affectedTitle')}</h3>
      <ActionForm form={form} label={t('incident.addAffected')} onSubmit={submit} slot={stepUp.slot('affected')}>
        <RadioChoice
          className="choice-row"
          name="affected-by"
          legend={t('incident.affectedBy')}
          value={by}
          onValue={(b) => {
            setBy(b);
            form.clear();
          }}
          options={AFFECTED_BY}
          text={(b) => t(`incident.${BY_KEY[b]}`)}
        />
        <div className="lc-grid">
          {by === 'dates' &&
            (['from', 'to'] as const).map((k) => (
              <div key={k}>
                <Field
                  id={`affected-${k}`}
                  type="date"
                  label={t(`period.${k}`)}
                  value={period[k]}
                  onValue={(v) => setPeriod({ ...period, [k]: v })}
                  {...(k === 'from' ? form.field('from') : {})}
                />
              </div>
            ))}
          {by === 'shelf' && (
            <>
              <div>
                <Field id="affected-shelf" label={t('incident.shelf')} inputMode="numeric" maxLength={3} value={shelf} onValue={setShelf} {...form.field('shelf')} />
              </div>
              <div>
                <Field id="affected-layer" label={t('incident.layer')} inputMode="numeric" maxLength={2} value={layer} onValue={setLayer} {...form.field('layer')} />
              </div>
            </>
          )}
          {by === 'search' && (
            <div>
              <Field id="affected-query" label={t('incident.query')} hint={t('incident.queryHint')} spellCheck={false} maxLength={40} value={query} onValue={setQuery} {...form.field('query')} />
            </div>
          )}
        </div>
      </ActionForm>
    </>
  );
}

function CloseIncident({ incident, stepUp, onChanged }: FormProps) {
  const t = useLcT();
  const invoke = useInvoke();
  const [rootCause, setRootCause] = useState('');
  const [remediation, setRemediation] = useState('');
  const form = useFormProblem<'rootCause' | 'remediation'>('incident-close-problem');

  function close() {
    if (rootCause.trim().length < 2) return form.fail(textRequired(), 'rootCause');
    if (remediation.trim().length < 2) return form.fail(textRequired(), 'remediation');
    form.clear();
    stepUp.ask(
      'close',
      t('incident.closeAction', { reference: incident.reference }),
      (totp) => invoke('lifecycle.incident.close', { incidentId: incident.id, rootCause: rootCause.trim(), remediation: remediation.trim(), totp }),
      (value) => onChanged(value, t('lifecycle.done')),
    );
  }

  return (
    <>
      <h3>{t('incident.closeTitle')}</h3>
      <ActionForm form={form} label={t('incident.closeTitle')} tone="secondary" onSubmit={close} slot={stepUp.slot('close')}>
        <TextAreaField id="close-root" label={t('incident.rootCause')} rows={2} maxLength={2000} value={rootCause} onValue={setRootCause} {...form.field('rootCause')} />
        <TextAreaField id="close-remediation" label={t('incident.remediation')} rows={2} maxLength={2000} value={remediation} onValue={setRemediation} {...form.field('remediation')} />
      </ActionForm>
    </>
  );
}

function AffectedList({ affected }: { affected: AffectedParcels }) {
  const t = useLcT();
  return (
    <>
      <p className="lc-result" role="status" data-testid="affected-result">
        {t('incident.affectedAdded', { added: affected.added, total: affected.incident.affected })}
        {affected.more && ` ${t('incident.affectedMore')}`}
      </p>
      {affected.parcels.length > 0 && (
        <DataTable
          id="affected"
          caption={t('incident.affectedCaption')}
          columns={[t('incident.waybill'), t('incident.recipient'), t('incident.phone'), t('incident.parcelStatus')]}
        >
          {affected.parcels.map((p) => (
            <tr key={p.id}>
              <td className="num">{p.waybillNo}</td>
              <td>{p.name}</td>
              <td className="num">{p.phone}</td>
              <td>{t(`status.${p.status}`)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
