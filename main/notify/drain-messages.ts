// What the main thread and the notice drain's worker (drain-thread.ts,
// drain-worker.ts) say to each other: passes, and the writes of each step
// with what they came to. Errors cross as their code, never personal data.
import { AppError, errorMessages, type ErrorCode } from '../../shared/errors';
import type { SendReport } from '../../shared/notify';
import type { StationKeyMaterial } from '../crypto/keyring';
import type { OutboxWrite } from './outbox-writes';

export interface DrainWorkerData {
  /** The station's file path or server URL. */
  target: string;
  workstation: string;
}

/** To the worker: a pass to run, or what its writes came to. */
export type ToWorker = { pass: number; keys: StationKeyMaterial } | { written: number; results: number[] } | { written: number; error: string };

/** From the worker: writes to apply, or a pass's end. */
export type FromWorker =
  | { write: number; writes: OutboxWrite[]; now: Date }
  | { pass: number; reports: SendReport[] }
  | { pass: number; error: string };

/** An error as it crosses between threads: its code, or its message. */
export const errorToWire = (e: unknown): string => (e instanceof AppError ? e.code : e instanceof Error ? e.message : String(e));
export const errorFromWire = (error: string): Error => (error in errorMessages ? new AppError(error as ErrorCode) : new Error(error));
