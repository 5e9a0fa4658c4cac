// 日结 (supervisor): close a day with the code, see its figures per carrier,
// papers and stocktake differences, export its signed report; and the days
// closed before, each shown and exported again as it was closed.
import { useState } from 'react';
import type { DailyClose } from '../../../shared/closing';
import { localErrorsOf, Problem } from '../../components/Problem';
import { useInvoke } from '../../app/session';
import { useFormProblem } from '../../forms/form-problem';
import { useLoad } from '../../hooks/use-load';
import { enOperations } from '../../../shared/i18n/en-operations';
import { useOpsT } from '../../i18n/operations-t';
import { zhOperations } from '../../../shared/i18n/zh-operations';
import { formatDateTime, isDay, localDay } from '../../platform/dates';
import { ActionForm } from '../lifecycle/ActionForm';
import { LcSection } from '../lifecycle/LcSection';
import { useStepUp } from '../lifecycle/step-up';
import { NumHeads } from './NumHeads';
import { ExportButtons } from './signed-exports';

const opsError = localErrorsOf(zhOperations, enOperations);
const HISTORY_DAYS = 30;
const COUNTS = ['received', 'handedOver', 'returned', 'onShelf', 'overdue'] as const;

function CloseFigures({ close }: { close: DailyClose }) {
  const t = useOpsT();
  return (
    <>
      <p className="muted">{t('ops.close.closedBy', { at: formatDateTime(close.closedAt), by: close.closedBy })}</p>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={`close-${close.date}-caption`}>
        <table className="data-table" data-testid="close-figures">
          <caption id={`close-${close.date}-caption`}>{`${t('report.dailyClose.title')} ${close.date}`}</caption>
          <thead>
            <tr>
              <th scope="col">{t('report.flow.carrier')}</th>
              <NumHeads keys={COUNTS.map((k) => `report.flow.${k}` as const)} />
            </tr>
          </thead>
          <tbody>
            {close.carriers.map((c) => (
              <tr key={c.carrier}>
                <th scope="row">{t(`carrier.${c.carrier}`)}</th>
                {COUNTS.map((k) => (
                  <td key={k} className="num num-col">
                    {c[k]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>{t('ops.close.papers', close.papers)}</p>
      {close.stocktakes.length > 0 && (
        <>
          <h3>{t('ops.close.stocktakes')}</h3>
          <ul>
            {close.stocktakes.map((s) => (
              <li key={s.stocktakeId}>{t('ops.close.stocktakeLine', { ...s, id: s.stocktakeId })}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function CloseView({ active }: { active: boolean }) {
  const t = useOpsT();
  const invoke = useInvoke();
  const stepUp = useStepUp();
  const [date, setDate] = useState(() => localDay());
  const [shown, setShown] = useState<DailyClose | null>(null);
  const form = useFormProblem<'date'>('close-problem');
  const history = useLoad('closing.history', active ? { limit: HISTORY_DAYS } : null, [active]);

  function closeDay() {
    if (!isDay(date)) return form.fail({ error: opsError((m) => m.ops.close.dateInvalid) }, 'date');
    form.clear();
    stepUp.ask('close', t('ops.close.action', { date }), (totp) => invoke('closing.closeDay', { date, totp }), (close) => {
      setShown(close);
      void history.reload();
    });
  }

  const dateField = form.field('date');
  return (
    <>
      <LcSection id="close-run-title" title={t('ops.view.close')}>
        <ActionForm form={form} label={t('ops.close.run')} onSubmit={closeDay} slot={stepUp.slot('close')}>
          <p className="muted">{t('ops.supervisorCode')}</p>
          <label htmlFor="close-date">{t('ops.close.date')}</label>
          <input
            ref={dateField.ref}
            id="close-date"
            type="date"
            className="field"
            value={date}
            aria-invalid={dateField.invalid}
            aria-describedby={dateField.invalid ? dateField.problemId : undefined}
            onChange={(e) => setDate(e.target.value)}
          />
        </ActionForm>
        {shown && (
          <div data-testid="close-shown">
            <CloseFigures close={shown} />
            <ExportButtons
              stepUp={stepUp}
              where="export"
              action={(format) => t('ops.close.export', { date: shown.date, format })}
              run={(format, totp) => invoke('closing.exportDay', { date: shown.date, format, totp })}
              fileOf={(f) => f}
            />
          </div>
        )}
      </LcSection>
      <LcSection id="close-history-title" title={t('ops.close.history')}>
        <Problem id="close-history-problem" problem={history.problem} />
        {history.data?.length === 0 && <p className="muted">{t('ops.close.historyEmpty')}</p>}
        {!!history.data?.length && (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="close-history-title">
            <table className="data-table" data-testid="close-history">
              <thead>
                <tr>
                  <th scope="col">{t('ops.close.col.date')}</th>
                  <th scope="col">{t('ops.close.col.closedAt')}</th>
                  <th scope="col">{t('ops.close.col.closedBy')}</th>
                  <NumHeads keys={['report.flow.received', 'report.flow.handedOver']} />
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {history.data.map((c) => (
                  <tr key={c.date}>
                    <th scope="row" className="num">
                      {c.date}
                    </th>
                    <td className="num">{formatDateTime(c.closedAt)}</td>
                    <td>{c.closedBy}</td>
                    <td className="num num-col">{c.carriers.reduce((n, x) => n + x.received, 0)}</td>
                    <td className="num num-col">{c.carriers.reduce((n, x) => n + x.handedOver, 0)}</td>
                    <td>
                      <button
                        type="button"
                        className="button small"
                        onClick={() => setShown(c)}
                      >
                        {t('ops.close.show')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LcSection>
    </>
  );
}
