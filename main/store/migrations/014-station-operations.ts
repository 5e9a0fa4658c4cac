// Schema: station operations. A stocktake (盘库) over some or all shelf-layers
// keeps its scope, where the clerk stands and every scan, so it can pause and
// survive a restart; a parcel it missed stays a problem until it is seen
// again. The close note may name people, so it is sealed, bound to its row.
// A closed day (日结) keeps its counts for the report. A handover photo is
// sealed like the personal fields, its row id being the handover's; its SM3
// digest is also in the handover's audit entry.
export default `
CREATE TABLE stocktakes (
  id            INTEGER PRIMARY KEY,
  state         TEXT NOT NULL CHECK (state IN ('open', 'paused', 'closed')),
  started_by    INTEGER NOT NULL,
  started_at    TEXT NOT NULL,
  -- The shelf-layer last scanned: the parcels scanned next were found there.
  at_shelf      INTEGER,
  at_layer      INTEGER,
  next_seq      INTEGER NOT NULL DEFAULT 1,
  closed_by     INTEGER,
  closed_at     TEXT,
  note_ct       BLOB,
  expected      INTEGER,
  found         INTEGER,
  missing       INTEGER,
  extra         INTEGER,
  misplaced     INTEGER,
  -- At close: the lists (waybill numbers and shelf-layers only) as JSON, for its report.
  result        TEXT,
  CHECK ((state = 'closed') = (closed_at IS NOT NULL))
) STRICT;
-- One stocktake at a time: two would each count the other's moves as misplaced.
CREATE UNIQUE INDEX stocktakes_one_live ON stocktakes ((1)) WHERE state <> 'closed';

CREATE TABLE stocktake_layers (
  stocktake_id INTEGER NOT NULL REFERENCES stocktakes(id),
  shelf        INTEGER NOT NULL,
  layer        INTEGER NOT NULL,
  PRIMARY KEY (stocktake_id, shelf, layer)
) STRICT, WITHOUT ROWID;

CREATE TABLE stocktake_scans (
  stocktake_id INTEGER NOT NULL REFERENCES stocktakes(id),
  seq          INTEGER NOT NULL,
  shelf        INTEGER NOT NULL,
  layer        INTEGER NOT NULL,
  waybill_no   TEXT NOT NULL,
  scanned_by   INTEGER NOT NULL,
  scanned_at   TEXT NOT NULL,
  PRIMARY KEY (stocktake_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE missing_parcels (
  id           INTEGER PRIMARY KEY,
  parcel_id    INTEGER NOT NULL REFERENCES parcels(id),
  stocktake_id INTEGER NOT NULL REFERENCES stocktakes(id),
  since        TEXT NOT NULL,
  cleared_at   TEXT,
  -- 'stocktake' (scanned in a later one) or 'move' (scanned to be moved).
  cleared_how  TEXT CHECK (cleared_how IN ('stocktake', 'move')),
  CHECK ((cleared_at IS NULL) = (cleared_how IS NULL))
) STRICT;
CREATE UNIQUE INDEX missing_parcels_open ON missing_parcels (parcel_id) WHERE cleared_at IS NULL;

CREATE TABLE daily_closes (
  day       TEXT PRIMARY KEY,
  closed_by INTEGER NOT NULL,
  closed_at TEXT NOT NULL,
  -- The report's figures (counts per carrier, papers, stocktakes) as JSON: no personal data.
  summary   TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE handover_photos (
  id        INTEGER PRIMARY KEY REFERENCES handovers(id),
  parcel_id INTEGER NOT NULL REFERENCES parcels(id),
  photo_ct  BLOB,
  sm3       TEXT NOT NULL,
  taken_at  TEXT NOT NULL,
  erased_at TEXT,
  CHECK ((photo_ct IS NULL) = (erased_at IS NOT NULL))
) STRICT;
CREATE INDEX handover_photos_parcel ON handover_photos (parcel_id);
`;
