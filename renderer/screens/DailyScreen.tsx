// 今日: counts only — what arrived, went out, sits on the shelves, waits too
// long or went back, today and on recent days — and how full each shelf is.
import { useTranslation } from 'react-i18next';
import type { DayCounts } from '../../shared/counter';
import { can } from '../../shared/permissions';
import { Problem } from '../components/Problem';
import { StaffDayTable } from '../components/StaffDayTable';
import { useSession } from '../app/session';
import { useScreenHeading } from '../hooks/screen-heading';
import { useLoad } from '../hooks/use-load';
import type { ScreenProps } from '../app/Workspace';
import '../styles/counter.css';

const DAYS = 7;
const COUNTS = ['arrived', 'pickedUp', 'onShelf', 'overdue', 'returned'] as const satisfies readonly (keyof DayCounts)[];

export function DailyScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const heading = useScreenHeading(active, focusSignal);
  const { user } = useSession();
  // Counts move with every scan elsewhere: read afresh each time the tab is shown.
  const { data: report, problem, reload } = useLoad('counter.daily', active ? { days: DAYS } : null, [active]);

  const today = report?.days[0];
  const fullest = Math.max(1, ...(report?.shelves.map((s) => s.parcels) ?? []));

  return (
    <section className="screen" aria-labelledby="daily-title" hidden={!active}>
      <div className="screen-head">
        <h1 id="daily-title" ref={heading} tabIndex={-1}>
          {t('daily.title')}
          {today && <span className="title-date num"> {today.day}</span>}
        </h1>
        <button type="button" className="button secondary" onClick={() => void reload()}>
          {t('daily.refresh')}
        </button>
      </div>
      <Problem id="daily-problem" problem={problem} />
      {today && (
        <dl className="stats daily-stats">
          {COUNTS.map((k) => (
            <div key={k} className={`stat stat-${k}`}>
              <dt>{t(`daily.${k}`)}</dt>
              <dd data-testid={`daily-${k}`}>{today[k]}</dd>
            </div>
          ))}
        </dl>
      )}
      {report && (
        <div className="daily-grid">
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="daily-recent">
            <table className="data-table">
              <caption id="daily-recent">{t('daily.recentCaption', { n: report.days.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('daily.day')}</th>
                  {COUNTS.map((k) => (
                    <th key={k} scope="col" className="num-col">
                      {t(`daily.${k}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.days.map((d, i) => (
                  <tr key={d.day}>
                    <th scope="row" className="num">
                      {i === 0 ? t('daily.today') : d.day}
                    </th>
                    {COUNTS.map((k) => (
                      <td key={k} className="num num-col">
                        {d[k]}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <section className="shelves" aria-labelledby="shelves-title">
            <h2 id="shelves-title">{t('daily.shelvesTitle')}</h2>
            <ul className="shelf-bars">
              {report.shelves.map((s) => (
                <li key={s.shelf} className="shelf-bar">
                  <span className="shelf-name">{t('daily.shelf', { n: s.shelf })}</span>
                  <span className="shelf-track" aria-hidden="true">
                    <span className="shelf-fill" style={{ width: `${(100 * s.parcels) / fullest}%` }} />
                  </span>
                  <span className="shelf-count num">{t('daily.parcels', { n: s.parcels })}</span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
      {can(user.role, 'accounts.view') && <StaffDayTable active={active} />}
    </section>
  );
}
