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
const CUE_EN = /\d|yesterday|today|tonight|last|ago|week|month|year|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|noon|morning|evening|night/i;
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
  return found;
}
