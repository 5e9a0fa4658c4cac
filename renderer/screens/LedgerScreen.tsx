// 销毁台账: paper waybills from the counter to their destruction. Those who
// handle paper (clerks, supervisors) see what is overdue and bag and destroy
// it with a witness; those who review the ledger (supervisors, auditors) see
// its records, and supervisors sign off, correct and export them.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../shared/permissions';
import { useOversight } from '../state/oversight';
import { useScreenHeading } from '../hooks/screen-heading';
import { useSession } from '../app/session';
import type { ScreenProps } from '../app/Workspace';
import { BatchPanel } from './ledger/BatchPanel';
import { OutstandingPanel } from './ledger/OutstandingPanel';
import { RecordsPanel } from './ledger/RecordsPanel';
import '../styles/oversight.css';

type View = 'outstanding' | 'batch' | 'records';

export function LedgerScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const { user } = useSession();
  const oversight = useOversight();
  const views = (['outstanding', 'batch', 'records'] as const).filter((v) => can(user.role, v === 'records' ? 'ledger.view' : 'ledger.record'));
  const [view, setView] = useState<View>(views[0]);
  const heading = useScreenHeading(active, focusSignal);
  const { outstandingRequest, outstandingPapers } = oversight;

  // The banner's "show" lands on the overdue list, whichever view was open.
  useEffect(() => {
    if (outstandingRequest > 0) setView('outstanding');
  }, [outstandingRequest]);

  return (
    <section className="screen" aria-labelledby="ledger-title" hidden={!active}>
      <h1 id="ledger-title" ref={heading} tabIndex={-1}>
        {t('ledger.title')}
      </h1>
      <p className="lead">{t('ledger.intro')}</p>
      {views.length > 1 && (
        <div className="segmented" role="group" aria-label={t('ledger.views')}>
          {views.map((v) => (
            <button key={v} type="button" className="segment" aria-pressed={view === v} onClick={() => setView(v)}>
              {t(`ledger.view.${v}`)}
              {v === 'outstanding' && !!outstandingPapers && <span className="count-badge">{outstandingPapers}</span>}
            </button>
          ))}
        </div>
      )}
      {view === 'outstanding' && <OutstandingPanel active={active} onBag={() => setView('batch')} />}
      {view === 'batch' && <BatchPanel active={active} onDestroyed={oversight.refresh} />}
      {view === 'records' && <RecordsPanel active={active} />}
    </section>
  );
}
