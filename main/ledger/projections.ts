// The shred ledger's tables against its chain. The chain 'shred' is the
// record; shred_ledger, shred_papers, shred_batches and shred_batch_items are
// projections of it for the counter's work, and anyone with the SQLite file
// can edit them without touching a hash. Each check below is one SQL query
// that finds the first row (by entry seq) where a table and the chain
// disagree in either direction: a fact of the chain missing from the table,
// or a row the chain does not account for. Papers still being batched are
// not on the chain yet and are not checked.
import type { Db } from '../store/database';
import { SHRED_LOG } from './shred-ledger';

export type ProjectionTable = 'shred_ledger' | 'shred_papers' | 'shred_batches' | 'shred_batch_items';

export type ProjectionCheck = { ok: true; entries: number } | { ok: false; table: ProjectionTable; seq: number | null; detail: string };

const E = `chain_entries e`;
const OF_LOG = `e.log = '${SHRED_LOG}'`;
const TYPE = `json_extract(e.payload, '$.type')`;
/** The chain entry a table row points at by seq. */
const AT = (seq: string) => `LEFT JOIN chain_entries e ON e.log = '${SHRED_LOG}' AND e.seq = ${seq}`;

interface Check {
  table: ProjectionTable;
  /** Returns the first disagreement as (seq, what). */
  sql: string;
}

const CHECKS: Check[] = [
  {
    table: 'shred_ledger',
    sql: `SELECT e.seq, 'the index row of entry ' || e.seq || ' is missing or differs from the entry' FROM ${E}
      LEFT JOIN shred_ledger l ON l.seq = e.seq
      WHERE ${OF_LOG} AND (l.seq IS NULL OR l.kind IS NOT ${TYPE} OR l.at IS NOT e.created_at
        OR l.ref_seq IS NOT json_extract(e.payload, '$.entry')
        OR l.batch_id IS NOT COALESCE(json_extract(e.payload, '$.batch'), (SELECT json_extract(d.payload, '$.batch')
             FROM chain_entries d WHERE d.log = e.log AND d.seq = json_extract(e.payload, '$.entry'))))
      ORDER BY e.seq LIMIT 1`,
  },
  {
    table: 'shred_ledger',
    sql: `SELECT l.seq, 'index row ' || l.seq || ' has no chain entry' FROM shred_ledger l ${AT('l.seq')}
      WHERE e.seq IS NULL ORDER BY l.seq LIMIT 1`,
  },
  {
    table: 'shred_batches',
    sql: `SELECT e.seq, 'batch ' || json_extract(e.payload, '$.batch') || ' is not marked destroyed by entry ' || e.seq FROM ${E}
      LEFT JOIN shred_batches b ON b.id = json_extract(e.payload, '$.batch')
      WHERE ${OF_LOG} AND ${TYPE} = 'destroyed' AND b.destroyed_seq IS NOT e.seq ORDER BY e.seq LIMIT 1`,
  },
  {
    table: 'shred_batches',
    sql: `SELECT b.destroyed_seq, 'batch ' || b.id || ' names entry ' || b.destroyed_seq || ', which is not its destruction' FROM shred_batches b
      ${AT('b.destroyed_seq')}
      WHERE b.destroyed_seq IS NOT NULL AND (e.seq IS NULL OR ${TYPE} IS NOT 'destroyed' OR json_extract(e.payload, '$.batch') IS NOT b.id)
      ORDER BY b.destroyed_seq LIMIT 1`,
  },
  {
    table: 'shred_batch_items',
    sql: `SELECT e.seq, 'paper ' || w.value || ' of entry ' || e.seq || ' is missing from batch ' || json_extract(e.payload, '$.batch') FROM ${E},
      json_each(e.payload, '$.waybills') w
      WHERE ${OF_LOG} AND ${TYPE} = 'destroyed' AND NOT EXISTS (SELECT 1 FROM shred_batch_items i
        WHERE i.batch_id = json_extract(e.payload, '$.batch') AND i.waybill_no = w.value AND i.parcel_id IS NOT NULL)
      UNION ALL
      SELECT e.seq, 'unknown paper ' || w.value || ' of entry ' || e.seq || ' is missing from batch ' || json_extract(e.payload, '$.batch') FROM ${E},
      json_each(e.payload, '$.unknown') w
      WHERE ${OF_LOG} AND ${TYPE} = 'destroyed' AND NOT EXISTS (SELECT 1 FROM shred_batch_items i
        WHERE i.batch_id = json_extract(e.payload, '$.batch') AND i.waybill_no = w.value AND i.parcel_id IS NULL)
      UNION ALL
      SELECT e.seq, 'a count of entry ' || e.seq || ' is missing from batch ' || json_extract(e.payload, '$.batch') FROM ${E},
      json_each(e.payload, '$.counts') c
      WHERE ${OF_LOG} AND ${TYPE} = 'destroyed' AND NOT EXISTS (SELECT 1 FROM shred_batch_items i
        WHERE i.batch_id = json_extract(e.payload, '$.batch') AND i.waybill_no IS NULL
          AND i.sheets = json_extract(c.value, '$.sheets') AND i.note = json_extract(c.value, '$.note'))
      ORDER BY 1 LIMIT 1`,
  },
  {
    table: 'shred_batch_items',
    sql: `SELECT e.seq, 'item ' || i.id || ' of batch ' || i.batch_id || ' is not in its destruction entry ' || e.seq
      FROM shred_batch_items i JOIN shred_batches b ON b.id = i.batch_id ${AT('b.destroyed_seq')}
      WHERE b.destroyed_seq IS NOT NULL AND e.seq IS NOT NULL AND CASE WHEN i.waybill_no IS NULL
        THEN NOT EXISTS (SELECT 1 FROM json_each(e.payload, '$.counts') c
          WHERE json_extract(c.value, '$.sheets') = i.sheets AND json_extract(c.value, '$.note') = i.note)
        ELSE NOT EXISTS (SELECT 1 FROM json_each(e.payload, CASE WHEN i.parcel_id IS NULL THEN '$.unknown' ELSE '$.waybills' END) w
          WHERE w.value = i.waybill_no) END
      ORDER BY e.seq LIMIT 1`,
  },
  {
    table: 'shred_batch_items',
    sql: `SELECT e.seq, 'paper ' || w.value || ' withdrawn by entry ' || e.seq || ' is not marked withdrawn' FROM ${E},
      json_each(e.payload, '$.changes.withdraw') w
      WHERE ${OF_LOG} AND ${TYPE} = 'correction' AND NOT EXISTS (SELECT 1 FROM shred_batch_items i
        WHERE i.batch_id = json_extract(e.payload, '$.batch') AND i.waybill_no = w.value AND i.withdrawn_seq = e.seq)
      UNION ALL
      SELECT i.withdrawn_seq, 'item ' || i.id || ' is marked withdrawn by entry ' || i.withdrawn_seq || ', which does not withdraw it'
      FROM shred_batch_items i ${AT('i.withdrawn_seq')}
      WHERE i.withdrawn_seq IS NOT NULL AND (e.seq IS NULL OR json_extract(e.payload, '$.batch') IS NOT i.batch_id
        OR NOT EXISTS (SELECT 1 FROM json_each(e.payload, '$.changes.withdraw') w WHERE w.value = i.waybill_no))
      ORDER BY 1 LIMIT 1`,
  },
  {
    table: 'shred_papers',
    sql: `SELECT e.seq, 'the paper of parcel ' || json_extract(e.payload, '$.parcel') || ' detached by entry ' || e.seq || ' is missing or differs'
      FROM ${E} LEFT JOIN shred_papers p ON p.parcel_id = json_extract(e.payload, '$.parcel')
      WHERE ${OF_LOG} AND ${TYPE} = 'detached' AND (p.parcel_id IS NULL OR p.entry_seq IS NOT e.seq
        OR p.waybill_no IS NOT json_extract(e.payload, '$.waybill') OR p.reason IS NOT json_extract(e.payload, '$.reason')
        OR p.detached_at IS NOT e.created_at)
      UNION ALL
      SELECT p.entry_seq, 'the paper of parcel ' || p.parcel_id || ' names entry ' || p.entry_seq || ', which did not detach it'
      FROM shred_papers p ${AT('p.entry_seq')}
      WHERE e.seq IS NULL OR ${TYPE} IS NOT 'detached' OR json_extract(e.payload, '$.parcel') IS NOT p.parcel_id
      UNION ALL
      SELECT p.entry_seq, 'the paper of parcel ' || p.parcel_id || ' is ' || p.state || ', which its batches do not say'
      FROM shred_papers p
      WHERE (p.state = 'destroyed') IS NOT EXISTS (SELECT 1 FROM shred_batch_items i JOIN shred_batches b ON b.id = i.batch_id
        WHERE i.waybill_no = p.waybill_no AND i.withdrawn_seq IS NULL AND b.destroyed_seq IS NOT NULL)
      ORDER BY 1 LIMIT 1`,
  },
];

/** The first disagreement between a projection table and the chain, or ok. */
export function checkLedgerProjections(db: Db): ProjectionCheck {
  for (const check of CHECKS) {
    const row = db.prepare(check.sql).raw(true).get() as [number | null, string] | undefined;
    if (row) return { ok: false, table: check.table, seq: row[0], detail: `${check.table}: ${row[1]}` };
  }
  const entries = db.prepare(`SELECT count(*) FROM ${E} WHERE ${OF_LOG}`).pluck().get() as number;
  return { ok: true, entries };
}
