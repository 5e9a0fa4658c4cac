// Triggers, as in the SQLite schema: the shelf-slot occupancy counts kept
// whatever code moves a parcel, and the append-only chain tables (also refused
// a TRUNCATE, which SQLite has not). On PostgreSQL the app's role has no
// UPDATE, DELETE or TRUNCATE grant on those tables at all and does not own
// them, so it can neither write history nor drop these triggers (grants.ts).

// The chain tables as this migration found them (a later chain table gets its triggers in its own migration).
const appendOnly = [
  ['chain_entries', 'chain entries are append-only'],
  ['chain_checkpoints', 'chain checkpoints are append-only'],
  ['shred_ledger', 'the shred ledger is append-only'],
] as const;

export default `
CREATE FUNCTION shelf_slot_leave() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE shelf_slots SET occupied = occupied - 1 WHERE shelf = OLD.shelf AND layer = OLD.layer;
  RETURN NULL;
END $$;
CREATE FUNCTION shelf_slot_enter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE shelf_slots SET occupied = occupied + 1 WHERE shelf = NEW.shelf AND layer = NEW.layer;
  RETURN NULL;
END $$;
CREATE TRIGGER parcels_slot_leave AFTER UPDATE OF status, shelf, layer ON parcels
  FOR EACH ROW WHEN (OLD.status = 'on_shelf') EXECUTE FUNCTION shelf_slot_leave();
CREATE TRIGGER parcels_slot_enter AFTER UPDATE OF status, shelf, layer ON parcels
  FOR EACH ROW WHEN (NEW.status = 'on_shelf') EXECUTE FUNCTION shelf_slot_enter();
CREATE TRIGGER parcels_slot_delete AFTER DELETE ON parcels
  FOR EACH ROW WHEN (OLD.status = 'on_shelf') EXECUTE FUNCTION shelf_slot_leave();

CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'insufficient_privilege';
END $$;
${appendOnly
  .map(([table, message]) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION append_only('${message}');
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION append_only('${message}');
CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION append_only('${message}');`)
  .join('')}
`;
