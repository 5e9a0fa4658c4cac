// Schema: printers chosen by URI (USB Printer Class, raw TCP, CUPS, the
// Windows spooler) with their command language, and virtual COM scanners.
// A role is filled either from here or from device_choices (HID), never both.
export default `
CREATE TABLE device_uris (
  role      TEXT PRIMARY KEY CHECK (role IN ('scanner', 'printer')),
  uri       TEXT NOT NULL,
  language  TEXT CHECK (language IN ('tspl', 'escpos')),
  chosen_at TEXT NOT NULL,
  CHECK ((role = 'printer') = (language IS NOT NULL))
) STRICT;
`;
