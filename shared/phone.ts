// Phone numbers as written on waybills: "+86 138 0000 1111", "86-138…",
// "0086…", "138-0000-1111", landlines "010-12345678", and virtual numbers
// with an extension "13800001111-1234" / "13800001111转1234".

export interface ParsedPhone {
  /** The number without country prefix, separators or extension. */
  digits: string;
  /** Extension of a virtual (privacy) number, if any. */
  ext: string | null;
}

const EXT_SEPARATOR = /\s*(?:转|ext\.?|x|#|,)\s*/i;

function stripCountryPrefix(s: string): string {
  const m = /^(?:\+\s*86|0086|86(?=[\s-]))[\s-]*/.exec(s);
  return m ? s.slice(m[0].length) : s;
}

// "8613800001111", "86138 0000 1111": 86 glued to a mobile; 13 digits can't be domestic.
const dropGluedCountryCode = (d: string): string => (/^861\d{10}$/.test(d) ? d.slice(2) : d);

const isCompleteNumber = (d: string): boolean => /^1\d{10}$/.test(d) || /^0\d{9,11}$/.test(d);
const isPlausible = (d: string): boolean => /^\d{7,12}$/.test(d);

export function parsePhone(raw: string): ParsedPhone | null {
  // NFKC folds full-width digits, "＋", "－" and brackets typed with a Chinese IME.
  const s = stripCountryPrefix(raw.normalize('NFKC').trim());
  if (!s || /[^\d\s\-+()转extEXT.#,]/.test(s)) return null;

  const explicit = s.split(EXT_SEPARATOR);
  if (explicit.length === 2) {
    const digits = dropGluedCountryCode(explicit[0].replace(/[\s\-()]/g, ''));
    const ext = explicit[1].replace(/\D/g, '');
    return isPlausible(digits) && /^\d{1,6}$/.test(ext) ? { digits, ext } : null;
  }
  if (explicit.length > 2) return null;

  const groups = s.replace(/[()]/g, '').split(/[\s-]+/).filter(Boolean);
  if (groups.some((g) => !/^\d+$/.test(g))) return null;
  if (groups.length > 1) {
    const head = dropGluedCountryCode(groups.slice(0, -1).join(''));
    const last = groups[groups.length - 1];
    // A short trailing group after a complete number is an extension, not part of it.
    if (isCompleteNumber(head) && last.length <= 6) return { digits: head, ext: last };
  }
  const digits = dropGluedCountryCode(groups.join(''));
  return isPlausible(digits) ? { digits, ext: null } : null;
}

/** Last four digits of the number proper: what customers say at the counter. */
export function phoneTail(p: ParsedPhone): string {
  return p.digits.slice(-4);
}
