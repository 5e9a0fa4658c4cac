// The one place application services open a transaction: an action's checks,
// writes, audit entry and anomaly counting commit together or not at all.
// Two things happen only once it has committed: the chains' newest
// checkpoints go out to the anchor file (never a head that may roll back),
// and an anomaly lock is reported, since the act and the alert it tripped
// are kept while the request is refused.
import { AnomalyLockError } from '../../audit/oversight';
import { openChainLog, type ChainLog } from '../../chain/chain-log';
import { STATION_LOGS } from '../../exports/seal';
import type { Tx } from '../../store/engine/store';
import type { Station } from '../../store/station';

export class Transactions {
  private readonly chains: ChainLog[];

  constructor(private readonly station: Station) {
    this.chains = STATION_LOGS.map((log) => openChainLog(station, log));
  }

  async run<T>(action: (tx: Tx) => Promise<T>): Promise<T> {
    const outcome = new Outcome();
    const result = await this.station.store.transaction((tx) => action(tx).catch(outcome.keep));
    for (const chain of this.chains) await chain.anchor();
    if (outcome.locked) throw outcome.locked;
    return result as T;
  }
}

/** An anomaly lock ends the action but not its transaction: the act and its alert commit, then the lock is thrown. */
class Outcome {
  locked: AnomalyLockError | null = null;

  readonly keep = (e: unknown): undefined => {
    if (!(e instanceof AnomalyLockError)) throw e;
    this.locked = e;
    return undefined;
  };
}
