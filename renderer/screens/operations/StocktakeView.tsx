// 盘库: start (all shelf-layers or some), then scan shelf by shelf: a layer's
// barcode says where the clerk stands, each waybill after it is counted there.
// Running counts after every scan; pause and resume (main keeps it across a
// restart); a supervisor closes it with a note and exports the signed result.
import { useState } from 'react';
import type { StocktakeResult, StocktakeScanResult, StocktakeSummary } from '../../../shared/stocktake';
import { can } from '../../../shared/permissions';
import { Field, TextAreaField } from '../../components/Field';
import { localErrorsOf, Problem, type ProblemData } from '../../components/Problem';
import { useInvoke, useSession } from '../../app/session';
import { useFormProblem } from '../../forms/form-problem';
import { useLoad } from '../../hooks/use-load';
import { enOperations } from '../../../shared/i18n/en-operations';
import { useOpsT } from '../../i18n/operations-t';
import { zhOperations } from '../../../shared/i18n/zh-operations';
import { formatDateTime } from '../../platform/dates';
import { beep } from '../../platform/feedback';
import { useScans } from '../../state/scan-bus';
import { ActionForm } from '../lifecycle/ActionForm';
import { LcSection } from '../lifecycle/LcSection';
import { useStepUp } from '../lifecycle/step-up';
import { ScanForm } from './ScanForm';
import { ExportButtons } from './signed-exports';
import { StocktakeDifferences } from './StocktakeDifferences';

const opsError = localErrorsOf(zhOperations, enOperations);
const SLOT = /^\d{1,3}-\d{1,2}$/;
const COUNTS = ['expected', 'found', 'missing', 'misplaced', 'extra'] as const;

export function StocktakeView({ active }: { active: boolean }) {
  const t = useOpsT();
  const invoke = useInvoke();
  const { user } = useSession();
  const stepUp = useStepUp();
  const current = useLoad('stocktake.current', active ? {} : null, [active]);
  const progress = useLoad('stocktake.progress', active && current.data ? {} : null, [active, current.data?.id]);
  const [layers, setLayers] = useState('');
  const [note, setNote] = useState('');
  const [last, setLast] = useState<StocktakeScanResult | null>(null);
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [closed, setClosed] = useState<{ summary: StocktakeSummary; result: StocktakeResult } | null>(null);
  const startForm = useFormProblem<'layers'>('stocktake-start-problem');
  const closeForm = useFormProblem('stocktake-close-problem');
  const st = current.data;

  async function start() {
    const list = layers.split(/[,，\s]+/).filter(Boolean);
    if (list.some((l) => !SLOT.test(l))) return startForm.fail({ error: opsError((m) => m.ops.stocktake.layersInvalid) }, 'layers');
    startForm.clear();
    const r = await invoke('stocktake.start', list.length ? { layers: list } : {});
    if (!r.ok) return startForm.fail({ error: r.error });
    setClosed(null);
    setLast(null);
    current.setData(r.value);
  }

  async function scan(raw: string) {
    const value = raw.trim();
    if (!value || !st || st.state !== 'open') return;
    const r = await invoke('stocktake.scan', { code: value });
    if (!r.ok) {
      setProblem({ error: r.error });
      beep('error');
      return;
    }
    setProblem(null);
    setLast(r.value);
    beep(r.value.kind === 'parcel' && r.value.outcome !== 'in_place' ? 'duplicate' : 'ok');
    current.setData({ ...st, scans: st.scans + (r.value.kind === 'parcel' ? 1 : 0), at: r.value.slot });
    await progress.reload();
  }

  useScans(active && st?.state === 'open', (s) => void scan(s.code));

  async function pauseOrResume() {
    if (!st) return;
    const r = await invoke(st.state === 'open' ? 'stocktake.pause' : 'stocktake.resume', {});
    if (!r.ok) return setProblem({ error: r.error });
    current.setData(r.value);
  }

  function close() {
    if (!st) return;
    closeForm.clear();
    const text = note.trim();
    stepUp.ask('close', t('ops.stocktake.closeAction', { id: st.id }), (totp) => invoke('stocktake.close', { ...(text ? { note: text } : {}), totp }), (value) => {
      setClosed(value);
      setNote('');
      current.setData(null);
    });
  }

  if (current.loading && !st && !closed) return <p className="muted">{t('ops.loading')}</p>;
  return (
    <>
      <Problem id="stocktake-load-problem" problem={current.problem} />
      {!st && (
        <LcSection id="stocktake-start-title" title={t('ops.view.stocktake')}>
          <p className="muted">{t('ops.stocktake.none')}</p>
          <ActionForm form={startForm} label={t('ops.stocktake.start')} onSubmit={() => void start()} slot={null}>
            <Field id="stocktake-layers" label={t('ops.stocktake.layersLabel')} hint={t('ops.stocktake.layersHint')} maxLength={400} spellCheck={false} value={layers} onValue={setLayers} {...startForm.field('layers')} />
          </ActionForm>
        </LcSection>
      )}
      {st && (
        <LcSection id="stocktake-run-title" title={`${t(`ops.stocktake.state.${st.state}`)} #${st.id}`} testId="stocktake-run">
          <p className="muted">
            {t('ops.stocktake.startedAt', { at: formatDateTime(st.startedAt) })} · {t('ops.stocktake.layerCount', { n: st.layers.length })}
          </p>
          {st.state === 'open' ? (
            <ScanForm id="stocktake" onCode={(c) => void scan(c)} />
          ) : (
            <p className="ok-note">{t('ops.stocktake.pausedHint')}</p>
          )}
          <Problem id="stocktake-problem" problem={problem} />
          <dl className="stats ops-stats">
            <div className="stat">
              <dt>{t('ops.stocktake.at')}</dt>
              <dd className="num" data-testid="stocktake-at">{st.at ?? '—'}</dd>
            </div>
            <div className="stat">
              <dt>{t('ops.stocktake.scans')}</dt>
              <dd className="num">{st.scans}</dd>
            </div>
            {progress.data &&
              COUNTS.map((k) => (
                <div key={k} className={`stat stat-${k}`}>
                  <dt>{t(`report.stocktake.${k}`)}</dt>
                  <dd className="num" data-testid={`stocktake-${k}`}>
                    {k === 'expected' || k === 'found' ? progress.data![k] : progress.data![k].length}
                  </dd>
                </div>
              ))}
          </dl>
          <p role="status" className="scan-note" data-testid="stocktake-last">
            {last?.kind === 'layer' && t('ops.stocktake.last.layer', { slot: last.slot })}
            {last?.kind === 'parcel' && t(`ops.stocktake.last.${last.outcome}`, { waybill: last.waybillNo, expected: last.expected ?? '' })}
            {!last && !st.at && st.state === 'open' && t('ops.stocktake.atNone')}
          </p>
          <div className="button-row">
            <button type="button" className="button secondary" onClick={() => void pauseOrResume()}>
              {st.state === 'open' ? t('ops.stocktake.pause') : t('ops.stocktake.resume')}
            </button>
          </div>
        </LcSection>
      )}
      {st && (
        <LcSection id="stocktake-close-title" title={t('ops.stocktake.closeTitle')}>
          {can(user.role, 'stocktake.close') ? (
            <ActionForm form={closeForm} label={t('ops.stocktake.close')} tone="secondary" onSubmit={close} slot={stepUp.slot('close')}>
              <p className="muted">
                {t('ops.stocktake.closeHint')} {t('ops.supervisorCode')}
              </p>
              <TextAreaField id="stocktake-note" label={t('ops.stocktake.note')} rows={2} maxLength={500} value={note} onValue={setNote} />
            </ActionForm>
          ) : (
            <p className="muted">{t('ops.stocktake.clerkCloses')}</p>
          )}
        </LcSection>
      )}
      {closed && (
        <LcSection id="stocktake-result-title" title={t('ops.stocktake.resultTitle', { id: closed.summary.id })} testId="stocktake-result">
          <StocktakeDifferences result={closed.result} />
          <ExportButtons
            stepUp={stepUp}
            where="export"
            action={(format) => t('ops.stocktake.export', { id: closed.summary.id, format })}
            run={(format, totp) => invoke('stocktake.export', { stocktakeId: closed.summary.id, format, totp })}
            fileOf={(f) => f}
          />
        </LcSection>
      )}
    </>
  );
}
