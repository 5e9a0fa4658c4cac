// 取件通知: the outbox of pickup notices (everyone at the counter: what went
// out, what waits, the texts to send by hand), recipients who declined them,
// and, for supervisors, the settings, templates and channel credentials.
import { useState } from 'react';
import { can } from '../../shared/permissions';
import { useNotifyT } from '../i18n/notify-t';
import { useScreenHeading } from '../hooks/screen-heading';
import { useSession } from '../app/session';
import type { ScreenProps } from '../app/Workspace';
import { OptOutView } from './notify/OptOutView';
import { OutboxView } from './notify/OutboxView';
import { SettingsView } from './notify/SettingsView';
import '../styles/oversight.css';
import '../styles/lifecycle.css';
import '../styles/counter.css';
import '../styles/notify.css';

type View = 'outbox' | 'settings' | 'optOut';
const KEYS = { outbox: 'notify.viewOutbox', settings: 'notify.viewSettings', optOut: 'notify.viewOptOut' } as const;

export function NotifyScreen({ active, focusSignal }: ScreenProps) {
  const t = useNotifyT();
  const { user } = useSession();
  const heading = useScreenHeading(active, focusSignal);
  const views = (['outbox', 'optOut', 'settings'] as const).filter((v) => v !== 'settings' || can(user.role, 'settings.change'));
  const [view, setView] = useState<View>('outbox');

  return (
    <section className="screen" aria-labelledby="notify-title" hidden={!active}>
      <h1 id="notify-title" ref={heading} tabIndex={-1}>
        {t('notify.title')}
      </h1>
      <p className="lead">{t('notify.intro')}</p>
      <div className="segmented lc-views" role="group" aria-label={t('notify.views')}>
        {views.map((v) => (
          <button key={v} type="button" className="segment" aria-pressed={view === v} onClick={() => setView(v)}>
            {t(KEYS[v])}
          </button>
        ))}
      </div>
      {active && view === 'outbox' && <OutboxView />}
      {active && view === 'optOut' && <OptOutView />}
      {active && view === 'settings' && <SettingsView />}
    </section>
  );
}
