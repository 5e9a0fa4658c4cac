// Two SQLite names the SQL shared by both engines uses, so one statement text
// runs on either: the row check (main/store/row-mac.ts) joins the covered
// values with `zeroblob(0)` for a NULL and casts the result `AS BLOB`.
export default `
CREATE DOMAIN blob AS bytea;

CREATE FUNCTION zeroblob(n integer) RETURNS bytea
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT decode(repeat('00', n), 'hex') $$;
`;
