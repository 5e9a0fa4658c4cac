// Schema: the shred ledger for paper waybills. The ledger entries
// themselves (papers detached, batches destroyed, sign-offs, corrections) are
// entries of the tamper-evident chain 'shred'; these tables are projections
// for the counter's work and the reports: where each paper is, the batches
// being filled, and an index of the chain entries by kind and time. Only
// waybill numbers, counts, device/certificate numbers and staff ids live here.
export default `
-- One row per parcel whose paper waybill has come off: its custody state.
CREATE TABLE shred_papers (
  parcel_id   INTEGER PRIMARY KEY REFERENCES parcels (id),
  waybill_no  TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (reason IN ('label_applied', 'left_at_pickup')),
  detached_at TEXT NOT NULL,
  detached_by INTEGER NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('detached', 'batched', 'destroyed')),
  entry_seq   INTEGER NOT NULL
) STRICT;
CREATE INDEX shred_papers_waybill ON shred_papers (waybill_no);
-- The outstanding report reads only papers not destroyed yet, oldest first.
CREATE INDEX shred_papers_outstanding ON shred_papers (detached_at) WHERE state <> 'destroyed';

CREATE TABLE shred_batches (
  id            INTEGER PRIMARY KEY,
  opened_at     TEXT NOT NULL,
  opened_by     INTEGER NOT NULL,
  destroyed_seq INTEGER UNIQUE
) STRICT;
CREATE INDEX shred_batches_open ON shred_batches (id) WHERE destroyed_seq IS NULL;

-- A scanned paper (waybill_no set; parcel_id null when the store does not
-- know it) or papers put in by count (sheets with a note).
CREATE TABLE shred_batch_items (
  id            INTEGER PRIMARY KEY,
  batch_id      INTEGER NOT NULL REFERENCES shred_batches (id),
  waybill_no    TEXT,
  parcel_id     INTEGER,
  sheets        INTEGER NOT NULL CHECK (sheets BETWEEN 1 AND 10000),
  note          TEXT,
  added_at      TEXT NOT NULL,
  added_by      INTEGER NOT NULL,
  -- Set when a correction says this paper was not destroyed after all.
  withdrawn_seq INTEGER,
  CHECK ((waybill_no IS NULL) = (note IS NOT NULL)),
  CHECK (waybill_no IS NULL OR sheets = 1)
) STRICT;
CREATE INDEX shred_batch_items_batch ON shred_batch_items (batch_id);
-- A paper goes into one batch: a second scan of it anywhere is refused.
CREATE UNIQUE INDEX shred_batch_items_waybill ON shred_batch_items (waybill_no)
  WHERE waybill_no IS NOT NULL AND withdrawn_seq IS NULL;

-- Every 'shred' chain entry by kind and time; ref_seq is the entry a sign-off
-- or correction is about. The entries' content is read from the chain.
CREATE TABLE shred_ledger (
  seq      INTEGER PRIMARY KEY,
  kind     TEXT NOT NULL CHECK (kind IN ('detached', 'destroyed', 'signoff', 'correction')),
  at       TEXT NOT NULL,
  batch_id INTEGER,
  ref_seq  INTEGER
) STRICT;
CREATE INDEX shred_ledger_kind_at ON shred_ledger (kind, at);
CREATE INDEX shred_ledger_ref ON shred_ledger (ref_seq) WHERE ref_seq IS NOT NULL;
-- One sign-off per entry, even from two counters at once.
CREATE UNIQUE INDEX shred_ledger_one_signoff ON shred_ledger (ref_seq) WHERE kind = 'signoff';

CREATE TRIGGER shred_ledger_no_update BEFORE UPDATE ON shred_ledger
BEGIN SELECT RAISE(ABORT, 'the shred ledger is append-only'); END;
CREATE TRIGGER shred_ledger_no_delete BEFORE DELETE ON shred_ledger
BEGIN SELECT RAISE(ABORT, 'the shred ledger is append-only'); END;
`;
