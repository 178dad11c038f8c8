/** The evaluator's own small word lists (independent of the bot's extractors and of chrono): resolutions asked for, dates mentioned. */
import type { Language } from '../../dialogs/types.ts';
import { isoDay } from './fact-sheet.ts';
import { toHans } from './text-script.ts';

// Words that ask for each outcome; loose on purpose (a wider net means fewer details wrongly called spurious).
const RESOLUTION_LEXICON: Record<string, RegExp> = {
  refund: /refund|money back|reimburs|charge ?back|退款|退钱|退货|退费/i,
  replacement: /replac|exchange|new one|swap|换货|换一|更换|换新|调换/i,
  repair: /repair|fix|维修|修理|修好/i,
  apology: /apolog|sorry|道歉|赔礼/i,
  compensation: /compensat|voucher|goodwill|credit|discount|赔偿|补偿/i,
  cancellation: /cancel|close my account|取消|退订|解约/i,
  delivery: /deliver|send|ship|发货|送到|到货/i,
  explanation: /explain|explanation|why|解释|说法|为什么/i,
};

/** The resolution keys whose words appear in `text` (Simplified and Traditional alike). */
export function resolutionsIn(text: string): string[] {
  const t = toHans(text);
  return Object.keys(RESOLUTION_LEXICON).filter((k) => RESOLUTION_LEXICON[k].test(t));
}

/** True when `text` asks for the resolution `key` in any words of the lexicon. */
export function mentionsResolution(text: string, key: string): boolean {
  return RESOLUTION_LEXICON[key]?.test(toHans(text)) ?? false;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const ZH_NUMBERS = '日一二三四五六七八九十';
const EN_NUMBERS = ['a', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const MONTH_NAME = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*';

/**
 * The calendar days (YYYY-MM-DD) a customer's text may mean, read with the evaluator's own short list of date forms
 * (not chrono, which the bot uses: "Sat in the back" is no Saturday here). English: yesterday, today/tonight/this
 * morning, "N days ago", "N weeks/months ago", "last week/month", "on the 19th", "in the last N minutes/hours", a full weekday name (any such day in the last two weeks), "3 March"/"March 3rd", "3/4";
 * Chinese: 昨天, 前天, 今天, N天前, 上周, 上个月, 周X/星期X/礼拜X, X月X日/号. A date without a year may be this year's or last year's. "now" is not a date.
 */
export function datesIn(textIn: string, language: Language, now: Date): string[] {
  const text = (language === 'en' ? textIn : toHans(textIn)).toLowerCase().slice(0, 4000);
  const out = new Set<string>();
  const back = (n: number) => out.add(isoDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() - n, 12)));
  const weekday = (wd: number) => {
    for (let n = 0; n <= 14; n++)
      if (new Date(now.getFullYear(), now.getMonth(), now.getDate() - n, 12).getDay() === wd) back(n);
  };
  const day = (month: number, date: number, year?: string) => {
    if (month < 1 || month > 12 || date < 1 || date > 31) return;
    for (const y of year ? [Number(year)] : [now.getFullYear(), now.getFullYear() - 1])
      out.add(isoDay(new Date(y, month - 1, date, 12)));
  };
  if (language === 'en') {
    if (/\byesterday\b/.test(text)) back(1);
    if (/\b(?:today|tonight|this (?:morning|afternoon|evening))\b/.test(text)) back(0);
    if (/\b(?:last|past) \d+ (?:minutes|hours)\b|\b\d+ (?:minutes|hours) ago\b/.test(text)) {
      back(0);
      back(1);
    }
    for (const m of text.matchAll(/\b(\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten) days? ago\b/g))
      back(/\d/.test(m[1]) ? Number(m[1]) : Math.max(1, EN_NUMBERS.indexOf(m[1])));
    // "1 month ago", "two weeks ago", "last week", "last month": the day that many weeks or months back.
    const monthsBack = (n: number) =>
      out.add(isoDay(new Date(now.getFullYear(), now.getMonth() - n, now.getDate(), 12)));
    for (const m of text.matchAll(/\b(\d{1,2}|an?|one|two|three|four|five|six) (week|month)s? ago\b/g)) {
      const n = /\d/.test(m[1]) ? Number(m[1]) : Math.max(1, EN_NUMBERS.indexOf(m[1]));
      if (m[2] === 'week') back(7 * n);
      else monthsBack(n);
    }
    if (/\blast week\b/.test(text)) back(7);
    if (/\blast month\b/.test(text)) monthsBack(1);
    // "on the 19th", "on 19th": that day of this month or the last.
    for (const m of text.matchAll(
      new RegExp(`\\bon (?:the )?(\\d{1,2})(?:st|nd|rd|th)\\b(?!,? (?:of )?${MONTH_NAME})`, 'g'),
    )) {
      for (const k of [0, 1]) out.add(isoDay(new Date(now.getFullYear(), now.getMonth() - k, Number(m[1]), 12)));
    }
    for (const m of text.matchAll(/\b(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/g))
      weekday(WEEKDAYS.indexOf(m[1]));
    for (const m of text.matchAll(
      new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH_NAME}\\b(?:,? (\\d{4}))?`, 'g'),
    ))
      day(MONTHS.indexOf(m[2]) + 1, Number(m[1]), m[3]);
    for (const m of text.matchAll(new RegExp(`\\b${MONTH_NAME} (\\d{1,2})(?:st|nd|rd|th)?\\b(?:,? (\\d{4}))?`, 'g')))
      day(MONTHS.indexOf(m[1]) + 1, Number(m[2]), m[3]);
    for (const m of text.matchAll(/\b(\d{1,2})\/(\d{1,2})\b/g)) {
      day(Number(m[2]), Number(m[1]));
      day(Number(m[1]), Number(m[2]));
    }
    return [...out];
  }
  if (/昨天|昨日|昨晚/.test(text)) back(1);
  if (/前天/.test(text)) back(2);
  if (/今天|今日|今早|今晚/.test(text)) back(0);
  if (/上周|上星期|上个星期|上礼拜/.test(text) && !/(?:上周|上星期|上礼拜)[一二三四五六日天]/.test(text)) back(7);
  if (/上个月|上月/.test(text)) out.add(isoDay(new Date(now.getFullYear(), now.getMonth() - 1, now.getDate(), 12)));
  for (const m of text.matchAll(/(\d{1,2}|[一二三四五六七八九十])天前/g))
    back(/\d/.test(m[1]) ? Number(m[1]) : ZH_NUMBERS.indexOf(m[1]));
  for (const m of text.matchAll(/(?:周|星期|礼拜)([一二三四五六日天])/g))
    weekday(m[1] === '天' ? 0 : ZH_NUMBERS.indexOf(m[1]));
  for (const m of text.matchAll(/(\d{1,2})月(\d{1,2})[日号]/g)) day(Number(m[1]), Number(m[2]));
  return [...out];
}

/** True when `text` mentions a date the evaluator can read. */
export function hasDate(text: string, language: Language, now: Date): boolean {
  return datesIn(text, language, now).length > 0;
}
