// Counterpart of the SQLite migration 016: each counter's devices and print
// queue are its own rows, named by workstation.
export default `
ALTER TABLE device_choices ADD COLUMN workstation text NOT NULL DEFAULT '';
ALTER TABLE device_choices DROP CONSTRAINT device_choices_pkey;
ALTER TABLE device_choices ADD PRIMARY KEY (workstation, role);
ALTER TABLE device_uris ADD COLUMN workstation text NOT NULL DEFAULT '';
ALTER TABLE device_uris DROP CONSTRAINT device_uris_pkey;
ALTER TABLE device_uris ADD PRIMARY KEY (workstation, role);
ALTER TABLE print_jobs ADD COLUMN workstation text NOT NULL DEFAULT '';
CREATE INDEX print_jobs_queue ON print_jobs (workstation, status, id);
`;
