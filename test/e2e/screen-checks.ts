// What the screenshot tour fails on, read from the live page: the page
// scrolling sideways, text cut off inside its element, and text a person
// should never see (an untranslated i18n key, a field or action name).
import type { Page } from '@playwright/test';

export interface ScreenFinding {
  kind: 'overflow' | 'clipped' | 'code-like';
  what: string;
}

/** Words the screens show on purpose that look like code. */
const ALLOWED_WORDS = new Set<string>([]);

/** Runs in the page. Kept free of outside references: Playwright serialises it. */
function inspect([allowed, lang]: [string[], string]): ScreenFinding[] {
  const findings: ScreenFinding[] = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    findings.push({ kind: 'overflow', what: `page ${doc.scrollWidth}px wide in a ${doc.clientWidth}px window` });
  }

  const visible = (el: Element): boolean => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none';
  };
  const describe = (el: Element): string => {
    const label =
      el.getAttribute('aria-label') ??
      (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null) ??
      (el instanceof HTMLInputElement ? el.value : null) ??
      el.textContent ??
      '';
    return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}> "${label.trim().slice(0, 60)}"`;
  };

  /** The part of `rect` its scrolling ancestors let through; null when none does. */
  const clipped = (el: Element, rect: DOMRect): DOMRect | null => {
    let { left, top, right, bottom } = rect;
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflow === 'visible') continue;
      const r = a.getBoundingClientRect();
      left = Math.max(left, r.left);
      top = Math.max(top, r.top);
      right = Math.min(right, r.right);
      bottom = Math.min(bottom, r.bottom);
    }
    return right - left > 0 && bottom - top > 0 ? new DOMRect(left, top, right - left, bottom - top) : null;
  };

  // A table whose last columns are scrolled out of sight.
  for (const table of document.body.querySelectorAll('table')) {
    const box = table.parentElement;
    if (!box || !visible(table)) continue;
    if (box.scrollWidth > box.clientWidth + 1) {
      findings.push({ kind: 'clipped', what: `${describe(table.querySelector('caption') ?? table)}: table ${box.scrollWidth}px wide in ${box.clientWidth}px` });
    }
  }

  // Elements that carry their own words (a text node of their own) or a value, and are not scroll areas on purpose.
  const ownText = (el: Element) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
  for (const el of document.body.querySelectorAll('*')) {
    const control = el instanceof HTMLInputElement || el instanceof HTMLSelectElement;
    if (!control && !ownText(el)) continue;
    if (el instanceof HTMLInputElement && ['checkbox', 'radio', 'file', 'hidden'].includes(el.type)) continue;
    if (el.closest('.visually-hidden') || !visible(el)) continue;
    const s = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && s.display !== 'inline') {
      findings.push({ kind: 'clipped', what: `${describe(el)}: ${el.scrollWidth}px of text in ${el.clientWidth}px` });
    }
  }

  // The words a person reads: each text node shown (one by one, so neighbours do not run
  // together), and the placeholders and labels a reader announces. Text marked
  // translate="no" is data (a device's product name, a key to type), not the app's words.
  const texts: string[] = [];
  const shown = (el: Element | null) => !!el && visible(el) && !el.closest('.visually-hidden, [translate="no"], [hidden]');
  const layered = (el: Element) => !!el.closest('[role="dialog"], [role="alertdialog"], dialog');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const ranges: { el: Element; rect: DOMRect; layer: boolean }[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent ?? '').trim();
    if (!text || !n.parentElement || !visible(n.parentElement) || n.parentElement.closest('.visually-hidden, [hidden]')) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const lines = [...range.getClientRects()];
    const rect = clipped(n.parentElement, range.getBoundingClientRect());
    // The middle half of the line: where the glyphs are, without the line box's empty ascent and descent.
    if (rect) ranges.push({ el: n.parentElement, rect: new DOMRect(rect.x, rect.y + rect.height / 4, rect.width, rect.height / 2), layer: layered(n.parentElement) });
    // A short label with no space of its own broken over lines ("中" over "文").
    const el = n.parentElement.closest('button, th, label, .tab, .badge, .role-chip');
    if (el && !/\s/.test(text) && text.length <= 12 && new Set(lines.map((r) => Math.round(r.top))).size > 1) {
      findings.push({ kind: 'clipped', what: `${describe(el)}: a short label broken over ${lines.length} lines` });
    }
    if (shown(n.parentElement)) texts.push(text);
  }
  for (const el of document.body.querySelectorAll('[placeholder], [aria-label]')) {
    if (!shown(el)) continue;
    for (const a of ['placeholder', 'aria-label']) {
      const v = el.getAttribute(a);
      if (v) texts.push(v);
    }
  }
  // Text drawn over other text: a name hidden under badges, a label under a button.
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i];
      const b = ranges[j];
      const w = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
      const h = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
      if (w <= 2 || h <= 1 || a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el) || a.layer !== b.layer) continue;
      findings.push({ kind: 'clipped', what: `${describe(a.el)} drawn over ${describe(b.el)}` });
    }
  }
  // A select's chosen option wider than the box that shows it.
  const ctx = document.createElement('canvas').getContext('2d');
  for (const sel of document.body.querySelectorAll('select')) {
    if (!ctx || !visible(sel)) continue;
    const st = getComputedStyle(sel);
    ctx.font = `${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
    const option = sel.selectedOptions[0]?.textContent ?? '';
    // Chromium draws the arrow inside the right padding, about one em wide.
    const room = sel.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight) - parseFloat(st.fontSize);
    if (ctx.measureText(option).width > room + 1) findings.push({ kind: 'clipped', what: `${describe(sel)}: option "${option}" cut off` });
  }
  const codeLike = [
    // i18n keys and action names: dotted lower-case words (nav.pickup, parcels.view, purge.dry_run).
    /(?<![\w./@-])[a-z][a-zA-Z]*(?:\.[a-z][a-zA-Z_]*)+(?![\w/@-])/g,
    // snake_case and camelCase identifiers (dry_run, backupFolder).
    /(?<![\w./@-])[a-z]+_[a-z_]+(?![\w./@-])/g,
    /(?<![\w./@-])[a-z]+[A-Z][a-zA-Z]*(?![\w./@-])/g,
    // A key i18next could not find comes back as its own path.
    /\{\{\w+\}\}/g,
  ];
  const allowedSet = new Set(allowed);
  const seen = new Set<string>();
  for (const text of texts) {
    for (const re of codeLike) {
      for (const m of text.matchAll(re)) {
        const word = m[0];
        if (/^(e\.g|i\.e)$/.test(word)) continue;
        // File names a person chose or was given (manifest.csv, station.db) are not code.
        if (allowedSet.has(word) || /\.(csv|pdf|db|png|sig|pem|txt|json)$/i.test(word) || seen.has(word)) continue;
        seen.add(word);
        findings.push({ kind: 'code-like', what: word });
      }
    }
  }
  // In the Chinese UI, an English phrase is a message that skipped the locale files.
  if (lang === 'zh') {
    const english = /[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}/g;
    for (const text of texts) {
      for (const m of text.matchAll(english)) {
        if (allowedSet.has(m[0]) || seen.has(m[0])) continue;
        seen.add(m[0]);
        findings.push({ kind: 'code-like', what: `English in the Chinese UI: ${m[0]}` });
      }
    }
  }
  return findings;
}

export async function inspectScreen(page: Page, lang: 'zh' | 'en'): Promise<ScreenFinding[]> {
  return page.evaluate(inspect, [[...ALLOWED_WORDS], lang] as [string[], string]);
}
