// 站务设置's label printers: one row per PC with a printer, its label size and
// language, saved together with the supervisor's code. The devices screen
// shows this PC's row and sends the supervisor here to change it.
import { useEffect, useState } from 'react';
import { LABEL_LANGUAGES, LABEL_SIZES, type PrinterLabels } from '../../../shared/ipc/devices';
import { useInvoke } from '../../app/session';
import { useFormProblem } from '../../forms/form-problem';
import { useLoad } from '../../hooks/use-load';
import { useOpsT } from '../../i18n/operations-t';
import { ActionForm } from '../lifecycle/ActionForm';
import { LcSection } from '../lifecycle/LcSection';
import { useStepUp } from '../lifecycle/step-up';

/** A choice in a table row, named by its row and column for a screen reader. */
function RowSelect<V extends string>({ label, value, options, text, onValue }: { label: string; value: V; options: readonly V[]; text: (v: V) => string; onValue: (v: V) => void }) {
  return (
    <select className="field" aria-label={label} value={value} onChange={(e) => onValue(e.target.value as V)}>
      {options.map((o) => (
        <option key={o} value={o}>
          {text(o)}
        </option>
      ))}
    </select>
  );
}

export function PrinterLabelsSection({ active, onSaved }: { active: boolean; onSaved: () => void }) {
  const t = useOpsT();
  const invoke = useInvoke();
  const stepUp = useStepUp();
  const printers = useLoad('labels.printers', active ? {} : null, [active]);
  const [rows, setRows] = useState<PrinterLabels[]>([]);
  const form = useFormProblem<'printers'>('settings-labels-problem');
  useEffect(() => {
    if (printers.data) setRows(printers.data.printers);
  }, [printers.data]);

  const change = (i: number, patch: Partial<Pick<PrinterLabels, 'size' | 'language'>>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  function save() {
    form.clear();
    const sent = rows.map(({ workstation, size, language }) => ({ workstation, size, language }));
    stepUp.ask('labels', t('ops.settings.labelsAction'), (totp) => invoke('labels.printers.set', { printers: sent, totp }), (v) => {
      printers.setData(v);
      onSaved();
    });
  }

  if (!printers.data) return null;
  return (
    <LcSection id="settings-labels-title" title={t('ops.settings.labelsTitle')}>
      <p className="hint">{t('ops.settings.labelsHint', { size: t(`ops.settings.labelSizes.${printers.data.stationSize}`) })}</p>
      {rows.length === 0 ? (
        <p className="muted">{t('ops.settings.labelsNone')}</p>
      ) : (
        <ActionForm form={form} label={t('ops.settings.saveLabels')} tone="secondary" onSubmit={save} slot={stepUp.slot('labels')}>
          <table className="data-table printer-labels" data-testid="printer-labels">
            <thead>
              <tr>
                <th scope="col">{t('ops.settings.labelsPrinter')}</th>
                <th scope="col">{t('ops.settings.labelsSize')}</th>
                <th scope="col">{t('ops.settings.labelsLanguage')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const here = r.workstation === printers.data!.here;
                const name = here ? [t('ops.settings.thisPc'), r.workstation].filter(Boolean).join(' · ') : r.workstation;
                return (
                  <tr key={r.workstation}>
                    {/* The PC's and the printer's names are data, not the app's words. */}
                    <th scope="row">
                      {here && t('ops.settings.thisPc')}
                      {r.workstation && <span translate="no">{here ? ` · ${r.workstation}` : r.workstation}</span>}
                      {r.printer ? (
                        <span className="muted printer-name" translate="no">
                          {r.printer}
                        </span>
                      ) : (
                        <span className="muted printer-name">{t('ops.settings.noPrinter')}</span>
                      )}
                    </th>
                    <td>
                      <RowSelect label={`${name} ${t('ops.settings.labelsSize')}`} value={r.size} options={LABEL_SIZES} text={(v) => t(`ops.settings.labelSizes.${v}`)} onValue={(size) => change(i, { size })} />
                    </td>
                    <td>
                      <RowSelect label={`${name} ${t('ops.settings.labelsLanguage')}`} value={r.language} options={LABEL_LANGUAGES} text={(v) => t(`ops.settings.labelLanguages.${v}`)} onValue={(language) => change(i, { language })} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ActionForm>
      )}
    </LcSection>
  );
}

/** The devices screen's word on this PC's labels, which 站务设置 sets: one place decides, the other shows it. */
export function HereLabels({ active }: { active: boolean }) {
  const t = useOpsT();
  const view = useLoad('labels.printers', active ? {} : null, [active]).data;
  if (!view) return null;
  const row = view.printers.find((r) => r.workstation === view.here);
  const size = t(`ops.settings.labelSizes.${row?.size ?? view.stationSize}`);
  const language = t(`ops.settings.labelLanguages.${row?.language ?? 'zh'}`);
  return (
    <p className="muted" data-testid="here-labels">
      {t('ops.settings.labelsHere', { size, language })}
    </p>
  );
}
