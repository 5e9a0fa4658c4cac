// Provider credentials, the single owner of notify_credentials: sealed under
// the station key like every other secret (SM4 + HMAC-SM3, bound to the row),
// opened only by the sender in main. Each provider has one fixed row, so its
// id, which the seal binds, is known before the insert.
import { openText, sealText } from '../crypto/envelope';
import type { StationKeys } from '../crypto/keyring';
import type { Queryable } from '../store/engine/store';
import { PROVIDER_IDS, type ProviderId, type ProviderSecrets } from './providers/provider';

const rowId = (provider: ProviderId): number => PROVIDER_IDS.indexOf(provider) + 1;
const context = (provider: ProviderId): string => `notify_credentials.secret#${rowId(provider)}`;

export const credentials = {
  async set<P extends ProviderId>(tx: Queryable, keys: StationKeys, provider: P, secrets: ProviderSecrets[P], now: Date): Promise<void> {
    const sealed = sealText(keys.field, JSON.stringify(secrets), context(provider));
    await tx.run(
      `INSERT INTO notify_credentials (id, provider, secret_ct, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET secret_ct = excluded.secret_ct, updated_at = excluded.updated_at`,
      rowId(provider),
      provider,
      sealed,
      now.toISOString(),
    );
  },

  async get<P extends ProviderId>(tx: Queryable, keys: StationKeys, provider: P): Promise<ProviderSecrets[P] | null> {
    const sealed = await tx.value<Uint8Array>('SELECT secret_ct FROM notify_credentials WHERE id = ?', rowId(provider));
    return sealed ? (JSON.parse(openText(keys.field, sealed, context(provider))) as ProviderSecrets[P]) : null;
  },

  /** Which providers have credentials, for the settings screen (never the secrets). */
  async configured(tx: Queryable): Promise<ProviderId[]> {
    const rows = await tx.all<{ provider: ProviderId }>('SELECT provider FROM notify_credentials ORDER BY id');
    return rows.map((r) => r.provider);
  },
};
