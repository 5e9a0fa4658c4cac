// A parcel just moved: from where to where, its pickup code now, and, when the
// code changed with the slot, the prompt to relabel with the print button.
import { useState } from 'react';
import type { ParcelMove } from '../../../shared/stocktake';
import { PickupCode } from '../../components/ParcelFacts';
import { Problem, type ProblemData } from '../../components/Problem';
import { useInvoke } from '../../app/session';
import { useOpsT } from '../../i18n/operations-t';

/** Sends the relabelled parcels' labels to the station printer; says how that went. */
export function usePrintLabels() {
  const invoke = useInvoke();
  const [outcome, setOutcome] = useState<{ printed: boolean; problem: ProblemData | null } | null>(null);
  async function print(moves: readonly ParcelMove[]) {
    for (const m of moves) {
      const r = await invoke('labels.print', { parcelId: m.parcelId });
      if (!r.ok) return setOutcome({ printed: false, problem: { error: r.error } });
    }
    setOutcome({ printed: true, problem: null });
  }
  return { print, outcome, reset: () => setOutcome(null) };
}

export function MoveResult({ move }: { move: ParcelMove }) {
  const t = useOpsT();
  const labels = usePrintLabels();
  return (
    <div className={`scan-result${move.relabel ? ' is-duplicate' : ''}`} role="region" aria-labelledby="move-result-title" data-testid="move-result">
      <div className="scan-result-code">
        <PickupCode code={move.pickupCode} size="huge" />
      </div>
      <div className="scan-result-facts">
        <h3 id="move-result-title">
          {t('ops.moves.movedTitle', { waybill: move.waybillNo })}
        </h3>
        <p className="num move-path">{t('ops.moves.fromTo', { from: move.from, to: move.to })}</p>
        <p role="status" className={move.relabel ? 'badge badge-warn' : 'muted'}>
          {move.relabel ? t('ops.moves.relabel') : t('ops.moves.sameCode')}
        </p>
        {move.relabel && (
          <div className="button-row">
            <button type="button" className="button primary" onClick={() => void labels.print([move])}>
              {t('ops.moves.print')}
            </button>
          </div>
        )}
        {labels.outcome?.printed && <p className="ok-note">{t('ops.moves.printed')}</p>}
        <Problem id="move-print-problem" problem={labels.outcome?.problem ?? null} />
      </div>
    </div>
  );
}
