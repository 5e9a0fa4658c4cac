// The supervisor's per-person figures for today on 今日: scanned in, handed
// over, returned, lookups and unmasks, one row per account (counts only).
import { useTranslation } from 'react-i18next';
import type { ShiftFigures } from '../../shared/counter';
import { useLoad } from '../hooks/use-load';
import { DataTable } from './DataTable';

export const SHIFT_FIGURES = ['scannedIn', 'handedOver', 'returned', 'lookups', 'unmasks'] as const satisfies readonly (keyof ShiftFigures)[];

export function StaffDayTable({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const { data } = useLoad('counter.staffDay', active ? {} : null, [active]);
  if (!data) return null;
  return (
    <DataTable id="staff-day" caption={t('daily.staffCaption')} columns={[t('daily.person'), ...SHIFT_FIGURES.map((k) => ({ label: t(`daily.figure.${k}`), className: 'num-col' }))]}>
      {data.map((p) => (
        <tr key={p.userId}>
          <th scope="row">{p.displayName}</th>
          {SHIFT_FIGURES.map((k) => (
            <td key={k} className="num num-col">
              {p[k]}
            </td>
          ))}
        </tr>
      ))}
    </DataTable>
  );
}
