// What one counter tells the others through the station's PostgreSQL server
// (a handover, a scan-in), and whether the server is there at all. A dedicated
// connection LISTENs on the station's channel: a notification sent inside a
// transaction reaches every counter when it commits, and never if it rolls
// back. The same connection is the counter's lifeline: when it drops (server
// gone, cable pulled: TCP keepalive notices) the counter hears `lost` at once,
// not at its next statement, and the connection comes back by itself with
// `restored`. Payloads carry ids and states only, never personal data.
import pg from 'pg';
import { connectError, serverName } from './postgres-errors';
import type { StationChange } from '../../../shared/ipc/station';
import type { Tx } from './store';

/** The station's one channel; what happened is in the payload. */
export const STATION_CHANNEL = 'pc_station';
/** Reconnection backs off from the first to the last delay. */
const RETRY_MS = [250, 500, 1000, 2000, 5000];

/** Tells every counter on the server once `tx` commits; a file store has no other counter to tell. */
export async function notifyCounters(tx: Tx, change: StationChange): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await tx.run('SELECT pg_notify(?, ?)', STATION_CHANNEL, JSON.stringify(change));
}

const CHANGE_EVENTS: readonly string[] = ['handover', 'handover-undone', 'scan-in'] satisfies StationChange['event'][];

/** A notification's payload as a change, or null: whatever else arrives on the channel is not passed on. */
export function asStationChange(payload: unknown): StationChange | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { event, parcelId, workstation } = payload as Record<string, unknown>;
  return typeof event === 'string' && CHANGE_EVENTS.includes(event) && Number.isSafeInteger(parcelId) && typeof workstation === 'string'
    ? { event: event as StationChange['event'], parcelId: parcelId as number, workstation }
    : null;
}

export interface StationEventHandlers {
  message(payload: unknown): void;
  connection(state: 'lost' | 'restored'): void;
}

export class StationEvents {
  private client: pg.Client | null = null;
  private closed = false;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private up = false;

  private constructor(
    private readonly url: string,
    private readonly handlers: StationEventHandlers,
  ) {}

  /** Listens from the start; fails like opening the store when the server cannot be reached then. */
  static async open(url: string, handlers: StationEventHandlers): Promise<StationEvents> {
    const events = new StationEvents(url, handlers);
    try {
      await events.connect();
    } catch (e) {
      throw connectError(e, serverName(url));
    }
    return events;
  }

  /** True while the listening connection is up. */
  get connected(): boolean {
    return this.up;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, keepAliveInitialDelayMillis: 5000, application_name: 'privacy-counter-events' });
    client.on('notification', (n) => {
      if (n.channel !== STATION_CHANNEL) return;
      try {
        this.handlers.message(JSON.parse(n.payload ?? 'null'));
      } catch {
        // Not ours, or cut short: nothing to show.
      }
    });
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    await client.connect();
    await client.query(`LISTEN ${STATION_CHANNEL}`);
    this.client = client;
    this.retries = 0;
    if (!this.up) {
      const wasDown = this.retryTimer !== null;
      this.up = true;
      this.retryTimer = null;
      if (wasDown) this.handlers.connection('restored');
    }
  }

  private dropped(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.up = false;
    this.handlers.connection('lost');
    this.retry();
  }

  private retry(): void {
    const delay = RETRY_MS[Math.min(this.retries++, RETRY_MS.length - 1)];
    this.retryTimer = setTimeout(() => {
      if (this.closed) return;
      this.connect().catch(() => this.retry());
    }, delay);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
