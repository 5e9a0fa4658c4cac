// Schema v2: the supervisor's choice of scanner and label printer, and the
// persistent print queue.
export default `
CREATE TABLE device_choices (
  role        TEXT PRIMARY KEY CHECK (role IN ('scanner', 'printer')),
  vendor_id   INTEGER NOT NULL,
  product_id  INTEGER NOT NULL,
  serial      TEXT,
  path        TEXT NOT NULL,
  usage_page  INTEGER,
  interface   INTEGER,
  product     TEXT,
  -- Printer only: command language and HID output report framing.
  language    TEXT CHECK (language IN ('tspl', 'escpos')),
  report_size INTEGER CHECK (report_size BETWEEN 1 AND 4096),
  report_id   INTEGER CHECK (report_id BETWEEN 0 AND 255),
  chosen_at   TEXT NOT NULL,
  CHECK ((role = 'printer') = (language IS NOT NULL AND report_size IS NOT NULL AND report_id IS NOT NULL))
) STRICT;

-- Labels carry only masked data, but the payload is still sealed like every
-- other personal projection, bound to its row id.
CREATE TABLE print_jobs (
  id          INTEGER PRIMARY KEY,
  created_at  TEXT NOT NULL,
  printer_key TEXT NOT NULL,
  format      TEXT NOT NULL CHECK (format IN ('tspl', 'escpos')),
  payload     BLOB NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('queued', 'printing', 'done', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  -- Payload bytes the printer is known to have received, so a job cut off
  -- by an unplug resumes where it stopped instead of printing twice.
  bytes_sent  INTEGER NOT NULL DEFAULT 0,
  printed_at  TEXT,
  reprint_of  INTEGER REFERENCES print_jobs(id)
) STRICT;

CREATE INDEX print_jobs_status ON print_jobs (status, id);
`;
