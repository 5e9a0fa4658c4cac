// Every column holding a value sealed under the station key, with the context
// its MAC binds (`${context}#${rowId}`). Key rotation re-encrypts exactly
// these; test/integration/lifecycle-rotation.test.ts fails when the schema
// gains a BLOB column that is neither listed here nor known to hold no sealed
// value, so a new sealed column cannot be missed by a rotation.

export interface SealedColumn {
  table: string;
  column: string;
  context: string;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'parcels', column: 'name_ct', context: 'parcels.name' },
  { table: 'parcels', column: 'phone_ct', context: 'parcels.phone' },
  { table: 'parcels', column: 'address_ct', context: 'parcels.address' },
  { table: 'parcels', column: 'masked_ct', context: 'parcels.masked' },
  { table: 'handovers', column: 'proxy_note_ct', context: 'handovers.proxy_note' },
  { table: 'handovers', column: 'undo_reason_ct', context: 'handovers.undo_reason' },
  { table: 'problem_flags', column: 'note_ct', context: 'problem_flags.note' },
  { table: 'print_jobs', column: 'payload', context: 'print_jobs.payload' },
  { table: 'users', column: 'totp_secret_ct', context: 'users.totp' },
  { table: 'dsr_requests', column: 'subject_ct', context: 'dsr_requests.subject' },
  { table: 'incidents', column: 'reporter_ct', context: 'incidents.reporter' },
  { table: 'incidents', column: 'description_ct', context: 'incidents.description' },
  { table: 'incidents', column: 'root_cause_ct', context: 'incidents.root_cause' },
  { table: 'incidents', column: 'remediation_ct', context: 'incidents.remediation' },
  { table: 'incident_steps', column: 'note_ct', context: 'incident_steps.note' },
  { table: 'notify_credentials', column: 'secret_ct', context: 'notify_credentials.secret' },
  { table: 'notify_optouts', column: 'phone_ct', context: 'notify_optouts.phone' },
  { table: 'stocktakes', column: 'note_ct', context: 'stocktakes.note' },
  { table: 'handover_photos', column: 'photo_ct', context: 'handover_photos.photo' },
];

export const sealedContext = (column: SealedColumn, id: number): string => `${column.context}#${id}`;

/** The sealed columns grouped by table, in the order above. */
export function sealedTables(): { table: string; columns: SealedColumn[] }[] {
  const out: { table: string; columns: SealedColumn[] }[] = [];
  for (const c of SEALED_COLUMNS) {
    const group = out.find((g) => g.table === c.table);
    if (group) group.columns.push(c);
    else out.push({ table: c.table, columns: [c] });
  }
  return out;
}
