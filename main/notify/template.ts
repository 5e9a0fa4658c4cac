// Pickup notices in the providers' approved-template form: a template code
// plus named parameters. The parameters a template may use are a fixed list of
// station facts (name, pickup codes, opening hours, a short link, days left),
// so a notice cannot carry a recipient's name, address or item: there is no
// parameter to put them in. The template's text is the station's copy of what
// the provider approved; it renders the preview, the manual list and the
// webhook's text, and its order of parameters is the order Tencent Cloud's
// positional templates expect.
import { AppError } from '../../shared/errors';
import { assertNoPersonalData } from '../audit/personal-text';

export const TEMPLATE_FIELDS = ['station', 'codes', 'hours', 'link', 'days'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

export interface NoticeTemplate {
  /** The provider's approved template id (Alibaba `SMS_…`, Tencent's number; free text for a webhook). */
  code: string;
  /** The approved wording with `{field}` placeholders. */
  text: string;
}

/** What a notice may say: station facts only. */
export type NoticeFacts = Record<TemplateField, string>;

export interface RenderedNotice {
  templateCode: string;
  /** Named parameters, in the order the template uses them. */
  params: [TemplateField, string][];
  /** The wording as the recipient reads it. */
  text: string;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The template's parameters in order of first use; anything else is refused. */
export function templateFields(t: NoticeTemplate): TemplateField[] {
  if (!t.code.trim() || !t.text.trim()) throw new AppError('NOTIFY_TEMPLATE_INVALID', 'empty');
  const fields: TemplateField[] = [];
  for (const [, name] of t.text.matchAll(PLACEHOLDER)) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(name)) throw new AppError('NOTIFY_TEMPLATE_INVALID', name);
    if (!fields.includes(name as TemplateField)) fields.push(name as TemplateField);
  }
  // The fixed wording is station text too: no number or ID typed into it.
  assertNoPersonalData(t.text, 'template');
  return fields;
}

export function renderNotice(t: NoticeTemplate, facts: NoticeFacts): RenderedNotice {
  const fields = templateFields(t);
  return {
    templateCode: t.code.trim(),
    params: fields.map((f) => [f, facts[f]]),
    text: t.text.replace(PLACEHOLDER, (_, name: TemplateField) => facts[name]),
  };
}

/** Several pickup codes in one parameter; providers cap a parameter's length, so long lists are cut with a count. */
export function joinCodes(codes: readonly string[], max = 35): string {
  const all = codes.join(',');
  if (all.length <= max) return all;
  const shown: string[] = [];
  for (const c of codes) {
    const next = [...shown, c].join(',') + `等${codes.length}件`;
    if (next.length > max) break;
    shown.push(c);
  }
  return `${shown.join(',')}等${codes.length}件`;
}
