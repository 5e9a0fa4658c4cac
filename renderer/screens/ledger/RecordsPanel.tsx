// 台账记录: the destruction and correction records of a period, as the
// 'shred' chain holds them. Supervisors sign a record off, correct it (a new
// record naming the one it corrects; nothing is edited) and export the
// period as a signed PDF or CSV.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorData, ErrorCode } from '../../../shared/errors';
import { SHRED_METHODS, type ShredCorrection, type ShredDestruction, type ShredMethod } from '../../../shared/ipc/ledger';
import { can } from '../../../shared/permissions';
import { normaliseWaybill } from '../../../shared/waybill';
import { ExportPanel } from '../../components/ExportPanel';
import { Field } from '../../components/Field';
import { checkPeriod, PeriodFields, type Period } from '../../components/PeriodFields';
import { Problem } from '../../components/Problem';
import { StepUpDialog } from '../../components/StepUpDialog';
import { formatDateTime, localDay, monthStart } from '../../platform/dates';
import { useFormProblem } from '../../forms/form-problem';
import { useLoad } from '../../hooks/use-load';
import { clearing, localError } from '../../i18n/oversight-problem';
import { staffText, useMethodText } from '../../i18n/oversight-text';
import { useInvoke, useSession } from '../../app/session';

type Pending = { kind: 'signoff' | 'correct'; entry: ShredDestruction };

export function RecordsPanel({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const { user } = useSession();
  const [period, setPeriod] = useState<Period>(() => ({ from: monthStart(), to: localDay() }));
  const [shown, setShown] = useState<Period>(period);
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useFormProblem<keyof Period>('records-period-problem');
  const returnTo = useRef<HTMLElement | null>(null);
  const mayReview = can(user.role, 'ledger.review');

  const { data: entries, problem, reload } = useLoad('ledger.list', active ? shown : null, [active, shown]);

  useEffect(() => {
    if (!active) setPending(null);
  }, [active]);

  /** The period in the fields, or null once its problem is shown. */
  function validPeriod(): Period | null {
    const bad = checkPeriod(period, true);
    if (bad) {
      form.fail({ error: bad.error }, bad.field);
      return null;
    }
    form.clear();
    return period;
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const p = validPeriod();
    if (p) setShown({ ...p });
  }

  function ask(p: Pending, button: HTMLElement) {
    returnTo.current = button;
    setNotice(null);
    setPending(p);
  }

  function close() {
    setPending(null);
    returnTo.current?.focus();
  }

  function done(message: string) {
    setPending(null);
    setNotice(message);
    void reload();
  }

  async function signoff(totp: string): Promise<AppErrorData | null> {
    if (!pending) return null;
    const res = await invoke('ledger.signoff', { entryId: pending.entry.id, totp });
    if (!res.ok) return res.error;
    done(t('ledger.records.signedNotice', { id: res.value.id }));
    return null;
  }

  return (
    <section className="panel" aria-labelledby="records-title">
      <h2 id="records-title">{t('ledger.records.title')}</h2>
      <form className="period-form" onSubmit={submit} noValidate>
        <PeriodFields idPrefix="records" value={period} onValue={setPeriod} field={form.field} />
        <button type="submit" className="button primary big">
          {t('ledger.records.show')}
        </button>
      </form>
      <Problem id={form.problemId} problem={form.problem} />
      {mayReview && <p className="hint">{t('ledger.records.reviewOnly')}</p>}
      {pending?.kind === 'signoff' && (
        <StepUpDialog
          action={t('ledger.records.signoffAction', { id: pending.entry.id, batch: pending.entry.batchId, sheets: pending.entry.sheets })}
          onConfirm={signoff}
          onCancel={close}
        />
      )}
      {pending?.kind === 'correct' && (
        <CorrectionDialog
          entry={pending.entry}
          onDone={(c) => done(t('ledger.records.correctedNotice', { id: c.id, corrects: c.corrects }))}
          onCancel={close}
        />
      )}
      <p role="status" className="ok-note">
        {notice}
      </p>
      <Problem id="records-problem" problem={problem} />
      {entries === null ? (
        !problem && <p className="muted">{t('ledger.records.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="empty-note">{t('ledger.records.none')}</p>
      ) : (
        <div className="table-scroll tall" tabIndex={0} role="region" aria-labelledby="records-caption">
          <table className="data-table records-table">
            <caption id="records-caption">{t('ledger.records.caption', { from: shown.from, to: shown.to })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ledger.records.entry')}</th>
                <th scope="col">{t('ledger.records.time')}</th>
                <th scope="col">{t('ledger.records.papers')}</th>
                <th scope="col">{t('ledger.records.method')}</th>
                <th scope="col">
                  {t('ledger.records.operator')} / {t('ledger.records.witness')}
                </th>
                <th scope="col">{t('ledger.records.signoff')}</th>
                {mayReview && <th scope="col">{t('ledger.records.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {entries.map((e) =>
                e.kind === 'destroyed' ? (
                  <DestructionRow
                    key={e.id}
                    entry={e}
                    onSignoff={mayReview && !e.signoff && e.operator.username !== user.username ? (b) => ask({ kind: 'signoff', entry: e }, b) : undefined}
                    onCorrect={mayReview ? (b) => ask({ kind: 'correct', entry: e }, b) : undefined}
                    reviewColumn={mayReview}
                  />
                ) : (
                  <CorrectionRow key={e.id} entry={e} reviewColumn={mayReview} />
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      {can(user.role, 'ledger.export') && (
        <ExportPanel
          kind="ledger"
          what={t('ledger.exportWhat')}
          active={active}
          period={validPeriod}
          run={(format, p, totp) => invoke('ledger.export', { format, ...p, totp })}
        />
      )}
    </section>
  );
}

interface DestructionRowProps {
  entry: ShredDestruction;
  onSignoff?: (button: HTMLElement) => void;
  onCorrect?: (button: HTMLElement) => void;
  reviewColumn: boolean;
}

function DestructionRow({ entry: e, onSignoff, onCorrect, reviewColumn }: DestructionRowProps) {
  const { t } = useTranslation();
  const methodText = useMethodText();
  const rowId = `record-${e.id}`;
  const scanned = e.waybills.length + e.unknownWaybills.length;
  return (
    <tr className={e.correctedBy.length ? 'record-corrected' : undefined}>
      <th scope="row" id={rowId} className="record-id">
        #{e.id}
        <span className="record-sub">
          {t('ledger.records.batch')} #{e.batchId}
        </span>
      </th>
      <td className="num nowrap">{formatDateTime(e.at)}</td>
      <td>
        <span className="sheets">{t('ledger.outstanding.sheets', { count: e.sheets })}</span>
        {scanned > 0 && (
          <details className="papers">
            <summary>{t('ledger.records.waybills', { count: scanned })}</summary>
            <p className="num waybill-list">{e.waybills.join(', ')}</p>
            {e.unknownWaybills.length > 0 && <p className="num bad-text">{t('ledger.records.unknownList', { list: e.unknownWaybills.join(', ') })}</p>}
          </details>
        )}
        {e.counts.map((c, i) => (
          <span key={i} className="record-sub">
            {t('ledger.batch.counted', { count: c.sheets, note: c.note })}
          </span>
        ))}
        {e.notes && <span className="record-sub">{e.notes}</span>}
        {e.corrected && (
          <span className="record-sub corrected-note">
            {t('ledger.records.asCorrected', { method: methodText(e.corrected), sheets: e.corrected.sheets })}
          </span>
        )}
        {e.correctedBy.length > 0 && (
          <span className="record-sub corrected-note">{t('ledger.records.correctedBy', { list: e.correctedBy.map((id) => `#${id}`).join(', ') })}</span>
        )}
      </td>
      <td>{methodText(e)}</td>
      <td>
        {staffText(e.operator)}
        <span className="record-sub">
          {t('ledger.records.witness')}：{staffText(e.witness)}
        </span>
      </td>
      <td>
        {e.signoff ? (
          <span className="signed">{t('ledger.records.signedBy', { name: staffText(e.signoff.by), at: formatDateTime(e.signoff.at) })}</span>
        ) : (
          <span className="tag tag-warn">{t('ledger.records.pending')}</span>
        )}
      </td>
      {reviewColumn && (
        <td>
          <div className="row-actions">
            {onSignoff && (
              <button type="button" className="button small" aria-describedby={rowId} onClick={(ev) => onSignoff(ev.currentTarget)}>
                {t('ledger.records.signoffButton')}
              </button>
            )}
            {onCorrect && (
              <button type="button" className="button small" aria-describedby={rowId} onClick={(ev) => onCorrect(ev.currentTarget)}>
                {t('ledger.records.correctButton')}
              </button>
            )}
          </div>
        </td>
      )}
    </tr>
  );
}

function CorrectionRow({ entry: c, reviewColumn }: { entry: ShredCorrection; reviewColumn: boolean }) {
  const { t } = useTranslation();
  const methodText = useMethodText();
  const changes = [
    c.method && t('ledger.records.methodNow', { method: methodText({ method: c.method, deviceId: c.deviceId, certificate: c.certificate }) }),
    c.withdraw.length > 0 && t('ledger.records.withdrawn', { list: c.withdraw.join(', ') }),
    c.countedSheets !== null && t('ledger.records.countedNow', { count: c.countedSheets }),
    c.notes !== null && t('ledger.records.notesNow', { notes: c.notes }),
  ].filter(Boolean);
  return (
    <tr className="record-correction">
      <th scope="row" className="record-id">
        #{c.id}
        <span className="tag tag-warn">{t('ledger.records.correction')}</span>
      </th>
      <td className="num nowrap">{formatDateTime(c.at)}</td>
      <td colSpan={2}>
        <strong>{t('ledger.records.corrects', { id: c.corrects, reason: c.reason })}</strong>
        <span className="record-sub">
          {t('ledger.records.batch')} #{c.batchId}
        </span>
        {changes.map((text) => (
          <span key={String(text)} className="record-sub">
            {text}
          </span>
        ))}
      </td>
      <td>{staffText(c.by)}</td>
      <td>—</td>
      {reviewColumn && <td />}
    </tr>
  );
}

type CorrectionField = 'reason' | 'method' | 'detail' | 'withdraw' | 'counted' | 'notes';

/** Refusals from main that concern one of the fields rather than the code. */
const CORRECTION_FIELD_OF: Partial<Record<ErrorCode, CorrectionField>> = {
  WAYBILL_NOT_IN_ENTRY: 'withdraw',
  PERSONAL_DATA_IN_NOTE: 'reason',
};

function CorrectionDialog({ entry, onDone, onCancel }: { entry: ShredDestruction; onDone: (c: ShredCorrection) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const [reason, setReason] = useState('');
  const [method, setMethod] = useState<ShredMethod | ''>('');
  const [detail, setDetail] = useState('');
  const [withdraw, setWithdraw] = useState('');
  const [counted, setCounted] = useState('');
  const [notes, setNotes] = useState('');
  const form = useFormProblem<CorrectionField>('correct-problem');

  /** Fields checked before the code is sent; a problem keeps the dialog open with the code still typed. */
  async function confirm(totp: string): Promise<AppErrorData | null> {
    const fail = (error: AppErrorData, field: CorrectionField) => (form.fail({ error }, field), null);
    if (reason.trim().length < 2) return fail(localError((m) => m.ledger.correct.reasonRequired), 'reason');
    if (method === 'shredder' && !detail.trim()) return fail(localError((m) => m.ledger.destroy.deviceRequired), 'detail');
    if (method === 'outsourced' && !detail.trim()) return fail(localError((m) => m.ledger.destroy.certificateRequired), 'detail');
    const countedSheets = counted.trim() === '' ? undefined : Number(counted);
    if (countedSheets !== undefined && !(Number.isInteger(countedSheets) && countedSheets >= 0 && countedSheets <= 10_000)) {
      return fail(localError((m) => m.ledger.correct.countInvalid), 'counted');
    }
    const withdrawn = withdraw.split(/[\s,，]+/).map(normaliseWaybill).filter(Boolean);
    if (!method && !withdrawn.length && countedSheets === undefined && !notes.trim()) return fail(localError((m) => m.ledger.correct.nothing), 'method');
    form.clear();
    const res = await invoke('ledger.correct', {
      entryId: entry.id,
      reason: reason.trim(),
      method: method || undefined,
      deviceId: method === 'shredder' ? detail.trim() : undefined,
      certificate: method === 'outsourced' ? detail.trim() : undefined,
      withdraw: withdrawn.length ? withdrawn : undefined,
      countedSheets,
      notes: notes.trim() || undefined,
      totp,
    });
    if (!res.ok) {
      const field = CORRECTION_FIELD_OF[res.error.code];
      return field ? fail(res.error, field) : res.error;
    }
    onDone(res.value);
    return null;
  }

  return (
    <StepUpDialog action={t('ledger.records.correctAction', { id: entry.id, batch: entry.batchId })} onConfirm={confirm} onCancel={onCancel}>
      <div className="correct-grid">
        <div className="wide">
          <Field id="correct-reason" label={t('ledger.correct.reason')} autoFocus autoComplete="off" maxLength={200} value={reason} onValue={clearing(form, setReason)} {...form.field('reason')} />
        </div>
        <div>
          <label htmlFor="correct-method">{t('ledger.correct.method')}</label>
          <select
            id="correct-method"
            ref={form.field('method').ref}
            className="field"
            value={method}
            aria-invalid={form.field('method').invalid}
            onChange={(e) => {
              setMethod(e.target.value as ShredMethod | '');
              setDetail('');
            }}
          >
            <option value="">{t('ledger.correct.keep')}</option>
            {SHRED_METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`ledger.method.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          {(method === 'shredder' || method === 'outsourced') && (
            <Field
              id="correct-detail"
              label={method === 'shredder' ? t('ledger.destroy.deviceId') : t('ledger.destroy.certificate')}
              autoComplete="off"
              maxLength={60}
              value={detail}
              onValue={clearing(form, setDetail)}
              {...form.field('detail')}
            />
          )}
        </div>
        <div className="wide">
          <label htmlFor="correct-withdraw">{t('ledger.correct.withdraw')}</label>
          <textarea
            id="correct-withdraw"
            ref={form.field('withdraw').ref}
            className="field num"
            rows={2}
            spellCheck={false}
            value={withdraw}
            aria-invalid={form.field('withdraw').invalid}
            onChange={(e) => clearing(form, setWithdraw)(e.target.value)}
          />
        </div>
        <div>
          <Field id="correct-counted" label={t('ledger.correct.countedSheets')} inputMode="numeric" autoComplete="off" value={counted} onValue={clearing(form, setCounted)} {...form.field('counted')} />
        </div>
        <div>
          <Field id="correct-notes" label={t('ledger.correct.notes')} autoComplete="off" maxLength={200} value={notes} onValue={clearing(form, setNotes)} {...form.field('notes')} />
        </div>
      </div>
      <Problem id={form.problemId} problem={form.problem} />
    </StepUpDialog>
  );
}
