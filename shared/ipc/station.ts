// Channels: the station store and manifest import. (Lookups are the counter's:
// counter.find, which enforces the second-factor rule for phone tails.)
import { z } from 'zod';
import type { ImportReport } from '../import-report';
import { empty } from './common';

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

export const stationChannels = {
  'station.status': empty,
  'station.init': z.object({ passphrase, stationName: z.string().trim().min(1).max(64) }).strict(),
  'station.unlock': z.object({ passphrase }).strict(),
  'station.lock': empty,
  /** The language the person chose: main keeps it for the next start, when the window's locale (date inputs, AM/PM) follows it. */
  'ui.language': z.object({ lang: z.enum(['zh', 'en']) }).strict(),
  'manifest.import': z
    .object({ fileName: z.string().min(1).max(255), bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_MANIFEST_BYTES) })
    .strict(),
} as const;

export interface StationStatus {
  initialised: boolean;
  unlocked: boolean;
  stationName: string | null;
}

export interface StationOutputs {
  'station.status': StationStatus;
  'station.init': StationStatus;
  'station.unlock': StationStatus;
  'station.lock': StationStatus;
  'ui.language': { lang: 'zh' | 'en' };
  'manifest.import': ImportReport;
}

/** What another counter on the station server just did: ids only, never personal data. */
export interface StationChange {
  event: 'handover' | 'handover-undone' | 'scan-in';
  parcelId: number;
  /** The counter where it happened. */
  workstation: string;
}

export interface StationEvents {
  'import.progress': { fileName: string; phase: 'reading' | 'encrypting' | 'writing' | 'done'; done: number; total: number };
  /** A station server store only: its connection dropped (writes cannot go through) or came back. */
  'station.server': { state: 'lost' | 'restored' };
  /** A station server store only: a change at any counter, this one included. */
  'station.changed': StationChange;
}
