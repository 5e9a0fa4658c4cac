// A stocktake's differences, one row each (as its report lists them); a
// misplaced parcel can be moved to where it was found from its row.
import { useState } from 'react';
import type { ParcelMove, StocktakeResult } from '../../../shared/stocktake';
import { Problem, type ProblemData } from '../../components/Problem';
import { useInvoke } from '../../app/session';
import { useOpsT } from '../../i18n/operations-t';
import { MoveResult } from './MoveResult';

export function StocktakeDifferences({ result }: { result: StocktakeResult }) {
  const t = useOpsT();
  const invoke = useInvoke();
  const [moved, setMoved] = useState<ParcelMove | null>(null);
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const rows = [
    ...result.missing.map((w) => ({ kind: 'missing' as const, waybill: w, booked: '', found: '' })),
    ...result.misplaced.map((m) => ({ kind: 'misplaced' as const, waybill: m.waybillNo, booked: m.expected, found: m.found })),
    ...result.extra.map((w) => ({ kind: 'extra' as const, waybill: w, booked: '', found: '' })),
  ];

  async function move(waybill: string, to: string) {
    const r = await invoke('shelves.move', { waybill, to });
    setProblem(r.ok ? null : { error: r.error });
    if (r.ok) setMoved(r.value);
  }

  if (!rows.length) return <p className="muted">{t('ops.stocktake.noDifferences')}</p>;
  return (
    <>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="stocktake-diff-caption">
        <table className="data-table" data-testid="stocktake-differences">
          <caption id="stocktake-diff-caption" className="visually-hidden">
            {t('report.stocktake.difference')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('report.stocktake.difference')}</th>
              <th scope="col">{t('report.stocktake.waybill')}</th>
              <th scope="col">{t('report.stocktake.bookedAt')}</th>
              <th scope="col">{t('report.stocktake.foundAt')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.kind}-${r.waybill}`}>
                <td>
                  <span className={r.kind === 'missing' ? 'badge badge-warn' : 'badge badge-info'}>{t(`report.stocktake.${r.kind}`)}</span>
                </td>
                <td className="num">{r.waybill}</td>
                <td className="num">{r.booked}</td>
                <td className="num">{r.found}</td>
                <td>
                  {r.kind === 'misplaced' && (
                    <button type="button" className="button small" onClick={() => void move(r.waybill, r.found)}>
                      {t('ops.stocktake.moveHere', { slot: r.found })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Problem id="stocktake-move-problem" problem={problem} />
      {moved && <MoveResult move={moved} />}
    </>
  );
}
