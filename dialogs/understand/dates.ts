/** Dates in customer text through chrono, read in short windows so that its cost stays linear in the text. */
import * as chrono from 'chrono-node';

/** One date chrono found, with its position in the whole text. */
export interface FoundDate {
  index: number;
  text: string;
  result: chrono.ParsedResult;
}

// chrono backtracks on long runs (whitespace, Chinese numerals, punctuation): a 4,000-character run of "一" took half
// a second and "订单" + 4,000 spaces two minutes. So it reads windows of a clause at most DATE_WINDOW long, only those
// with something a date is made of, and at most MAX_WINDOWS of them (a complaint names a handful of dates).
const DATE_WINDOW = 160;
const STEP = 120;
const MAX_WINDOWS = 24;
const CUE_EN =
  /\d|yesterday|today|tonight|last|ago|week|month|year|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|noon|morning|evening|night/i;
const CUE_ZH = /[\d年月日号號周週星期昨今前天晚早午点點时時分礼禮拜]/;
const CLAUSE_END = '.!?。！？\n;；';

/** Clauses of `text` as [start, end) ranges, long ones split into overlapping windows. */
function windows(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !CLAUSE_END.includes(text[i])) continue;
    for (let s = start; s < i; s += STEP) {
      out.push([s, Math.min(i + 1, s + DATE_WINDOW, text.length)]);
      if (s + DATE_WINDOW >= i) break;
    }
    start = i + 1;
  }
  return out;
}

/** The dates in `text` in order, without overlaps; `now` is the reference for relative dates. */
export function findDates(text: string, zh: boolean, now?: Date): FoundDate[] {
  const parser = zh ? chrono.zh : chrono.en;
  const cue = zh ? CUE_ZH : CUE_EN;
  const found: FoundDate[] = [];
  let read = 0;
  let end = 0;
  for (const [s, e] of windows(text)) {
    const part = text.slice(s, e);
    if (!cue.test(part)) continue;
    if (++read > MAX_WINDOWS) break;
    for (const r of parser.parse(part, now)) {
      const index = s + r.index;
      // Overlapping windows see the same date twice; the first sighting wins.
      if (index < end) continue;
      found.push({ index, text: r.text, result: r });
      end = index + r.text.length;
    }
  }
  return zh ? withChineseRelative(text, found, now) : found;
}

// Relative dates chrono's Chinese parser does not read ("上周", "上个月", "三天前"), read as chrono's English parser
// reads their English equivalent, so "上周" and "last week" give the same date.
const ZH_RELATIVE =
  /上上?(?:周|週|星期|个星期|個星期|礼拜|禮拜)(?![一二三四五六日天1-7])|上(?:个|個)?月|(?:[一二两兩三四五六七八九十]{1,3}|\d{1,3}|几|幾)(?:天|日)(?:之)?前|前(?:几|幾)天/g;
const NUMERALS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  兩: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};

/** "三", "十二", "二十" and "12" as numbers. */
function chineseNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  if (s.length === 1) return NUMERALS[s] ?? 0;
  const ten = s.indexOf('十');
  if (ten < 0) return 0;
  return (ten === 0 ? 1 : (NUMERALS[s[0]] ?? 0)) * 10 + (ten === s.length - 1 ? 0 : (NUMERALS[s[s.length - 1]] ?? 0));
}

function englishFor(phrase: string): string | undefined {
  if (/^上上/.test(phrase)) return '2 weeks ago';
  if (/^上.*(?:周|週|星期|礼拜|禮拜)$/.test(phrase)) return 'last week';
  if (/月$/.test(phrase)) return 'last month';
  if (/^前/.test(phrase) || /^[几幾]/.test(phrase)) return 'a few days ago';
  const n = chineseNumber(phrase.replace(/(?:天|日)(?:之)?前$/, ''));
  return n > 0 && n <= 366 ? `${n} days ago` : undefined;
}

function withChineseRelative(text: string, found: FoundDate[], now?: Date): FoundDate[] {
  const extra: FoundDate[] = [];
  for (const m of text.matchAll(ZH_RELATIVE)) {
    if (extra.length >= MAX_WINDOWS) break;
    const index = m.index ?? 0;
    if (found.some((f) => index < f.index + f.text.length && f.index < index + m[0].length)) continue;
    const english = englishFor(m[0]);
    const r = english ? chrono.en.parse(english, now)[0] : undefined;
    if (r) extra.push({ index, text: m[0], result: r });
  }
  return extra.length ? [...found, ...extra].sort((a, b) => a.index - b.index) : found;
}

// A complaint is about the past: "by tomorrow" and "within 12 hours" are what the customer expects, "now" is no date.
const NOT_WHEN =
  /\b(?:tomorrow|tonight|next|within|now|currently|in\s(?:\d|a\s|an\s|one\s|two\s|three\s))|明天|明日|后天|後天|下周|下週|下个|下個|以内|之内|现在|目前/i;
// "for 2 minutes" and "after 2hours" are how long, not when: chrono reads them as a time today.
const DURATION =
  /^(?:(?:for|after|over)\s)?(?:\d{1,4}|an?|one|two|three|few)\s?(?:minutes?|mins?|hours?|hrs?|seconds?|secs?)$/i;

/**
 * Whether chrono's reading is a day something happened on (a date, a weekday, "yesterday"), not a time of day alone
 * ("一点", "at 5"), a time to come ("by tomorrow"), "now", or a duration ("for 2 minutes").
 */
export function isDay(d: FoundDate): boolean {
  const r = d.result;
  if (NOT_WHEN.test(d.text) || DURATION.test(d.text)) return false;
  return (
    r.start.isCertain('day') ||
    r.start.isCertain('weekday') ||
    /yesterday|today|ago|last|this (?:morning|afternoon|evening)|昨|今|前|上/.test(d.text)
  );
}
