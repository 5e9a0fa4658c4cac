// Schema v1: station metadata, parcels with per-field ciphertexts and blind
// indexes, and the manifest imports they came from.
export default `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Row ids are bound into each field's MAC, so they are reserved before the
-- (slow, chunked) encryption of an import, not taken at insert time.
CREATE TABLE id_allocator (
  name    TEXT PRIMARY KEY,
  next_id INTEGER NOT NULL
) STRICT;
INSERT INTO id_allocator (name, next_id) VALUES ('parcels', 1);

CREATE TABLE imports (
  id         INTEGER PRIMARY KEY,
  file_name  TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  encoding   TEXT NOT NULL,
  imported   INTEGER NOT NULL,
  skipped    INTEGER NOT NULL,
  errors     INTEGER NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE parcels (
  id            INTEGER PRIMARY KEY,
  carrier       TEXT NOT NULL,
  waybill_no    TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('expected', 'on_shelf', 'picked_up', 'returned')),
  pickup_code   TEXT,
  item_category TEXT NOT NULL,
  weight_g      INTEGER,
  -- Personal data, each sealed (SM4-CBC + HMAC-SM3) with its row id and column bound in.
  name_ct       BLOB,
  phone_ct      BLOB,
  address_ct    BLOB,
  -- The masked projection shown at the counter, sealed as one value, so an
  -- everyday lookup never decrypts the full name, phone or address.
  masked_ct     BLOB,
  phone_bidx    BLOB,
  tail_bidx     BLOB,
  source        TEXT NOT NULL CHECK (source IN ('manifest', 'manual')),
  import_id     INTEGER REFERENCES imports(id),
  created_at    TEXT NOT NULL,
  arrived_at    TEXT,
  picked_up_at  TEXT,
  UNIQUE (carrier, waybill_no)
) STRICT;

CREATE INDEX parcels_waybill ON parcels (waybill_no);
CREATE INDEX parcels_phone_bidx ON parcels (phone_bidx);
CREATE INDEX parcels_tail_bidx ON parcels (tail_bidx);
CREATE INDEX parcels_pickup_code ON parcels (pickup_code);
`;
