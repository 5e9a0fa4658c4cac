// What a shift did, said when it ends (交班): counts only, on the login screen
// that the next person sees, like a paper shift sheet.
import { useTranslation } from 'react-i18next';
import type { ShiftFigures } from '../../shared/counter';
import { SHIFT_FIGURES } from './StaffDayTable';

export interface ClosedShift {
  displayName: string;
  figures: ShiftFigures;
}

export function ShiftSummary({ shift }: { shift: ClosedShift }) {
  const { t } = useTranslation();
  return (
    <section className="shift-summary" aria-labelledby="shift-summary-title" data-testid="shift-summary">
      <h2 id="shift-summary-title">{t('login.shiftClosed', { name: shift.displayName })}</h2>
      <dl>
        {SHIFT_FIGURES.map((k) => (
          <div key={k}>
            <dt>{t(`daily.figure.${k}`)}</dt>
            <dd className="num">{shift.figures[k]}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
