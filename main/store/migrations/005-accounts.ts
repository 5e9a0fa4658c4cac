// Staff accounts and station settings.
export default `
CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name   TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'auditor')),
  password_hash  TEXT NOT NULL,
  pin_hash       TEXT,
  -- The TOTP secret, sealed with the station key (context users.totp#id).
  totp_secret_ct BLOB NOT NULL,
  totp_enrolled  INTEGER NOT NULL DEFAULT 0,
  totp_last_step INTEGER,
  failed_logins  INTEGER NOT NULL DEFAULT 0,
  locked_at      TEXT,
  disabled_at    TEXT,
  created_at     TEXT NOT NULL,
  created_by     INTEGER REFERENCES users(id)
) STRICT;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;
