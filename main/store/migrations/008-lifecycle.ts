// Schema: the data lifecycle — retention erasure, data-subject
// requests (PIPL arts. 44–47), the incident register, the record of purges
// and backups, and the scratch state of a key rotation. Free text that may
// name people (incident descriptions, notes) and the phone number a request is
// about are sealed like the personal fields, bound to their row ids.
export default `
-- Set when retention or a request erased the parcel's personal data; the
-- non-personal facts (dates, carrier, category) stay for the statistics.
ALTER TABLE parcels ADD COLUMN erased_at TEXT;
-- One index per retention rule over parcels not erased yet, so a daily purge
-- reads only what is due instead of rescanning years of erased history.
CREATE INDEX parcels_keep_picked_up ON parcels (picked_up_at) WHERE status = 'picked_up' AND erased_at IS NULL;
CREATE INDEX parcels_keep_returned ON parcels (returned_at) WHERE status = 'returned' AND erased_at IS NULL;
CREATE INDEX parcels_keep_expected ON parcels (created_at) WHERE status = 'expected' AND erased_at IS NULL;

CREATE TABLE dsr_requests (
  id          INTEGER PRIMARY KEY,
  reference   TEXT NOT NULL UNIQUE,
  received_at TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('access', 'erasure')),
  status      TEXT NOT NULL CHECK (status IN ('open', 'scheduled', 'done')),
  handled_by  INTEGER NOT NULL,
  -- The phone number asked about (dsr_requests.subject#id), kept only until the request is done.
  subject_ct  BLOB,
  parcels     INTEGER NOT NULL,
  erased      INTEGER NOT NULL DEFAULT 0,
  scheduled   INTEGER NOT NULL DEFAULT 0,
  exported_at TEXT,
  done_at     TEXT,
  CHECK ((status = 'done') = (done_at IS NOT NULL)),
  CHECK (status <> 'done' OR subject_ct IS NULL)
) STRICT;

-- Parcels whose erasure was requested while they were still at the station:
-- the purge erases them as soon as they leave.
CREATE TABLE erasure_schedule (
  parcel_id  INTEGER PRIMARY KEY REFERENCES parcels (id),
  request_id INTEGER NOT NULL REFERENCES dsr_requests (id)
) STRICT;
CREATE INDEX erasure_schedule_request ON erasure_schedule (request_id);

CREATE TABLE incidents (
  id             INTEGER PRIMARY KEY,
  reference      TEXT NOT NULL UNIQUE,
  type           TEXT NOT NULL CHECK (type IN ('internal', 'external_attack', 'physical_loss', 'compliance')),
  discovered_at  TEXT NOT NULL,
  recorded_at    TEXT NOT NULL,
  recorded_by    INTEGER NOT NULL,
  reporter_ct    BLOB NOT NULL,
  description_ct BLOB NOT NULL,
  closed_at      TEXT,
  closed_by      INTEGER,
  root_cause_ct  BLOB,
  remediation_ct BLOB,
  CHECK ((closed_at IS NULL) = (closed_by IS NULL))
) STRICT;
CREATE INDEX incidents_open ON incidents (discovered_at) WHERE closed_at IS NULL;

CREATE TABLE incident_steps (
  id                    INTEGER PRIMARY KEY,
  incident_id           INTEGER NOT NULL REFERENCES incidents (id),
  kind                  TEXT NOT NULL CHECK (kind IN ('assessed', 'access_restricted', 'access_restored', 'evidence_preserved', 'notified', 'other')),
  at                    TEXT NOT NULL,
  recorded_at           TEXT NOT NULL,
  recorded_by           INTEGER NOT NULL,
  notification_required INTEGER CHECK (notification_required IN (0, 1)),
  whom                  TEXT CHECK (whom IN ('authority', 'subjects', 'management', 'other')),
  note_ct               BLOB,
  CHECK ((kind = 'assessed') = (notification_required IS NOT NULL)),
  CHECK ((kind = 'notified') = (whom IS NOT NULL))
) STRICT;
CREATE INDEX incident_steps_incident ON incident_steps (incident_id, at);

CREATE TABLE incident_parcels (
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  parcel_id   INTEGER NOT NULL REFERENCES parcels (id),
  PRIMARY KEY (incident_id, parcel_id)
) STRICT, WITHOUT ROWID;

-- Purges that erased something, VACUUMs, backups and completed rotations:
-- counts and file names only.
CREATE TABLE lifecycle_runs (
  id     INTEGER PRIMARY KEY,
  kind   TEXT NOT NULL CHECK (kind IN ('purge', 'vacuum', 'backup', 'rotation')),
  at     TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT;
CREATE INDEX lifecycle_runs_kind ON lifecycle_runs (kind, id);

-- A key rotation in progress: each table's last re-encrypted row id, and the
-- blind indexes under the new key, which replace the live ones in one step
-- at the swap so searches match every row throughout.
CREATE TABLE rotation_cursor (
  tbl      TEXT PRIMARY KEY,
  after_id INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE rotation_bidx (
  parcel_id  INTEGER PRIMARY KEY,
  phone_bidx BLOB NOT NULL,
  tail_bidx  BLOB NOT NULL
) STRICT;
`;
