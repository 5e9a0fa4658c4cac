// Today's figures beside the 出库 heading: parcels in, out, on the shelves and
// overdue, read again after each handover (here or at another counter) so the counter sees the day move.
import { useTranslation } from 'react-i18next';
import type { DayCounts } from '../../shared/counter';
import { useLoad } from '../hooks/use-load';

const FIGURES = ['arrived', 'pickedUp', 'onShelf', 'overdue'] as const satisfies readonly (keyof DayCounts)[];

/** `handovers`: bumped by each handover here and each change pushed from the station server; each reads the figures again. */
export function TodayFigures({ active, handovers }: { active: boolean; handovers: number }) {
  const { t } = useTranslation();
  const { data } = useLoad('counter.daily', active ? { days: 1 } : null, [active, handovers]);
  const today = data?.days[0];
  if (!today) return null;
  return (
    <dl className="today-figures" aria-label={t('daily.title')} data-testid="today-figures">
      {FIGURES.map((k) => (
        <div key={k} className={k === 'overdue' && today.overdue > 0 ? 'figure figure-bad' : 'figure'}>
          <dt>{t(`daily.${k}`)}</dt>
          <dd className="num" data-testid={`today-${k}`}>
            {today[k]}
          </dd>
        </div>
      ))}
    </dl>
  );
}
