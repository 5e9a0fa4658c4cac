// 派费结算 (supervisor): the fee per parcel by carrier, edited here with the
// code; and a period's settlement — received (the fee basis), handed over,
// fee and amount per carrier — shown and downloaded as a signed PDF or CSV.
import { useEffect, useState } from 'react';
import type { Settlement } from '../../../shared/closing';
import { CARRIERS, type Carrier } from '../../../shared/parcel';
import { Field } from '../../components/Field';
import { checkPeriod, PeriodFields, type Period } from '../../components/PeriodFields';
import { localErrorsOf, Problem } from '../../components/Problem';
import { useInvoke } from '../../app/session';
import { useFormProblem } from '../../forms/form-problem';
import { useLoad } from '../../hooks/use-load';
import { enOperations } from '../../../shared/i18n/en-operations';
import { useOpsT } from '../../i18n/operations-t';
import { zhOperations } from '../../../shared/i18n/zh-operations';
import { localDay, monthStart } from '../../platform/dates';
import { ActionForm } from '../lifecycle/ActionForm';
import { LcSection } from '../lifecycle/LcSection';
import { useStepUp } from '../lifecycle/step-up';
import { NumHeads } from './NumHeads';
import { ExportButtons } from './signed-exports';

const opsError = localErrorsOf(zhOperations, enOperations);
const FEE = /^\d{1,3}(\.\d{1,2})?$/;

export function SettlementView({ active }: { active: boolean }) {
  const t = useOpsT();
  const invoke = useInvoke();
  const stepUp = useStepUp();
  const loaded = useLoad('closing.fees', active ? {} : null, [active]);
  const [fees, setFees] = useState<Partial<Record<Carrier, string>>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [period, setPeriod] = useState<Period>(() => ({ from: monthStart(), to: localDay() }));
  const [report, setReport] = useState<Settlement | null>(null);
  const feeForm = useFormProblem<Carrier>('fees-problem');
  const periodForm = useFormProblem<keyof Period>('settlement-problem');

  useEffect(() => {
    if (loaded.data) setFees(loaded.data);
  }, [loaded.data]);

  function saveFees() {
    const typed = Object.entries(fees).map(([c, v]) => [c as Carrier, (v ?? '').trim()] as const).filter(([, v]) => v);
    const bad = typed.find(([, v]) => !FEE.test(v));
    if (bad) return feeForm.fail({ error: opsError((m) => m.ops.settlement.feeInvalid) }, bad[0]);
    feeForm.clear();
    stepUp.ask('fees', t('ops.settlement.feesAction'), (totp) => invoke('closing.fees.set', { fees: Object.fromEntries(typed), totp }), (value) => {
      loaded.setData(value);
      setNotice(t('ops.settlement.feesSaved'));
    });
  }

  function periodReady(): boolean {
    const wrong = checkPeriod(period, true);
    if (wrong) periodForm.fail({ error: wrong.error }, wrong.field);
    else periodForm.clear();
    return !wrong;
  }

  return (
    <>
      <LcSection id="fees-title" title={t('ops.settlement.feesTitle')}>
        <p role="status" className="ok-note">
          {notice}
        </p>
        <ActionForm form={feeForm} label={t('ops.settlement.saveFees')} tone="secondary" onSubmit={saveFees} slot={stepUp.slot('fees')}>
          <p className="muted">
            {t('ops.settlement.feesHint')} {t('ops.supervisorCode')}
          </p>
          <div className="lc-grid ops-fees">
            {CARRIERS.map((c) => (
              <div key={c}>
                <Field id={`fee-${c}`} label={t(`carrier.${c}`)} inputMode="decimal" maxLength={6} spellCheck={false} value={fees[c] ?? ''} onValue={(v) => setFees({ ...fees, [c]: v })} {...feeForm.field(c)} />
              </div>
            ))}
          </div>
        </ActionForm>
      </LcSection>
      <LcSection id="settlement-title" title={t('ops.settlement.reportTitle')}>
        <div className="lc-grid">
          <PeriodFields idPrefix="settlement" value={period} onValue={setPeriod} field={periodForm.field} />
        </div>
        <Problem id={periodForm.problemId} problem={periodForm.problem} />
        <ExportButtons
          stepUp={stepUp}
          where="export"
          action={(format) => t('ops.settlement.action', { ...period, format })}
          ready={periodReady}
          run={(format, totp) => invoke('closing.settlement', { ...period, format, totp })}
          fileOf={(v) => v.file}
          onSaved={(v) => setReport(v.settlement)}
        />
        {report && (
          <>
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="settlement-title">
              <table className="data-table" data-testid="settlement-lines">
                <thead>
                  <tr>
                    <th scope="col">{t('report.flow.carrier')}</th>
                    <NumHeads keys={['report.flow.received', 'report.flow.handedOver', 'report.settlement.fee', 'report.settlement.amount']} />
                  </tr>
                </thead>
                <tbody>
                  {report.lines.map((l) => (
                    <tr key={l.carrier}>
                      <th scope="row">{t(`carrier.${l.carrier}`)}</th>
                      <td className="num num-col">{l.received}</td>
                      <td className="num num-col">{l.handedOver}</td>
                      <td className="num num-col">{l.fee ?? t('ops.settlement.none')}</td>
                      <td className="num num-col">{l.amount ?? t('ops.settlement.none')}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={4}>
                      {t('ops.settlement.total')}
                    </th>
                    <td className="num num-col" data-testid="settlement-total">
                      {report.total}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </>
        )}
      </LcSection>
    </>
  );
}
