// The counter's lookup by phone tail, newest first among the parcels at (or
// due at) the station, straight from one index. SQLite needs none: its index
// on tail_bidx already lists a tail's rows in id order (the rowid ends every
// index key); the server's heap order says nothing about ids, so without this
// it fetches and sorts every row the tail ever had. The lookup's condition is
// written as this index's (main/counter/lookup.ts), so the planner sees that
// it applies.
export default `
CREATE INDEX parcels_tail_lookup ON parcels (tail_bidx, id DESC) WHERE status = 'expected' OR status = 'on_shelf';
`;
