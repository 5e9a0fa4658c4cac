// Where the station lets the clerk pick the slot, the shelf at hand: chosen
// once and kept on this PC until changed, sent with every scan-in. The mode
// and the shelves are read again whenever the scan-in screen is shown, so a
// supervisor's change applies without a restart.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../hooks/use-load';
import { SelectField } from './Field';

// A counter preference, never personal data.
const SHELF_KEY = 'privacy-counter.shelfAtHand';

function savedShelf(): string {
  try {
    return localStorage.getItem(SHELF_KEY) ?? '';
  } catch {
    return '';
  }
}

export function useShelfAtHand(active: boolean) {
  const { t } = useTranslation();
  const settings = useLoad('counter.settings.get', active ? {} : null, [active]);
  const [chosen, setChosen] = useState(savedShelf);
  const choose = useCallback((v: string) => {
    setChosen(v);
    try {
      localStorage.setItem(SHELF_KEY, v);
    } catch {
      // Storage unavailable: the choice holds for this session.
    }
  }, []);

  const s = settings.data;
  if (s?.slotMode !== 'clerk') return { shelf: undefined, field: null, reload: settings.reload };
  const options = ['', ...Array.from({ length: s.shelves }, (_, i) => String(i + 1))];
  const value = options.includes(chosen) ? chosen : '';
  const text = (o: string) => {
    if (!o) return t('scanIn.shelfNone');
    const name = s.shelfNames[Number(o) - 1];
    return name ? t('scanIn.shelfNamed', { n: o, name }) : t('scanIn.shelfOption', { n: o });
  };
  const field = <SelectField id="scanin-shelf" label={t('scanIn.shelfAtHand')} value={value} onValue={choose} options={options} text={text} />;
  return { shelf: value ? Number(value) : undefined, field, reload: settings.reload };
}
