// Handlers: purpose-bound unmasking, audit log views, chain verification,
// anomaly alerts (services/oversight.ts).
import type { Handlers } from '../../ipc/router';
import type { AppContext } from '../context';

type AuditHandlers = Pick<Handlers, 'parcels.unmask' | 'audit.list' | 'audit.verify' | Extract<keyof Handlers, `anomaly.${string}`>>;

export function auditHandlers(app: AppContext): AuditHandlers {
  const s = () => app.unlocked().audit;
  return {
    'parcels.unmask': (request, { actor }) => s().unmask(actor, request),
    'audit.list': (filter) => s().auditEntries(filter),
    'audit.verify': () => s().verifyAudit(),
    'anomaly.list': ({ openOnly }) => s().alerts(openOnly),
    'anomaly.review': ({ alertId, note }, { actor }) => s().review(actor, alertId, note),
    'anomaly.settings.get': () => s().anomalySettings(),
    'anomaly.settings.update': ({ totp: _totp, ...patch }, { actor }) => s().updateAnomalySettings(actor, patch),
  };
}
