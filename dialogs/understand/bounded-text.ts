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
// Control characters go; bidi controls stay, so the ticket says what the customer wrote. They are stripped where
// customer text is rendered (src/text/sanitize.ts), not here.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

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
  t = t.toWellFormed().replace(CONTROL, '');
  return { text: foldRuns(t).trim(), cut, originalChars };
}

// Spaces by code unit (what \s matches, newline apart), tested without a regular expression: this runs on every
// character of every message.
function isHorizontalSpace(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 13 ||
    c === 11 ||
    c === 12 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
const isDigit = (c: number) => c >= 48 && c <= 57;
const SYMBOL = /[^\p{L}\p{N}\s]/u;

/**
 * One pass over `text`: runs of spaces and tabs become one space, runs of blank lines one newline, a digit run
 * stops at {@link MAX_DIGIT_RUN}, a run of one symbol at {@link MAX_SYMBOL_RUN}. Unchanged stretches are copied whole.
 */
export function foldRuns(text: string): string {
  const out: string[] = [];
  let from = 0; // start of the stretch not yet copied
  let prev = -1; // the last code unit kept (32 for any space, 10 for a newline)
  let run = 0; // length of the current digit run, or of the current run of one character
  const drop = (i: number, replacement = '') => {
    if (i > from) out.push(text.slice(from, i));
    if (replacement) out.push(replacement);
    from = i + 1;
  };
  for (let i = 0; i < text.length; i++) {
    const raw = text.charCodeAt(i);
    const c = isHorizontalSpace(raw) ? 32 : raw;
    if (c === 32 || c === 10) {
      if (prev === 10 || (prev === 32 && c === 32)) {
        drop(i);
        continue;
      }
      if (prev === 32 && c === 10) {
        // "a \n" → "a\n": the space kept just before is taken back (it is the last character copied or pending).
        if (i > from) out.push(text.slice(from, i - 1));
        else out[out.length - 1] = out[out.length - 1].slice(0, -1);
        from = i;
      }
      if (c !== raw) drop(i, ' ');
      prev = c;
      run = 1;
      continue;
    }
    run = isDigit(c) ? (isDigit(prev) ? run + 1 : 1) : c === prev ? run + 1 : 1;
    if (run > MAX_DIGIT_RUN && isDigit(c)) {
      drop(i);
      continue;
    }
    if (run > MAX_SYMBOL_RUN && c === prev && SYMBOL.test(text[i])) {
      drop(i);
      continue;
    }
    prev = c;
  }
  if (from < text.length) out.push(text.slice(from));
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
