// The one IPC contract: channel names, argument schemas (validated in main,
// because every argument from the renderer is untrusted) and result types,
// assembled from one file per channel group.
import type { z } from 'zod';
import type { AppErrorData } from '../errors';
import { auditChannels, type AuditEvents, type AuditOutputs } from './audit';
import { authChannels, type AuthOutputs } from './auth';
import { counterChannels, type CounterOutputs } from './counter';
import { devicesChannels, type DevicesEvents, type DevicesOutputs } from './devices';
import { ledgerChannels, type LedgerEvents, type LedgerOutputs } from './ledger';
import { lifecycleChannels, type LifecycleEvents, type LifecycleOutputs } from './lifecycle';
import type { ChannelName, EventName } from './names';
import { notifyChannels, type NotifyOutputs } from './notify';
import { operationsChannels, type OperationsOutputs } from './operations';
import { stationChannels, type StationEvents, type StationOutputs } from './station';

export { CHANNEL_NAMES, EVENT_NAMES, IPC_EVENT, IPC_INVOKE, isChannelName } from './names';
export type { ChannelName, EventName } from './names';
export { lookupQuery, MAX_MANIFEST_BYTES, type LookupQuery, type StationStatus } from './station';
export type { Enrolment, SessionStatus, UserSummary } from './auth';
export type { AnomalyAlert, AuditAction, AuditEntry, ChainStatus } from './audit';

export const channels = {
  ...stationChannels,
  ...authChannels,
  ...auditChannels,
  ...counterChannels,
  ...devicesChannels,
  ...ledgerChannels,
  ...lifecycleChannels,
  ...notifyChannels,
  ...operationsChannels,
} as const satisfies Record<ChannelName, z.ZodType>;

export type Channel = keyof typeof channels;
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]>;

export type ChannelOutputs = StationOutputs & AuthOutputs & AuditOutputs & CounterOutputs & DevicesOutputs & LedgerOutputs & LifecycleOutputs & NotifyOutputs & OperationsOutputs;
export type ChannelOutput<C extends Channel> = ChannelOutputs[C];

/** Events main pushes to the renderer. */
export type EventPayloads = StationEvents & AuditEvents & DevicesEvents & LedgerEvents & LifecycleEvents;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

/** What the preload exposes on `window.privacyCounter`. */
export interface PreloadApi {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

// Compile-time guard: the name lists and the schemas/payloads describe the same channels and events.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const contractMatchesNames: Same<Channel, ChannelName> & Same<keyof EventPayloads, EventName> & Same<keyof ChannelOutputs, Channel> = true;
