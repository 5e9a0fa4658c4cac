// The one IPC contract: channel names, argument schemas (validated in main,
// because every argument from the renderer is untrusted) and result types.
import { z } from 'zod';
import type { AppErrorData } from '../errors';
import type { MaskedParcel } from '../parcel';
import type { ImportReport } from '../import-report';
import type { ChannelName, EventName } from './names';

export { CHANNEL_NAMES, EVENT_NAMES, IPC_EVENT, IPC_INVOKE, isChannelName } from './names';
export type { ChannelName, EventName } from './names';

const empty = z.object({}).strict();
const passphrase = z.string().min(1).max(256);

/** Largest manifest accepted over IPC; a day's manifest is well under 10 MB. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export const lookupQuery = z.discriminatedUnion('by', [
  z.object({ by: z.literal('tail'), value: z.string().regex(/^\d{4}$/) }).strict(),
  z.object({ by: z.literal('phone'), value: z.string().min(3).max(32) }).strict(),
  z.object({ by: z.literal('waybill'), value: z.string().min(4).max(40) }).strict(),
  z.object({ by: z.literal('code'), value: z.string().min(1).max(20) }).strict(),
]);
export type LookupQuery = z.infer<typeof lookupQuery>;

export const channels = {
  'station.status': empty,
  'station.init': z.object({ passphrase, stationName: z.string().trim().min(1).max(64) }).strict(),
  'station.unlock': z.object({ passphrase }).strict(),
  'station.lock': empty,
  'manifest.import': z
    .object({ fileName: z.string().min(1).max(255), bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_MANIFEST_BYTES) })
    .strict(),
  'parcels.lookup': lookupQuery,
} as const satisfies Record<ChannelName, z.ZodType>;

export type Channel = keyof typeof channels;
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]>;

export interface StationStatus {
  initialised: boolean;
  unlocked: boolean;
  stationName: string | null;
}

export interface ChannelOutputs {
  'station.status': StationStatus;
  'station.init': StationStatus;
  'station.unlock': StationStatus;
  'station.lock': StationStatus;
  'manifest.import': ImportReport;
  'parcels.lookup': MaskedParcel[];
}
export type ChannelOutput<C extends Channel> = ChannelOutputs[C];

/** Events main pushes to the renderer. */
export interface EventPayloads {
  'import.progress': { fileName: string; phase: 'reading' | 'encrypting' | 'writing' | 'done'; done: number; total: number };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

/** What the preload exposes on `window.privacyCounter`. */
export interface PreloadApi {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

// Compile-time guard: the name lists and the schemas/payloads describe the same channels and events.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const contractMatchesNames: Same<Channel, ChannelName> & Same<keyof EventPayloads, EventName> = true;
