// Schema: pickup notices. The outbox holds one row per notice (queued →
// sending → sent / delivered / failed, or carrier / manual / opted_out) with
// its idempotency key, the station facts it says and the provider's answer;
// never a phone number: the sender opens the phone of `parcel_id` at send
// time. notify_parcels says which parcels a notice covered, so no parcel is
// announced twice. Opt-outs are keyed by the phone's blind index; provider
// credentials are sealed like every other secret.
export default `
CREATE TABLE notify_outbox (
  id                  INTEGER PRIMARY KEY,
  idem_key            TEXT NOT NULL UNIQUE,
  kind                TEXT NOT NULL CHECK (kind IN ('arrival', 'overdue')),
  phone_bidx          BLOB NOT NULL,
  parcel_id           INTEGER NOT NULL,
  parcel_ids          TEXT NOT NULL,
  template_code       TEXT NOT NULL,
  params              TEXT NOT NULL,
  body                TEXT NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'carrier', 'manual', 'opted_out')),
  provider            TEXT,
  provider_message_id TEXT,
  provider_code       TEXT,
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at     TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL
) STRICT;
CREATE INDEX notify_outbox_due ON notify_outbox (status, next_attempt_at);

CREATE TABLE notify_parcels (
  parcel_id INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  outbox_id INTEGER NOT NULL REFERENCES notify_outbox(id),
  PRIMARY KEY (parcel_id, kind)
) STRICT;

CREATE TABLE notify_optouts (
  phone_bidx BLOB PRIMARY KEY,
  created_at TEXT NOT NULL,
  created_by INTEGER
) STRICT;

CREATE TABLE notify_credentials (
  id         INTEGER PRIMARY KEY,
  provider   TEXT NOT NULL UNIQUE,
  secret_ct  BLOB NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX parcels_arrived ON parcels (arrived_at) WHERE status = 'on_shelf';
`;
