// Schema: an import writes its rows in small transactions, so the counter keeps
// serving meanwhile; until its one-row commit flips `state` to 'done' its rows
// are invisible (main/store/pending-imports.ts). `owner_pid` tells a crashed
// import's leftovers from one still running in another process.
export default `
ALTER TABLE imports ADD COLUMN state TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('pending', 'done'));
ALTER TABLE imports ADD COLUMN owner_pid INTEGER;
CREATE INDEX parcels_import ON parcels (import_id) WHERE import_id IS NOT NULL;
`;
