// For a station without an SMS account: nothing leaves the PC. Each notice is
// marked for the clerk, who reads its text off the outbox (or its printed list)
// and sends it from the station's phone.
import type { OutgoingSms, SendOutcome, SmsProvider } from './provider';

export class ManualSms implements SmsProvider {
  readonly id = 'manual' as const;
  readonly batchSize = 500;
  readonly idempotent = true;

  async send(batch: readonly OutgoingSms[]): Promise<SendOutcome[]> {
    return batch.map(() => ({ status: 'manual', code: 'MANUAL' }));
  }
}
