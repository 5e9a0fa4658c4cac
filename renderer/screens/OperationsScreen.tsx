// 站务: the station's operations beside the counter — stocktake and moves for
// everyone at the counter; the daily close, the carrier settlement and the
// handover-photo settings and view, and the station's settings, for supervisors.
import { useState } from 'react';
import { can, type Action } from '../../shared/permissions';
import { useOpsT } from '../i18n/operations-t';
import { useScreenHeading } from '../hooks/screen-heading';
import { useSession } from '../app/session';
import type { ScreenProps } from '../app/Workspace';
import { CloseView } from './operations/CloseView';
import { MovesView } from './operations/MovesView';
import { PhotosView } from './operations/PhotosView';
import { SettingsView } from './operations/SettingsView';
import { SettlementView } from './operations/SettlementView';
import { StocktakeView } from './operations/StocktakeView';
import '../styles/oversight.css';
import '../styles/lifecycle.css';
import '../styles/counter.css';
import '../styles/operations.css';

// Hiding a view is a convenience: main refuses the channels behind it anyway.
const VIEWS = [
  { id: 'stocktake', action: 'counter.operate', View: StocktakeView },
  { id: 'moves', action: 'counter.operate', View: MovesView },
  { id: 'close', action: 'operations.close', View: CloseView },
  { id: 'settlement', action: 'operations.close', View: SettlementView },
  { id: 'photos', action: 'photos.view', View: PhotosView },
  { id: 'settings', action: 'settings.change', View: SettingsView },
] as const satisfies readonly { id: string; action: Action; View: unknown }[];
type ViewId = (typeof VIEWS)[number]['id'];

export function OperationsScreen({ active, focusSignal }: ScreenProps) {
  const t = useOpsT();
  const { user } = useSession();
  const heading = useScreenHeading(active, focusSignal);
  const views = VIEWS.filter((v) => can(user.role, v.action));
  const [view, setView] = useState<ViewId>('stocktake');

  return (
    <section className="screen" aria-labelledby="ops-title" hidden={!active}>
      <h1 id="ops-title" ref={heading} tabIndex={-1}>
        {t('ops.title')}
      </h1>
      <p className="lead">{t('ops.intro')}</p>
      <div className="segmented lc-views" role="group" aria-label={t('ops.views')}>
        {views.map((v) => (
          <button key={v.id} type="button" className="segment" aria-pressed={view === v.id} onClick={() => setView(v.id)}>
            {t(`ops.view.${v.id}`)}
          </button>
        ))}
      </div>
      {views.map(({ id, View }) => active && view === id && <View key={id} active />)}
    </section>
  );
}
