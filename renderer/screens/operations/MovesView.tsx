// 移库: scan a parcel and then a shelf-layer barcode (or the other way round)
// to move it; or move a whole layer. The new pickup code is shown, and where
// it changed, the prompt to relabel and the button that prints the labels.
import { useState } from 'react';
import type { ParcelMove } from '../../../shared/stocktake';
import { Field } from '../../components/Field';
import { localErrorsOf, Problem, type ProblemData } from '../../components/Problem';
import { useInvoke } from '../../app/session';
import { useFormProblem } from '../../forms/form-problem';
import { enOperations } from '../../../shared/i18n/en-operations';
import { useOpsT } from '../../i18n/operations-t';
import { zhOperations } from '../../../shared/i18n/zh-operations';
import { beep } from '../../platform/feedback';
import { useScans } from '../../state/scan-bus';
import { ActionForm } from '../lifecycle/ActionForm';
import { LcSection } from '../lifecycle/LcSection';
import { MoveResult, usePrintLabels } from './MoveResult';
import { ScanForm } from './ScanForm';

const opsError = localErrorsOf(zhOperations, enOperations);
/** A shelf-layer barcode: "3-2", or "@3-2" as the stocktake scan files write it. */
const slotOf = (code: string): string | null => /^@?(\d{1,3}-\d{1,2})$/.exec(code)?.[1] ?? null;

type Half = { waybill: string } | { slot: string };

export function MovesView({ active }: { active: boolean }) {
  const t = useOpsT();
  const invoke = useInvoke();
  const [half, setHalf] = useState<Half | null>(null);
  const [moved, setMoved] = useState<ParcelMove | null>(null);
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [layer, setLayer] = useState({ from: '', to: '' });
  const [layerMoves, setLayerMoves] = useState<ParcelMove[] | null>(null);
  const layerForm = useFormProblem<'from' | 'to'>('moves-layer-problem');
  const labels = usePrintLabels();

  async function move(waybill: string, to: string) {
    const r = await invoke('shelves.move', { waybill, to });
    setHalf(null);
    if (!r.ok) {
      setProblem({ error: r.error });
      beep('error');
      return;
    }
    setProblem(null);
    setMoved(r.value);
    beep(r.value.relabel ? 'duplicate' : 'ok');
  }

  function scanned(raw: string) {
    const value = raw.trim();
    if (!value) return;
    const slot = slotOf(value);
    const next: Half = slot ? { slot } : { waybill: value };
    if (half && 'waybill' in half && 'slot' in next) return void move(half.waybill, next.slot);
    if (half && 'slot' in half && 'waybill' in next) return void move(next.waybill, half.slot);
    setMoved(null);
    setProblem(null);
    setHalf(next);
  }

  useScans(active, (s) => scanned(s.code));

  async function moveLayer() {
    const from = slotOf(layer.from.trim());
    const to = slotOf(layer.to.trim());
    if (!from || !to) return layerForm.fail({ error: opsError((m) => m.ops.moves.layerInvalid) }, from ? 'to' : 'from');
    layerForm.clear();
    labels.reset();
    const r = await invoke('shelves.moveLayer', { from, to });
    if (!r.ok) return layerForm.fail({ error: r.error });
    setLayerMoves(r.value);
  }

  const relabel = layerMoves?.filter((m) => m.relabel) ?? [];
  return (
    <>
      <LcSection id="moves-scan-title" title={t('ops.view.moves')}>
        <p className="muted">{t('ops.moves.intro')}</p>
        <ScanForm id="moves" onCode={scanned} />
        <p role="status" className="scan-note" data-testid="moves-waiting">
          {half && ('waybill' in half ? t('ops.moves.waiting.parcel', { waybill: half.waybill }) : t('ops.moves.waiting.layer', { slot: half.slot }))}
        </p>
        <Problem id="moves-problem" problem={problem} />
        {moved && <MoveResult key={`${moved.parcelId}-${moved.to}`} move={moved} />}
      </LcSection>
      <LcSection id="moves-layer-title" title={t('ops.moves.layerTitle')}>
        <ActionForm form={layerForm} label={t('ops.moves.moveLayer')} tone="secondary" onSubmit={() => void moveLayer()} slot={null}>
          <div className="lc-grid">
            <div>
              <Field id="moves-from" label={t('ops.moves.from')} maxLength={7} spellCheck={false} value={layer.from} onValue={(from) => setLayer({ ...layer, from })} {...layerForm.field('from')} />
            </div>
            <div>
              <Field id="moves-to" label={t('ops.moves.to')} maxLength={7} spellCheck={false} value={layer.to} onValue={(to) => setLayer({ ...layer, to })} {...layerForm.field('to')} />
            </div>
          </div>
        </ActionForm>
        {layerMoves && (
          <>
            <p role="status" className="ok-note">
              {t('ops.moves.layerMoved', { n: layerMoves.length, relabel: relabel.length })}
            </p>
            {layerMoves.length > 0 && (
              <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="moves-layer-title">
                <table className="data-table">
                  <thead>
                    <tr>
                      {(['waybill', 'from', 'to', 'code', 'relabel'] as const).map((c) => (
                        <th key={c} scope="col">
                          {t(`ops.moves.col.${c}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {layerMoves.map((m) => (
                      <tr key={m.parcelId}>
                        <td className="num">{m.waybillNo}</td>
                        <td className="num">{m.from}</td>
                        <td className="num">{m.to}</td>
                        <td className="num code-cell">{m.pickupCode}</td>
                        <td>{m.relabel ? t('ops.moves.yes') : t('ops.moves.no')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {relabel.length > 0 && (
              <div className="button-row">
                <button type="button" className="button primary" onClick={() => void labels.print(relabel)}>
                  {t('ops.moves.printAll', { n: relabel.length })}
                </button>
              </div>
            )}
            {labels.outcome?.printed && <p className="ok-note">{t('ops.moves.printed')}</p>}
            <Problem id="moves-print-problem" problem={labels.outcome?.problem ?? null} />
          </>
        )}
      </LcSection>
    </>
  );
}
