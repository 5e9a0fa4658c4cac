// Schema: the counter — shelf slots and pickup codes, handovers
// with their undo, return-to-courier batches, problem flags, and the indexes
// the overdue list and the daily view read. Free text typed at the counter
// (proxy notes, undo reasons, problem notes) may name people, so it is sealed
// like the personal fields, bound to its row id.
export default `
ALTER TABLE parcels ADD COLUMN shelf INTEGER;
ALTER TABLE parcels ADD COLUMN layer INTEGER;
-- Staff user id (0 = the admin CLI); no foreign key, the CLI is not an account.
ALTER TABLE parcels ADD COLUMN arrived_by INTEGER;
ALTER TABLE parcels ADD COLUMN returned_at TEXT;

-- Two counters scanning at once can never both hand out a code that is on the
-- shelf: the service checks inside an IMMEDIATE transaction, this backs it.
CREATE UNIQUE INDEX parcels_code_on_shelf ON parcels (pickup_code) WHERE status = 'on_shelf';
CREATE INDEX parcels_on_shelf_arrived ON parcels (arrived_at) WHERE status = 'on_shelf';
CREATE INDEX parcels_arrived_at ON parcels (arrived_at) WHERE arrived_at IS NOT NULL;
CREATE INDEX parcels_picked_up_at ON parcels (picked_up_at) WHERE picked_up_at IS NOT NULL;
CREATE INDEX parcels_returned_at ON parcels (returned_at) WHERE returned_at IS NOT NULL;

CREATE TABLE counter_settings (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  shelves      INTEGER NOT NULL CHECK (shelves BETWEEN 1 AND 999),
  layers       INTEGER NOT NULL CHECK (layers BETWEEN 1 AND 99),
  overdue_days INTEGER NOT NULL CHECK (overdue_days BETWEEN 1 AND 365),
  undo_minutes INTEGER NOT NULL CHECK (undo_minutes BETWEEN 0 AND 1440),
  time_zone    TEXT NOT NULL,
  updated_by   INTEGER,
  updated_at   TEXT
) STRICT;
INSERT INTO counter_settings (id, shelves, layers, overdue_days, undo_minutes, time_zone)
VALUES (1, 20, 5, 7, 5, 'Asia/Shanghai');

-- Parcels per slot, kept by the triggers below whatever code moves a parcel,
-- so choosing the least-occupied slot is one index probe, not a count over
-- every parcel on the shelves. Slots of shelves no longer configured stay
-- until emptied.
CREATE TABLE shelf_slots (
  shelf    INTEGER NOT NULL,
  layer    INTEGER NOT NULL,
  occupied INTEGER NOT NULL DEFAULT 0 CHECK (occupied >= 0),
  PRIMARY KEY (shelf, layer)
) STRICT, WITHOUT ROWID;
CREATE INDEX shelf_slots_fill ON shelf_slots (occupied, shelf, layer);
INSERT INTO shelf_slots (shelf, layer)
  WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 20),
                 l(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM l WHERE n < 5)
  SELECT s.n, l.n FROM s, l;

CREATE TRIGGER parcels_slot_leave AFTER UPDATE OF status, shelf, layer ON parcels WHEN OLD.status = 'on_shelf'
BEGIN UPDATE shelf_slots SET occupied = occupied - 1 WHERE shelf = OLD.shelf AND layer = OLD.layer; END;
CREATE TRIGGER parcels_slot_enter AFTER UPDATE OF status, shelf, layer ON parcels WHEN NEW.status = 'on_shelf'
BEGIN UPDATE shelf_slots SET occupied = occupied + 1 WHERE shelf = NEW.shelf AND layer = NEW.layer; END;
CREATE TRIGGER parcels_slot_delete AFTER DELETE ON parcels WHEN OLD.status = 'on_shelf'
BEGIN UPDATE shelf_slots SET occupied = occupied - 1 WHERE shelf = OLD.shelf AND layer = OLD.layer; END;

-- Last sequence number issued per station-local day ("3-2-1024" is slot 3-2, number 1024).
CREATE TABLE pickup_code_days (
  day      TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE handovers (
  id             INTEGER PRIMARY KEY,
  parcel_id      INTEGER NOT NULL REFERENCES parcels(id),
  operator_id    INTEGER NOT NULL,
  workstation    TEXT NOT NULL,
  handed_at      TEXT NOT NULL,
  proxy          INTEGER NOT NULL CHECK (proxy IN (0, 1)),
  proxy_note_ct  BLOB,
  undone_at      TEXT,
  undone_by      INTEGER,
  undo_reason_ct BLOB,
  CHECK ((undone_at IS NULL) = (undone_by IS NULL))
) STRICT;
-- At most one standing handover per parcel.
CREATE UNIQUE INDEX handovers_live ON handovers (parcel_id) WHERE undone_at IS NULL;

CREATE TABLE return_batches (
  id                   INTEGER PRIMARY KEY,
  carrier              TEXT NOT NULL,
  created_by           INTEGER NOT NULL,
  created_at           TEXT NOT NULL,
  handed_to_courier_at TEXT,
  handed_by            INTEGER
) STRICT;

CREATE TABLE return_batch_parcels (
  batch_id   INTEGER NOT NULL REFERENCES return_batches(id),
  parcel_id  INTEGER NOT NULL REFERENCES parcels(id),
  scanned_at TEXT,
  PRIMARY KEY (batch_id, parcel_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX return_batch_parcels_parcel ON return_batch_parcels (parcel_id);

CREATE TABLE problem_flags (
  id         INTEGER PRIMARY KEY,
  parcel_id  INTEGER NOT NULL REFERENCES parcels(id),
  kind       TEXT NOT NULL CHECK (kind IN ('damaged', 'refused', 'wrong_station', 'other')),
  note_ct    BLOB,
  flagged_by INTEGER NOT NULL,
  flagged_at TEXT NOT NULL
) STRICT;
CREATE INDEX problem_flags_parcel ON problem_flags (parcel_id);
`;
