// Free text typed at the counter (an unmask reason, a ledger note) goes into
// the audit chain and the signed exports in clear. Rather than seal it (the
// auditor reads it, and exports print it), text that holds a phone number or
// a resident ID number is refused, with full-width digits and separators
// folded first so "138 0013 8000" or "１３８…" do not slip through.
import { AppError } from '../../shared/errors';

const PHONE = /(?<![\dA-Za-z])(?:(?:\+?86)?1[3-9]\d{9}|0\d{9,11})(?![\dA-Za-z])/;
/** GB 11643 resident ID: region, birth date (19xx/20xx), sequence, check digit. */
const RESIDENT_ID = /(?<![\dA-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/;

export function assertNoPersonalData(text: string | undefined, field: string): void {
  if (!text) return;
  const folded = text.normalize('NFKC').replace(/(\d)[\s\-()]+(?=\d)/g, '$1');
  if (PHONE.test(folded) || RESIDENT_ID.test(folded)) throw new AppError('PERSONAL_DATA_IN_NOTE', field);
}
