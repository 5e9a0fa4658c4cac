// A PDF's text as pdftotext (poppler) reads it, and the words in it that a
// person should never read: values as main keeps them (on_shelf, picked_up).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/** Writes the PDF to `file` (kept, for other poppler tools) and returns its text, laid out. */
export function pdfText(bytes: Uint8Array, file: string): string {
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The PDF's text in reading order, every run of white space one space: words a narrow column wrapped read whole again. */
export function pdfWords(bytes: Uint8Array, file: string): string {
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).replace(/\s+/g, ' ');
}

/** snake_case words: a status, kind or step shown as its code. */
export const codeWords = (text: string): string[] => text.match(/(?<![\w./@-])[a-z]+_[a-z_]+(?![\w./@-])/g) ?? [];
