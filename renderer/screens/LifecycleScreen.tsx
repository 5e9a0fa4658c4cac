// 数据生命周期 (supervisor only): the incident register, data-subject
// requests, and retention / backups / keys. The access-restriction switch sits
// above them all, so it is never out of sight. Every change asks for the
// supervisor's code.
import { useState } from 'react';
import { useLcT } from '../i18n/lifecycle-t';
import { refreshLifecycle, useLifecycleStatus } from '../state/lifecycle-status';
import { useScreenHeading } from '../hooks/screen-heading';
import { useInvoke } from '../app/session';
import type { ScreenProps } from '../app/Workspace';
import { IncidentsView } from './lifecycle/IncidentsView';
import { RequestsView } from './lifecycle/RequestsView';
import { RetentionView } from './lifecycle/RetentionView';
import { useStepUp } from './lifecycle/step-up';
import '../styles/oversight.css';
import '../styles/lifecycle.css';

type View = 'incidents' | 'requests' | 'retention';
const VIEWS: { id: View; key: 'viewIncidents' | 'viewRequests' | 'viewRetention' }[] = [
  { id: 'incidents', key: 'viewIncidents' },
  { id: 'requests', key: 'viewRequests' },
  { id: 'retention', key: 'viewRetention' },
];

export function LifecycleScreen({ active, focusSignal }: ScreenProps) {
  const t = useLcT();
  const heading = useScreenHeading(active, focusSignal);
  const [view, setView] = useState<View>('incidents');
  const { status } = useLifecycleStatus();

  return (
    <section className="screen" aria-labelledby="lifecycle-title" hidden={!active}>
      <h1 id="lifecycle-title" ref={heading} tabIndex={-1}>
        {t('lifecycle.title')}
      </h1>
      <p className="lead">{t('lifecycle.intro')}</p>
      {active && <RestrictSwitch restricted={status?.restricted ?? false} />}
      <div className="segmented lc-views" role="group" aria-label={t('lifecycle.views')}>
        {VIEWS.map((v) => (
          <button key={v.id} type="button" className="segment" aria-pressed={view === v.id} onClick={() => setView(v.id)}>
            {t(`lifecycle.${v.key}`)}
          </button>
        ))}
      </div>
      {/* Unmounted when hidden or left: what a request found is not kept. */}
      {active && view === 'incidents' && <IncidentsView status={status} />}
      {active && view === 'requests' && <RequestsView />}
      {active && view === 'retention' && <RetentionView status={status} />}
    </section>
  );
}

function RestrictSwitch({ restricted }: { restricted: boolean }) {
  const t = useLcT();
  const invoke = useInvoke();
  const stepUp = useStepUp();
  return (
    <div className={restricted ? 'lc-switch lc-switch-on' : 'lc-switch'}>
      <span className="lc-switch-label" id="restrict-label">
        {t('restrict.label')}
      </span>
      <button
        type="button"
        role="switch"
        aria-checked={restricted}
        aria-labelledby="restrict-label"
        className={restricted ? 'button big danger' : 'button secondary big'}
        onClick={() =>
          stepUp.ask(
            'restrict',
            restricted ? t('restrict.actionOff') : t('restrict.actionOn'),
            (totp) => invoke('lifecycle.restrict', { on: !restricted, totp }),
            refreshLifecycle,
          )
        }
      >
        {restricted ? t('restrict.on') : t('restrict.off')} · {restricted ? t('restrict.turnOff') : t('restrict.turnOn')}
      </button>
      <div className="lc-switch-slot">{stepUp.slot('restrict')}</div>
    </div>
  );
}
