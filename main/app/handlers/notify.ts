// Handlers: pickup notices (services/notify.ts).
import type { Handlers } from '../../ipc/router';
import type { AppContext } from '../context';

type NotifyChannel = Extract<keyof Handlers, `notify.${string}`>;

export function notifyHandlers(app: AppContext): Pick<Handlers, NotifyChannel> {
  const s = () => app.unlocked().notify;
  return {
    'notify.settings.get': () => s().settings(),
    'notify.settings.update': ({ totp: _totp, ...patch }, { actor }) => s().updateSettings(actor, patch),
    'notify.credentials.set': ({ provider, secrets }, { actor }) => s().setCredentials(actor, provider, secrets),
    'notify.preview': ({ kind, template }) => s().preview(kind, template),
    'notify.outbox': (opts) => s().outbox(opts),
    'notify.drain': (_input, { actor }) => s().drain(actor),
    'notify.copy': ({ id }, { actor }) => s().copyManual(actor, id),
    'notify.optOut': ({ phone, optOut }, { actor }) => s().setOptOut(actor, phone, optOut),
    'notify.optOut.status': ({ phone }) => s().optOutStatus(phone),
  };
}
