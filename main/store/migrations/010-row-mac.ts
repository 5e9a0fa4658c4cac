// Schema: a MAC per parcel row over its identity, blind indexes and sealed
// values (main/store/row-mac.ts). A key rotation keeps the MAC a row will have
// under its new blind indexes beside them. Rows stored before this migration
// get their MAC at the next unlock, when the keys are at hand (the flag below).
export default `
ALTER TABLE parcels ADD COLUMN row_mac BLOB;
ALTER TABLE rotation_bidx ADD COLUMN row_mac BLOB;
INSERT INTO meta (key, value) VALUES ('parcels.row_mac', 'backfill')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
`;
