// The IPC router: the one door from the renderer into main. It knows nothing
// of Electron (the shell hands it calls; the e2e harness does too), validates
// every argument against the shared contract and turns every failure into a
// bilingual error result instead of a thrown exception.
import type { z } from 'zod';
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

export interface RequestContext {
  /** Push an event to the calling window. */
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
}

export type Handler<C extends Channel> = (
  input: z.output<(typeof channels)[C]>,
  ctx: RequestContext,
) => ChannelOutput<C> | Promise<ChannelOutput<C>>;

export type Handlers = { [C in Channel]: Handler<C> };

export interface Router {
  handle(channel: unknown, input: unknown, ctx: RequestContext): Promise<Result<unknown>>;
}

export function createRouter(handlers: Handlers, onInternalError: (e: unknown) => void = () => {}): Router {
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
        const handler = handlers[channel] as Handler<Channel>;
        return { ok: true, value: await handler(parsed.data as never, ctx) };
      } catch (e) {
        if (e instanceof AppError) return { ok: false, error: e.toData() };
        onInternalError(e);
        return { ok: false, error: new AppError('INTERNAL').toData() };
      }
    },
  };
}
