// Schema: devices and the print queue belong to one counter PC. On a station
// server several counters share the tables, so each row names its
// workstation (a file store is one PC's: its rows keep ''). The two choice
// tables are rebuilt for their new primary key.
export default `
CREATE TABLE device_choices_v2 (
  role        TEXT NOT NULL CHECK (role IN ('scanner', 'printer')),
  vendor_id   INTEGER NOT NULL,
  product_id  INTEGER NOT NULL,
  serial      TEXT,
  path        TEXT NOT NULL,
  usage_page  INTEGER,
  interface   INTEGER,
  product     TEXT,
  language    TEXT CHECK (language IN ('tspl', 'escpos')),
  report_size INTEGER CHECK (report_size BETWEEN 1 AND 4096),
  report_id   INTEGER CHECK (report_id BETWEEN 0 AND 255),
  chosen_at   TEXT NOT NULL,
  workstation TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (workstation, role),
  CHECK ((role = 'printer') = (language IS NOT NULL AND report_size IS NOT NULL AND report_id IS NOT NULL))
) STRICT;
INSERT INTO device_choices_v2 (role, vendor_id, product_id, serial, path, usage_page, interface, product, language, report_size, report_id, chosen_at)
  SELECT role, vendor_id, product_id, serial, path, usage_page, interface, product, language, report_size, report_id, chosen_at FROM device_choices;
DROP TABLE device_choices;
ALTER TABLE device_choices_v2 RENAME TO device_choices;

CREATE TABLE device_uris_v2 (
  role        TEXT NOT NULL CHECK (role IN ('scanner', 'printer')),
  uri         TEXT NOT NULL,
  language    TEXT CHECK (language IN ('tspl', 'escpos')),
  chosen_at   TEXT NOT NULL,
  workstation TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (workstation, role),
  CHECK ((role = 'printer') = (language IS NOT NULL))
) STRICT;
INSERT INTO device_uris_v2 (role, uri, language, chosen_at) SELECT role, uri, language, chosen_at FROM device_uris;
DROP TABLE device_uris;
ALTER TABLE device_uris_v2 RENAME TO device_uris;

ALTER TABLE print_jobs ADD COLUMN workstation TEXT NOT NULL DEFAULT '';
CREATE INDEX print_jobs_queue ON print_jobs (workstation, status, id);
`;
