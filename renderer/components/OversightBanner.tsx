// The warnings across the top of every workspace screen: open anomaly alerts
// and overdue paper waybills. Each is a button to the list behind it.
import { useTranslation } from 'react-i18next';
import { useOversight } from '../state/oversight';
import '../styles/oversight.css';

export function OversightBanner({ onShow }: { onShow: (tab: 'alerts' | 'ledger') => void }) {
  const { t } = useTranslation();
  const { openAlerts, outstandingPapers, requestOutstanding } = useOversight();
  const alerts = openAlerts ?? 0;
  const papers = outstandingPapers ?? 0;
  // Always mounted, so a warning that appears is announced.
  return (
    <div className={alerts || papers ? 'oversight-banner' : 'oversight-banner-empty'} role="status" data-testid="oversight-banner">
      {alerts > 0 && (
        <button type="button" className="warning warning-alerts" onClick={() => onShow('alerts')}>
          <span aria-hidden="true">⚠</span> {t('banner.alerts', { count: alerts })}
          <span className="warning-go">{t('banner.show')} →</span>
        </button>
      )}
      {papers > 0 && (
        <button
          type="button"
          className="warning warning-papers"
          onClick={() => {
            requestOutstanding();
            onShow('ledger');
          }}
        >
          <span aria-hidden="true">⚠</span> {t('banner.outstanding', { count: papers })}
          <span className="warning-go">{t('banner.show')} →</span>
        </button>
      )}
    </div>
  );
}
