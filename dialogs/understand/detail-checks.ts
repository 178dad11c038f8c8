/** Checks that a detail an LLM found (order number, email, phone, name, date) is in the customer's own text. */
import { z } from 'zod';
import { simplifiedOf } from './simplified.ts';
import { findDates, isDay } from './dates.ts';
import { HAN, normaliseCode, onlyDigits, wordsOf, type Prepared } from './prepared-text.ts';

/**
 * An order number must be one code of the text (returned as written there, upper case: "A-4411"), or up to three
 * adjacent ones written apart ("A 1234", returned as "A1234").
 */
export function orderNumberIn(v: string, t: Prepared): string | undefined {
  const code = normaliseCode(v);
  if (code.length < 3 || !/\d/.test(code)) return undefined;
  for (let i = 0; i < t.codes.length; i++) {
    let joined = '';
    for (let j = i; j < Math.min(i + 3, t.codes.length); j++) {
      joined += t.codes[j].code;
      if (joined === code) return (j === i ? t.codes[i].raw : code).toUpperCase();
      if (joined.length >= code.length) break;
    }
  }
  return undefined;
}

const EMAIL_CHAR = (c: string) => !(c === ' ' || c === '\n' || c === '\t' || '<>()[]{},;:"\'，。；：（）'.includes(c));

/** An email must be an address-shaped token of the text, compared case-insensitively. */
export function emailIn(v: string, t: Prepared): boolean {
  const e = v.normalize('NFKC').toLowerCase();
  if (!z.email().safeParse(e).success) return false;
  let from = 0;
  for (;;) {
    const at = t.lower.indexOf(e, from);
    if (at < 0) return false;
    const before = t.lower[at - 1];
    const after = t.lower[at + e.length];
    // "bob@example.com" is not in "jimbob@example.com"; a sentence's full stop may follow it.
    if (
      (before === undefined || !EMAIL_CHAR(before)) &&
      (after === undefined || !EMAIL_CHAR(after) || (after === '.' && !EMAIL_CHAR(t.lower[at + e.length + 1] ?? ' ')))
    )
      return true;
    from = at + 1;
  }
}

/** A phone number's digits must be a number of the text, allowing a country code added or a trunk 0 dropped. */
export function phoneIn(v: string, t: Prepared): boolean {
  const p = onlyDigits(v);
  if (p.length < 7 || p.length > 17) return false;
  for (const d of t.digits) {
    if (d.length < 7) continue;
    if (d === p) return true;
    const national = d.replace(/^0+/, '');
    if (
      national.length >= 7 &&
      (p.endsWith(national) || national.endsWith(p.replace(/^0+/, ''))) &&
      Math.abs(p.length - national.length) <= 4
    )
      return true;
  }
  return false;
}

/** A name must be in the text as whole words (case-insensitive, punctuation ignored); a Chinese name as written. */
export function nameIn(v: string, t: Prepared): boolean {
  if (/[\d@]/.test(v)) return false;
  const name = wordsOf(simplifiedOf(v).normalize('NFKC'));
  if (!name.length) return false;
  return containsRun(t.words, name);
}

/** A name as people write it: a Latin word in lower case gets a capital ("jo park" → "Jo Park"). */
export function tidyName(v: string): string {
  return v
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((w) => (w[0] >= 'a' && w[0] <= 'z' ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
}

/** True when `needle` occurs in `hay` as consecutive words. */
function containsRun(hay: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * The dates the text's date expressions mean. A date written in full (year, month, day) needs no `now`; others are
 * read as extractDate reads them (a past date, last year's when this year's is still to come), only with `now`.
 */
export function datesIn(t: Prepared, now: Date | undefined): Set<string> {
  const out = new Set<string>();
  const zh = HAN.test(t.text);
  for (const found of findDates(t.text, zh, now)) {
    const r = found.result;
    const s = r.start;
    if (s.isCertain('year') && s.isCertain('month') && s.isCertain('day')) {
      out.add(`${s.get('year')}-${pad(s.get('month') ?? 0)}-${pad(s.get('day') ?? 0)}`);
      continue;
    }
    if (!now) continue;
    // A day as extractDate reads one: not a time alone, "now", a time to come or a duration.
    if (!isDay(found)) continue;
    const d = s.date();
    if (d.getTime() > now.getTime() + 86_400_000 && !s.isCertain('year')) d.setFullYear(d.getFullYear() - 1);
    if (d.getTime() > now.getTime() + 86_400_000) continue;
    out.add(isoDate(d));
  }
  return out;
}
