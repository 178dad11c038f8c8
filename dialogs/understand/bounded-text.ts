/**
 * The one place customer text is made safe to read: cut to its limit, well-formed, and with the runs an attacker uses
 * to make patterns and parsers slow (whitespace, repeated symbols, endless digits) folded. Every pattern in dialogs/
 * runs on text that came through here, and each is linear on it (eslint-plugin-regexp checks that in CI).
 */

/** A message as the dialog reads it, with what was lost on the way. */
export interface BoundedText {
  /** The text every extractor reads. */
  text: string;
  /** True when the customer's text was longer than the limit and was cut. */
  cut: boolean;
  /** The customer's text length in UTF-16 units, before the cut. */
  originalChars: number;
}

// Past these lengths a run carries no more meaning for intake: no order number, phone or amount has 33 digits in a
// row, and "!!!!" says what "!!!!!!!!!!!!" says.
const MAX_DIGIT_RUN = 32;
const MAX_SYMBOL_RUN = 3;
const BIDI_OR_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` cut to `maxChars` (never inside a surrogate pair), well-formed, with long runs folded. */
export function boundText(text: string, maxChars: number): BoundedText {
  const originalChars = text.length;
  let t = text;
  let cut = false;
  if (t.length > maxChars) {
    cut = true;
    // Cutting between the halves of a surrogate pair would leave a lone surrogate behind.
    const end = /[\ud800-\udbff]/.test(t[maxChars - 1] ?? '') ? maxChars - 1 : maxChars;
    t = t.slice(0, end);
  }
  t = t.toWellFormed().replace(BIDI_OR_CONTROL, '');
  return { text: foldRuns(t).trim(), cut, originalChars };
}

const isHorizontalSpace = (c: string) => c !== '\n' && /\s/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';
const isSymbol = (c: string) => !/[\p{L}\p{N}\s]/u.test(c);

/**
 * One pass over `text`: runs of spaces and tabs become one space, runs of blank lines one newline, a digit run
 * stops at {@link MAX_DIGIT_RUN}, a run of one symbol at {@link MAX_SYMBOL_RUN}.
 */
export function foldRuns(text: string): string {
  const out: string[] = [];
  let prev = '';
  let run = 0;
  for (const c of text) {
    const space = isHorizontalSpace(c);
    const ch = space ? ' ' : c;
    if (ch === '\n' || ch === ' ') {
      // A space next to a newline, or a second newline, adds nothing.
      if (prev === '\n' || (prev === ' ' && ch === ' ')) continue;
      if (prev === ' ' && ch === '\n') out.pop();
      out.push(ch);
      prev = ch;
      run = 1;
      continue;
    }
    run = isDigit(ch) ? (isDigit(prev) ? run + 1 : 1) : ch === prev ? run + 1 : 1;
    if (isDigit(ch) && run > MAX_DIGIT_RUN) continue;
    if (isSymbol(ch) && ch === prev && run > MAX_SYMBOL_RUN) continue;
    out.push(ch);
    prev = ch;
  }
  return out.join('');
}

/** `text` without trailing characters from `chars` (a loop, not `/[…]+$/`, which is quadratic on a long run). */
export function stripTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return text.slice(0, end);
}

/** `text` without leading characters from `chars`. */
export function stripLeading(text: string, chars: string): string {
  let start = 0;
  while (start < text.length && chars.includes(text[start])) start++;
  return text.slice(start);
}

/** Whitespace characters for {@link stripTrailing} and {@link stripLeading}. */
export const SPACES = ' \n\t\r\u00a0\u3000';

/** `text` up to (not including) the first character from `chars`. */
export function cutAtFirst(text: string, chars: string): string {
  for (let i = 0; i < text.length; i++) if (chars.includes(text[i])) return text.slice(0, i);
  return text;
}
