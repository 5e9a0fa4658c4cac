// One owner per table: only the module README names for a table writes it
// (INSERT, UPDATE, DELETE, REPLACE); every other module calls its operations.
// A source check like layering.test.ts: the SQL is read from the string and
// template literals of main/ (TypeScript's own parser, so comments never count),
// a template's `${…}` standing for a table name it cannot see.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const DYNAMIC = '${…}';

/** The text of every string and template literal in `source`, a substitution as `${…}`. */
function sqlTexts(source: string): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    else if (ts.isTemplateExpression(node)) out.push(node.head.text + node.templateSpans.map((s) => DYNAMIC + s.literal.text).join(''));
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true));
  return out;
}

// `DO UPDATE SET` (an upsert's second half) and `INSERT ON` (a trigger's event) name no table.
const WRITE = /(?<!\bDO\s+)\b(?:INSERT(?:\s+OR\s+[A-Z]+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:main\.)?([a-z_][a-z0-9_]*|\$\{…\})/g;

/** The tables `source` writes. */
function writtenTables(source: string): string[] {
  return [...new Set(sqlTexts(source).flatMap((text) => [...text.matchAll(WRITE)].map((m) => m[1])))];
}

/** README's table → owner list. */
function readmeOwners(): Map<string, string> {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('<!-- table-owners:begin -->')[1].split('<!-- table-owners:end -->')[0];
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  return new Map(
    rows.map((l) => {
      const [table, owner] = l.split('|').slice(1, 3).map((c) => c.trim().replaceAll('`', ''));
      return [table, owner];
    }),
  );
}

// Written outside their owner by design, each with its reason; nothing else may be.
const EXCEPTIONS: { file: string; tables: string[]; why: string }[] = [
  {
    file: 'main/lifecycle/rotation.ts',
    tables: [DYNAMIC],
    why: 're-encrypts every sealed column sealed-columns.ts lists, in whatever table (parcels through parcel-writer.ts, for their row MACs)',
  },
  {
    file: 'main/store/migrate-to-pg.ts',
    tables: [DYNAMIC],
    why: 'copies every table of a SQLite station, whatever it holds, into an empty PostgreSQL database',
  },
  {
    file: 'main/store/local-copy.ts',
    tables: [DYNAMIC],
    why: 'copies every table of a station, whatever it holds, into a new SQLite file (a server store backed up or verified)',
  },
  {
    file: 'main/store/engine/bulk-rows.ts',
    tables: [DYNAMIC],
    why: "the engines' bulk paths (Tx.copyRows, blobUpdateSql) write the table their caller names; the caller is that table's owner",
  },
  {
    file: 'main/store/engine/postgres/copy.ts',
    tables: [DYNAMIC],
    why: "the engines' bulk path (Tx.copyRows) writes the table its caller names, through a staging table of its own",
  },
];

function mainFiles(): string[] {
  // Both engines' schemas (SQLite's and PostgreSQL's own) seed and trigger-maintain tables they do not own.
  const migrations = [path.join(ROOT, 'main', 'store', 'migrations'), path.join(ROOT, 'main', 'store', 'engine', 'postgres', 'migrations')].map((d) => d + path.sep);
  return readdirSync(path.join(ROOT, 'main'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !migrations.some((m) => f.startsWith(m)));
}

describe('table-owner detector self-check', () => {
  it('finds inserts, upserts, updates, deletes and replaces', () => {
    const src = [
      "db.prepare('INSERT INTO parcels (id) VALUES (?)');",
      'db.prepare(`INSERT OR IGNORE INTO shelf_slots (shelf) VALUES (?)`);',
      "db.prepare(\"UPDATE  users SET x = 1\");",
      "db.prepare('DELETE FROM main.imports WHERE id = ?');",
      "db.prepare('REPLACE INTO meta VALUES (?, ?)');",
      'db.prepare(`UPDATE ${table} SET x = ?`);',
    ].join('\n');
    expect(writtenTables(src).sort()).toEqual([DYNAMIC, 'imports', 'meta', 'parcels', 'shelf_slots', 'users'].sort());
  });

  it('ignores comments, reads, upserts’ second half, trigger events and prose', () => {
    const src = [
      '// UPDATE parcels SET status = 1',
      '/* DELETE FROM parcels */',
      "db.prepare('INSERT INTO settings (key) VALUES (?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');",
      "db.exec('CREATE TRIGGER t AFTER INSERT ON parcels BEGIN SELECT 1; END');",
      "db.prepare('SELECT * FROM parcels WHERE updated_at > ?');",
      "throw new Error('could not update parcels');",
    ].join('\n');
    expect(writtenTables(src)).toEqual(['settings']);
  });
});

describe('one owner per table', () => {
  const owners = readmeOwners();
  const writes = mainFiles().flatMap((f) => writtenTables(readFileSync(f, 'utf8')).map((table) => ({ file: path.relative(ROOT, f).split(path.sep).join('/'), table })));

  it('README names an owner for every table written in main/', () => {
    expect(writes.length).toBeGreaterThan(0);
    const unnamed = [...new Set(writes.map((w) => w.table))].filter((t) => t !== DYNAMIC && !owners.has(t));
    expect(unnamed).toEqual([]);
  });

  it('no module writes a table it does not own', () => {
    const strays = writes
      .filter((w) => owners.get(w.table) !== w.file)
      .filter((w) => !EXCEPTIONS.some((e) => e.file === w.file && e.tables.includes(w.table)))
      .map((w) => `${w.file} writes ${w.table} (owner: ${owners.get(w.table) ?? 'none'})`);
    expect(strays).toEqual([]);
  });

  it('every owner README names writes its table', () => {
    const idle = [...owners].filter(([table, owner]) => !writes.some((w) => w.table === table && w.file === owner));
    expect(idle.map(([table, owner]) => `${owner} does not write ${table}`)).toEqual([]);
  });
});
