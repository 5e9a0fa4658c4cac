// Schema: tamper-evident logs (main/chain). Several logs share the tables,
// each its own hash chain keyed by name ('audit', 'shred'). WITHOUT ROWID
// keeps each log's entries in seq order on disk, so verifying a million of
// them is one sequential read. The triggers stop an application bug from
// rewriting history; someone with the file can drop them, which is what the
// hash chain and the signed checkpoints are for.
export default `
CREATE TABLE chain_entries (
  log        TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  payload    TEXT NOT NULL,   -- canonical JSON, no personal data
  prev_hash  BLOB NOT NULL,
  hash       BLOB NOT NULL,
  PRIMARY KEY (log, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE chain_checkpoints (
  log                    TEXT NOT NULL,
  seq                    INTEGER NOT NULL,
  head_hash              BLOB NOT NULL,
  created_at             TEXT NOT NULL,
  reason                 TEXT NOT NULL,
  every                  INTEGER NOT NULL,
  prev_seq               INTEGER,
  prev_digest            BLOB,
  public_key_fingerprint TEXT NOT NULL,
  signature              TEXT NOT NULL,   -- SM2-with-SM3, DER, hex
  PRIMARY KEY (log, seq)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER chain_entries_no_update BEFORE UPDATE ON chain_entries
BEGIN SELECT RAISE(ABORT, 'chain entries are append-only'); END;
CREATE TRIGGER chain_entries_no_delete BEFORE DELETE ON chain_entries
BEGIN SELECT RAISE(ABORT, 'chain entries are append-only'); END;
CREATE TRIGGER chain_checkpoints_no_update BEFORE UPDATE ON chain_checkpoints
BEGIN SELECT RAISE(ABORT, 'chain checkpoints are append-only'); END;
CREATE TRIGGER chain_checkpoints_no_delete BEFORE DELETE ON chain_checkpoints
BEGIN SELECT RAISE(ABORT, 'chain checkpoints are append-only'); END;
`;
