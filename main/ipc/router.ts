// The IPC router: the one door from the renderer into main. It knows nothing
// of Electron (the shell hands it calls; the e2e harness does too). For every
// call it validates the argument against the shared contract, asks the
// authoriser who is acting and whether they may, and only then runs the
// handler. Every failure becomes a bilingual error result.
import type { z } from 'zod';
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import {
  channels,
  type Channel,
  type ChannelOutput,
  type EventName,
  type EventPayloads,
  type Result,
} from '../../shared/ipc/contract';
import { isChannelName } from '../../shared/ipc/names';
import { AnomalyLockError } from '../audit/oversight';
import { CHANNEL_POLICY, type Policy, type PublicChannel } from '../auth/channel-policy';
import { storeError } from '../store/database';

export interface RequestContext {
  /** Push an event to the calling window. */
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
}

export interface Call<C extends Channel> {
  ctx: RequestContext;
  /** The logged-in person the call runs as; null only on public channels. */
  actor: C extends PublicChannel ? null : Actor;
}

export type Handler<C extends Channel> = (
  input: z.output<(typeof channels)[C]>,
  call: Call<C>,
) => ChannelOutput<C> | Promise<ChannelOutput<C>>;

export type Handlers = { [C in Channel]: Handler<C> };

/** Returns the acting person for a protected channel, or throws (not logged in, forbidden, step-up missing). */
export type Authorise = (policy: Exclude<Policy, { public: true }>, input: unknown) => Promise<Actor>;

export interface Router {
  handle(channel: unknown, input: unknown, ctx: RequestContext): Promise<Result<unknown>>;
}

export function createRouter(handlers: Handlers, authorise: Authorise, onInternalError: (e: unknown) => void = () => {}): Router {
  return {
    async handle(channel, input, ctx) {
      if (!isChannelName(channel)) return { ok: false, error: new AppError('UNKNOWN_CHANNEL').toData() };
      const parsed = channels[channel].safeParse(input);
      if (!parsed.success) {
        // Report where the input was wrong, never the offending value (it may be personal data).
        const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
        return { ok: false, error: new AppError('INVALID_INPUT', `${channel}: ${where}`).toData() };
      }
      try {
        const policy: Policy = CHANNEL_POLICY[channel];
        const actor = 'public' in policy ? null : await authorise(policy, parsed.data);
        const handler = handlers[channel] as Handler<Channel>;
        return { ok: true, value: await handler(parsed.data as never, { ctx, actor } as Call<Channel>) };
      } catch (e) {
        if (e instanceof AnomalyLockError) ctx.emit('anomaly.alert', e.alert);
        const known = storeError(e);
        if (known instanceof AppError) return { ok: false, error: known.toData() };
        onInternalError(e);
        return { ok: false, error: new AppError('INTERNAL').toData() };
      }
    },
  };
}
