// Audit log projection and anomaly alerts. The audit entries themselves live
// in the tamper-evident chain (log 'audit'); these tables only index them for
// the auditor's filters (person, action, date, parcel) and hold alert state.
export default `
CREATE TABLE audit_index (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  user_id     INTEGER,
  username    TEXT,
  action      TEXT NOT NULL,
  workstation TEXT NOT NULL
) STRICT;
CREATE INDEX audit_index_user ON audit_index (user_id, at);
CREATE INDEX audit_index_action ON audit_index (action, at);
CREATE INDEX audit_index_at ON audit_index (at);

CREATE TABLE audit_parcels (
  seq       INTEGER NOT NULL REFERENCES audit_index (seq),
  parcel_id INTEGER NOT NULL,
  PRIMARY KEY (parcel_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE anomaly_alerts (
  id          INTEGER PRIMARY KEY,
  rule        TEXT NOT NULL,
  user_id     INTEGER,
  username    TEXT,
  created_at  TEXT NOT NULL,
  detail      TEXT NOT NULL,
  audit_seq   INTEGER NOT NULL,
  reviewed_by INTEGER REFERENCES users (id),
  reviewed_at TEXT,
  review_note TEXT
) STRICT;
CREATE INDEX anomaly_alerts_open ON anomaly_alerts (reviewed_at);
`;
