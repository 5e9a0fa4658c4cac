// Handlers: the data lifecycle (lifecycle/lifecycle.ts). The service audits every step;
// long jobs report progress to the calling window.
import type { LifecycleEvents } from '../../../shared/ipc/lifecycle';
import type { Handlers, RequestContext } from '../../ipc/router';
import type { AppContext } from '../context';

type LifecycleChannel = Extract<keyof Handlers, `lifecycle.${string}`>;

const progress = (ctx: RequestContext, job: LifecycleEvents['lifecycle.progress']['job']) => (done: number, total: number) =>
  ctx.emit('lifecycle.progress', { job, done, total });

export function lifecycleHandlers(app: AppContext): Pick<Handlers, LifecycleChannel> {
  const l = () => app.unlocked().lifecycle;
  return {
    'lifecycle.status': () => l().status(),
    'lifecycle.settings': ({ totp: _totp, ...patch }, { actor }) => l().updateSettings(actor, patch),
    'lifecycle.purge': ({ dryRun }, { actor, ctx }) => l().purge(actor, dryRun, progress(ctx, 'purge')),
    'lifecycle.dsr.find': ({ phone, kind, receivedAt }, { actor }) => l().dsrFind(actor, phone, kind, receivedAt),
    'lifecycle.dsr.export': ({ reference }, { actor }) => l().dsrExport(actor, reference),
    'lifecycle.dsr.erase': ({ reference }, { actor }) => l().dsrErase(actor, reference),
    'lifecycle.dsr.list': () => l().dsr.list(),
    'lifecycle.incident.create': ({ totp: _totp, ...input }, { actor }) => l().incidentCreate(actor, input),
    'lifecycle.incident.update': ({ incidentId, totp: _totp, ...patch }, { actor }) => l().incidentUpdate(actor, incidentId, patch),
    'lifecycle.incident.step': ({ incidentId, totp: _totp, ...step }, { actor }) => l().incidentStep(actor, incidentId, step),
    'lifecycle.incident.affected': ({ incidentId, select }, { actor }) => l().incidentAffected(actor, incidentId, select),
    'lifecycle.incident.close': ({ incidentId, rootCause, remediation }, { actor }) => l().incidentClose(actor, incidentId, rootCause, remediation),
    'lifecycle.incident.list': ({ openOnly }) => l().incidentList(openOnly),
    'lifecycle.incident.get': ({ incidentId }) => l().incidents.get(incidentId),
    'lifecycle.incident.export': ({ incidentId }, { actor }) => l().incidentExport(actor, incidentId),
    'lifecycle.restrict': ({ on, incidentId }, { actor }) => l().restrict(actor, on, incidentId),
    'lifecycle.backup.now': (_input, { actor, ctx }) => l().backupNow(actor, progress(ctx, 'backup')),
    'lifecycle.backup.list': () => l().backups(),
    'lifecycle.backup.restore': ({ file, target, passphrase }, { actor }) => l().restore(actor, file, target, passphrase),
    'lifecycle.backup.chooseFolder': async () => {
      const pick = app.opts.chooseFolder;
      return pick ? { folder: await pick(), available: true } : { folder: null, available: false };
    },
    'lifecycle.rotate': ({ passphrase }, { actor, ctx }) => l().rotate(actor, passphrase, progress(ctx, 'rotation')),
    'lifecycle.passphrase': async ({ passphrase, newPassphrase }, { actor }) => {
      await l().changePassphrase(actor, passphrase, newPassphrase);
      return { changed: true };
    },
  };
}
