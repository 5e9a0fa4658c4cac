// 待销毁面单: every paper waybill off its parcel and not destroyed yet, oldest
// first, with its age; those kept past the station's number of days raise the alarm.
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/DataTable';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../hooks/use-load';
import { formatDateTime } from '../../platform/dates';

export function OutstandingPanel({ active, onBag }: { active: boolean; onBag: () => void }) {
  const { t } = useTranslation();
  const { data: report, problem } = useLoad('ledger.outstanding', active ? {} : null, [active]);

  return (
    <section className="panel" aria-labelledby="outstanding-title">
      <h2 id="outstanding-title">{report ? t('ledger.outstanding.title', { days: report.days }) : t('ledger.view.outstanding')}</h2>
      <Problem id="outstanding-problem" problem={problem} />
      {!report ? (
        !problem && <p className="muted">{t('ledger.outstanding.loading')}</p>
      ) : (
        <>
          <div className="outstanding-head">
            <dl className="stat">
              <dt>{t('ledger.outstanding.total')}</dt>
              <dd data-testid="outstanding-total">{t('ledger.outstanding.sheets', { count: report.total })}</dd>
            </dl>
            <dl className={report.count ? 'stat stat-bad' : 'stat stat-ok'}>
              <dt>{t('ledger.outstanding.count')}</dt>
              <dd data-testid="outstanding-count">{t('ledger.outstanding.sheets', { count: report.count })}</dd>
            </dl>
            <button type="button" className="button primary big" onClick={onBag}>
              {t('ledger.view.batch')} →
            </button>
          </div>
          {report.papers.length === 0 ? (
            <p className="empty-note">{t('ledger.outstanding.none')}</p>
          ) : (
            <DataTable
              id="outstanding"
              caption={t('ledger.outstanding.caption')}
              tall
              columns={[
                t('ledger.outstanding.waybill'),
                t('ledger.outstanding.reason'),
                t('ledger.outstanding.detachedAt'),
                t('ledger.outstanding.days'),
                t('ledger.outstanding.state'),
              ]}
            >
              {report.papers.map((p) => (
                <tr key={p.parcelId} className={p.overdue ? 'paper-overdue' : undefined}>
                  <th scope="row" className="num waybill-cell">
                    {p.waybill}
                  </th>
                  <td>{t(`ledger.reason.${p.reason}`)}</td>
                  <td className="num">{formatDateTime(p.detachedAt)}</td>
                  <td className="num days-cell">
                    {t('ledger.outstanding.daysValue', { count: p.days })}
                    {p.overdue && <span className="tag tag-bad">{t('ledger.outstanding.overdue')}</span>}
                  </td>
                  <td>{p.batchId !== null ? t('ledger.outstanding.inBatch', { id: p.batchId }) : <span className="tag tag-bad">{t('ledger.outstanding.loose')}</span>}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </>
      )}
    </section>
  );
}
