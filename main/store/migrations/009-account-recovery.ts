// Staff account recovery: one-time recovery codes (only their scrypt hashes),
// and a separate count of failed on-the-spot approvals, which is charged to
// the person who asked for the approval rather than to the approver.
export default `
CREATE TABLE recovery_codes (
  id        INTEGER PRIMARY KEY,
  user_id   INTEGER NOT NULL REFERENCES users(id),
  code_hash TEXT NOT NULL,
  used_at   TEXT
) STRICT;
CREATE INDEX recovery_codes_user ON recovery_codes (user_id) WHERE used_at IS NULL;

ALTER TABLE users ADD COLUMN approval_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN approval_failed_at TEXT;
`;
