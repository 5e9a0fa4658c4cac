// 个人信息请求: find a person's parcels by phone (the number is cleared once
// sent and never shown again), export their copy (PDF + JSON), erase, and
// the list of requests. What was found lives only while this view is shown.
import { useState } from 'react';
import { useLang } from '../../i18n';
import { useLcT } from '../../i18n/lifecycle-t';
import { purposeText, useActionName, useRoleName } from '../../i18n/oversight-text';
import { DSR_KINDS, type DsrKind, type DsrRequest, type SubjectReport } from '../../../shared/ipc/lifecycle';
import { DataTable } from '../../components/DataTable';
import { Field, SelectField } from '../../components/Field';
import { formatDateTime } from '../../platform/dates';
import { saveFile } from '../../platform/download';
import { useFormProblem } from '../../forms/form-problem';
import { useInvoke } from '../../app/session';
import { ActionForm } from './ActionForm';
import { LcSection } from './LcSection';
import { lcError, useStepUp } from './step-up';

export function RequestsView() {
  const t = useLcT();
  const lang = useLang();
  const actionName = useActionName();
  const roleName = useRoleName();
  const invoke = useInvoke();
  const stepUp = useStepUp();
  const [phone, setPhone] = useState('');
  const [kind, setKind] = useState<DsrKind>('access');
  const [report, setReport] = useState<SubjectReport | null>(null);
  /** Whether the person declined pickup texts: asked with the same number, once, when the request is found. */
  const [optOut, setOptOut] = useState<{ optedOut: boolean; since: string | null } | null>(null);
  const [requests, setRequests] = useState<DsrRequest[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useFormProblem<'phone'>('dsr-problem');
  const kindText = (k: DsrKind) => (k === 'access' ? t('dsr.kindAccess') : t('dsr.kindErasure'));

  function find() {
    const number = phone.trim();
    if (number.length < 3) return form.fail({ error: lcError((m) => m.dsr.phoneRequired) }, 'phone');
    form.clear();
    // Out of the field before it is sent: the number is not kept on screen.
    setPhone('');
    setReport(null);
    setOptOut(null);
    stepUp.ask(
      'find',
      t('dsr.findAction', { kind: kindText(kind) }),
      (totp) => invoke('lifecycle.dsr.find', { phone: number, kind, totp }),
      (value) => {
        setReport(value);
        setNotice(t('dsr.found', { reference: value.request.reference, count: value.parcels.length }));
        void invoke('notify.optOut.status', { phone: number }).then((r) => r.ok && setOptOut(r.value));
      },
    );
  }

  function exportCopy(reference: string) {
    stepUp.ask(
      'report',
      t('dsr.exportAction', { reference }),
      (totp) => invoke('lifecycle.dsr.export', { reference, totp }),
      (value) => {
        saveFile(value.pdf.fileName, value.pdf.bytes, 'application/pdf');
        saveFile(value.json.fileName, value.json.bytes, 'application/json');
        setNotice(t('dsr.exported', { pdf: value.pdf.fileName, json: value.json.fileName }));
      },
    );
  }

  function erase(r: SubjectReport) {
    const reference = r.request.reference;
    // Parcels still at the station keep their data until they leave.
    const scheduled = r.parcels.filter((p) => p.status === 'expected' || p.status === 'on_shelf').length;
    stepUp.ask(
      'report',
      t('dsr.eraseAction', { reference, now: r.parcels.length - scheduled, scheduled }),
      (totp) => invoke('lifecycle.dsr.erase', { reference, totp }),
      (value) => {
        setReport({ ...r, request: value.request });
        setNotice(t('dsr.erased', { erased: value.erased, scheduled: value.scheduled }));
      },
    );
  }

  function loadList() {
    stepUp.ask('list', t('dsr.loadList'), (totp) => invoke('lifecycle.dsr.list', { totp }), setRequests);
  }

  return (
    <>
      <p role="status" className="ok-note" data-testid="dsr-notice">
        {notice}
      </p>
      <LcSection id="dsr-find-title" title={t('dsr.findTitle')}>
        <ActionForm form={form} label={t('dsr.find')} big onSubmit={find} slot={stepUp.slot('find')}>
          <div className="lc-grid">
            <div>
              <Field id="dsr-phone" label={t('dsr.phone')} hint={t('dsr.phoneHint')} inputMode="tel" spellCheck={false} maxLength={32} value={phone} onValue={setPhone} {...form.field('phone')} />
            </div>
            <div>
              <SelectField id="dsr-kind" label={t('dsr.kind')} value={kind} onValue={setKind} options={DSR_KINDS} text={kindText} />
            </div>
          </div>
        </ActionForm>
      </LcSection>

      {report && (
        <LcSection id="dsr-report-title" title={t('dsr.found', { reference: report.request.reference, count: report.parcels.length })} testId="dsr-report">
          <p className="muted">{t('dsr.onScreenOnly')}</p>
          {optOut && (
            <p data-testid="dsr-notify-optout">
              {optOut.optedOut && optOut.since ? t('dsr.notifyOptedOut', { since: formatDateTime(optOut.since) }) : t('dsr.notifyNotOptedOut')}
            </p>
          )}
          <DataTable
            id="dsr-parcels"
            caption={t('dsr.parcelsCaption')}
            columns={[t('incident.waybill'), t('incident.recipient'), t('incident.parcelStatus'), t('dsr.received')]}
          >
            {report.parcels.map((p) => (
              <tr key={p.waybillNo}>
                <td className="num">{p.waybillNo}</td>
                {/* The name is the person's own; the phone they came with is not repeated back. */}
                <td>{p.name}</td>
                <td>{t(`status.${p.status}`)}</td>
                <td className="num">{formatDateTime(p.importedAt)}</td>
              </tr>
            ))}
          </DataTable>
          {report.accessLog.length > 0 && (
            <>
              <h3>{t('dsr.accessLog')}</h3>
              <ul>
                {report.accessLog.map((a, i) => (
                  <li key={i}>
                    <span className="num">{formatDateTime(a.at)}</span> {[actionName(a.action), a.role && roleName(a.role), a.purpose && purposeText(a.purpose, lang)].filter(Boolean).join(' · ')}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="button-row">
            <button type="button" className="button primary" onClick={() => exportCopy(report.request.reference)}>
              {t('dsr.export')}
            </button>
            {report.request.kind === 'erasure' && report.request.status === 'open' && (
              <button type="button" className="button secondary danger" onClick={() => erase(report)}>
                {t('dsr.erase')}
              </button>
            )}
            <button type="button" className="button secondary" onClick={() => setReport(null)}>
              {t('dsr.clear')}
            </button>
          </div>
          {stepUp.slot('report')}
        </LcSection>
      )}

      <LcSection id="dsr-list-title" title={t('dsr.list')}>
        <div className="button-row">
          <button type="button" className="button secondary" onClick={loadList}>
            {t('dsr.loadList')}
          </button>
        </div>
        {stepUp.slot('list')}
        {requests &&
          (requests.length === 0 ? (
            <p className="empty-note">{t('dsr.none')}</p>
          ) : (
            <DataTable
              id="dsr-list"
              caption={t('dsr.listCaption')}
              columns={[t('dsr.reference'), t('dsr.kind'), t('dsr.received'), t('dsr.parcels'), t('dsr.erasedCol'), t('dsr.scheduledCol'), t('dsr.status')]}
            >
              {requests.map((r) => (
                <tr key={r.reference}>
                  <td className="num">{r.reference}</td>
                  <td>{kindText(r.kind)}</td>
                  <td className="num">{formatDateTime(r.receivedAt)}</td>
                  <td className="num">{r.parcels}</td>
                  <td className="num">{r.erased}</td>
                  <td className="num">{r.scheduled}</td>
                  <td>{t(`dsrStatus.${r.status}`)}</td>
                </tr>
              ))}
            </DataTable>
          ))}
      </LcSection>
    </>
  );
}
