// Schema: an opt-out keeps the number sealed beside its blind index, so a key
// rotation can re-derive the index under the new key (the index alone cannot
// be carried over). The table is rebuilt for the row id the seal binds;
// existing opt-outs keep their index and get their number from a parcel of
// theirs at the next rotation. A notice also records when the provider's
// delivery receipt came in.
export default `
CREATE TABLE notify_optouts_v2 (
  id         INTEGER PRIMARY KEY,
  phone_bidx BLOB NOT NULL UNIQUE,
  phone_ct   BLOB,
  created_at TEXT NOT NULL,
  created_by INTEGER
) STRICT;
INSERT INTO notify_optouts_v2 (phone_bidx, created_at, created_by) SELECT phone_bidx, created_at, created_by FROM notify_optouts;
DROP TABLE notify_optouts;
ALTER TABLE notify_optouts_v2 RENAME TO notify_optouts;
ALTER TABLE notify_outbox ADD COLUMN receipt_at TEXT;
`;
