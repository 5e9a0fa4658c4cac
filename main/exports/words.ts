// The reports' words for values (a parcel's status, a problem's kind, a
// destruction method) come from the app's locale files, Chinese then English,
// so a report never names a thing differently from the screen and never
// shows a value as the code main keeps it under.
import type { ProblemKind } from '../../shared/counter';
import type { ShredMethod } from '../../shared/ipc/ledger';
import type { ParcelStatus } from '../../shared/parcel';
import { en } from '../../shared/i18n/en';
import { enCounter } from '../../shared/i18n/en-counter';
import { enOversight } from '../../shared/i18n/en-oversight';
import { zh } from '../../shared/i18n/zh';
import { zhCounter } from '../../shared/i18n/zh-counter';
import { zhOversight } from '../../shared/i18n/zh-oversight';

const both = (zhWord: string, enWord: string) => `${zhWord} ${enWord}`;

/** A value's words from a pair of dictionaries; a value they do not know (a newer one) as it is. */
function lookUp<K extends string>(zhWords: Record<K, string>, enWords: Record<K, string>, value: string): string {
  return Object.hasOwn(zhWords, value) ? both(zhWords[value as K], enWords[value as K]) : value;
}

/** "在架待取 On shelf". */
export const statusWords = (status: string): string => lookUp<ParcelStatus>(zh.status, en.status, status);

export const problemWords = (kind: string): string => lookUp<ProblemKind>(zhCounter.returns.kinds, enCounter.returns.kinds, kind);

export const methodWords = (method: ShredMethod): string => both(zhOversight.ledger.method[method], enOversight.ledger.method[method]);

/** A destruction record not yet signed off. */
export const PENDING_SIGNOFF = both(zhOversight.ledger.records.pending, enOversight.ledger.records.pending);
