/** Pulls complaint details out of free text: order numbers, dates, amounts, names, products, wanted resolution. */
import { simplifiedOf } from './understand/simplified.ts';
import { cutAtFirst, stripTrailing } from './understand/bounded-text.ts';
import { findDates, isDay } from './understand/dates.ts';
import { productPhraseZh } from './understand/chinese-nlp.ts';
import { productPhrase } from './understand/english-nlp.ts';

// Text reaches these through boundText, so whitespace runs are one space: `\s?`, never `\s*`, between the words.
const ORDER_EN =
  /\b(?:order|booking|account|reference|ref|invoice|tracking|reservation|confirmation|policy|case)\b\s?(?:(?:number|no\.?|num|#|id)\s?)?(?:(?:is|was|:|#)\s?)?(?:#\s?)?([A-Z0-9][A-Z0-9-]{2,24})\b/gi;
const ORDER_HASH = /(?:^|[\s(,])#\s?([A-Z0-9][A-Z0-9-]{2,24})\b/gi;
const ORDER_ZH =
  /(?:订单|订单号|單號|单号|订单编号|編號|编号|账号|账户)\s?(?:(?:号|號|码|碼|是|为|：|:)\s?)?(?:(?:是|为|：|:)\s?)?(?:#\s?)?([A-Z0-9][A-Z0-9-]{2,30})/gi;

const ANSWER_LEAD =
  /^(?:(?:yes|yeah|sure|ok|okay|of course)[,.!]?\s)?(?:(?:it'?s|it is|it was|that'?s)\s|(?:(?:my|the)\s)?(?:(?:order|booking|account|reference)\s)?(?:number|no\.?)\s(?:(?:is|was)\s)?|是\s?)?/i;

const LABELLED_ANSWER =
  /^(?:[A-Za-z]{2,20}(?:\s[A-Za-z]{2,20})?\s?(?:(?:number|no\.?)\s?)?[:#]?\s?([A-Z0-9][A-Z0-9-]{2,30})|\p{Script=Han}{1,6}[:：]?\s?([A-Z0-9][A-Z0-9-]{2,30}))[.!。]?$/iu;

/** The order, booking or account number in `text`, normalised to upper case. */
export function extractOrderNumber(text: string, asked = false): string | undefined {
  // A code is an order number only when it contains a digit ("order is late" must not yield "IS"), so every
  // candidate of every pattern is tried, not just the first match.
  // "#iphone6" is a hashtag, not an order: a code after "#" with lower-case letters is not taken.
  const hashes = [...text.matchAll(ORDER_HASH)].filter((m) => !/[a-z]/.test(m[1]));
  const candidates = [...simplifiedOf(text).matchAll(ORDER_ZH), ...text.matchAll(ORDER_EN), ...hashes];
  const m = candidates.find((c) => /\d/.test(c[1]));
  if (m) return m[1].toUpperCase();
  if (asked) {
    // The answer to "Do you have an order number?": "A123", "It's 32873", "Sure, the number is #4411".
    const bare = text
      .trim()
      .replace(ANSWER_LEAD, '')
      .match(/^#?\s?([A-Z0-9][A-Z0-9-]{2,30})[.!。]?$/i);
    if (bare && /\d/.test(bare[1])) return bare[1].toUpperCase();
    // A number under its own label: "appointment 4411", "ticket 77812", "ASOS 7781234", "訂位代號 QX7781".
    const labelled = LABELLED_ANSWER.exec(text.trim().replace(ANSWER_LEAD, ''));
    const code = labelled?.[1] ?? labelled?.[2];
    if (code && /\d/.test(code)) return code.toUpperCase();
  }
  return undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * The date something happened, as YYYY-MM-DD. Complaints are about the past, so a date without a year that would
 * fall in the future is taken from last year; "the 4th" alone keeps the month of `previous` when there is one.
 */
export function extractDate(text: string, now: Date, previous?: string): string | undefined {
  return readDate(text, now, previous)?.date;
}

/** {@link extractDate}, and whether the date stands for a span the customer named ("last week", "上个月"). */
export function readDate(text: string, now: Date, previous?: string): { date: string; approx: boolean } | undefined {
  const zh = /\p{Script=Han}/u.test(text);
  // A day ("yesterday", "on the fourteenth of November", "last Tuesday") wins over a vague span before it ("in the
  // past week", "last month"): the first day named is when it happened.
  let vague: string | undefined;
  for (const found of findDates(text, zh, now)) {
    const r = found.result;
    // chrono reads bare numbers in "order 4411" as nothing, but "at 5" as a time: a time alone is no date (isDay).
    if (!isDay(found)) continue;
    const d = r.start.date();
    // A weekday alone ("since Monday") is the last one: chrono may read it as the coming one, a week ahead, not a year.
    if (isoDate(d) > isoDate(now) && r.start.isCertain('weekday') && !r.start.isCertain('day'))
      d.setDate(d.getDate() - 7);
    if (d.getTime() > now.getTime() + 86_400_000 && !r.start.isCertain('year')) d.setFullYear(d.getFullYear() - 1);
    if (d.getTime() > now.getTime() + 86_400_000) continue;
    const span =
      !r.start.isCertain('weekday') &&
      /week|month|year|周|週|星期|礼拜|月/.test(found.text) &&
      !/\d\s?[日号號]|\d{1,2}(?:st|nd|rd|th)?\s[a-z]/i.test(found.text);
    // "A few days ago", "几天前": a day chrono picks for a span the customer left open.
    if (!span) return { date: isoDate(d), approx: /\b(?:few|couple|several)\b|几|幾/.test(found.text) };
    vague ??= isoDate(d);
  }
  if (vague) return { date: vague, approx: true };
  const ordinal = /\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b/i.exec(text) ?? /(?<!\d)(\d{1,2})\s?[号號日]/.exec(text);
  if (ordinal) {
    const day = Number(ordinal[1]);
    if (day < 1 || day > 31) return undefined;
    const base = previous ? new Date(`${previous}T12:00:00`) : new Date(now);
    base.setDate(day);
    if (!previous && base.getTime() > now.getTime()) base.setMonth(base.getMonth() - 1);
    return { date: isoDate(base), approx: false };
  }
  return undefined;
}

/** A money amount as written ("$45.99", "120元", "EUR 30"). */
export function extractAmount(text: string): string | undefined {
  const m =
    /[$£€¥￥]\s?\d[\d,]*(?:\.\d{1,2})?|(?<![\d,])\d[\d,]*(?:\.\d{1,2})?\s?(?:usd|gbp|eur|cny|rmb|dollars?|pounds?|euros?|元|块|塊)/i.exec(
      text,
    );
  return m?.[0].trim();
}

const NAME_EN =
  /\b(?:[Mm]y name is|[Mm]y name's|[Nn]ame is|[Nn]ame:|[Tt]his is|I am|I'm|[Cc]all me)\s+([A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+){0,3})/u;
const NAME_ZH =
  /(?:我叫|我的名字是|我的名字叫|姓名[:：]?|名字[:：]?|我是)\s*([\p{Script=Han}]{2,4}|[A-Za-z]+(?:\s[A-Za-z]+)?)/u;
const NOT_NAMES = new Set([
  'very',
  'so',
  'really',
  'not',
  'upset',
  'angry',
  'writing',
  'calling',
  'still',
  'a',
  'the',
  'disappointed',
  'frustrated',
  'unhappy',
  'here',
  'done',
  'sorry',
  'just',
  'trying',
]);

/** A person's name stated in `text`; when the name was just asked for, a short answer is taken as the name. */
export function extractName(text: string, asked = false): string | undefined {
  const en = NAME_EN.exec(text);
  if (en && !NOT_NAMES.has(en[1].split(/\s+/)[0].toLowerCase())) return tidyName(en[1]);
  // "Jo Park, jo@example.com": a capitalised name written just before a contact point.
  const beside = /(?:^|[.,;]\s*)([A-Z][\p{Ll}'-]+(?:\s+[A-Z][\p{Ll}'-]+){1,2}),?\s+(?:\S+@\S+|\+?\d[\d\s-]{6,})/u.exec(
    text,
  );
  if (beside) return tidyName(beside[1]);
  const zh = NAME_ZH.exec(text);
  if (zh && !/^(客户|顾客|消费者|会员|老客户|你们的)/.test(zh[1])) return tidyName(cutAtFirst(zh[1], '，。,.'));
  if (!asked) return undefined;
  // "王美玲，0912345678", "Bob, bob@b.com": the contact points given beside the name are not part of it.
  const words = text.split(/[，,;；\s]+/).filter((w) => w && !/[\d@]/.test(w));
  const t = stripTrailing(words.join(' ').replace(/^(?:it'?s|i'?m|this is|name:?)\s+/i, ''), '.!。！');
  if (/[\d@]/.test(t) || t.length > 40) return undefined;
  if (/^\p{Script=Han}{2,4}$/u.test(t)) return t;
  if (/^[\p{L}'-]+(?:\s+[\p{L}'-]+){0,3}$/u.test(t) && !NOT_NAMES.has(t.toLowerCase())) return tidyName(t);
  return undefined;
}

function tidyName(n: string): string {
  return n
    .trim()
    .split(/\s+/)
    .map((w) => (/^\p{Ll}/u.test(w) ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
}

/** Canonical resolutions the language packs can phrase; anything else is kept in the customer's words. */
export const RESOLUTIONS = [
  'refund',
  'replacement',
  'repair',
  'apology',
  'compensation',
  'cancellation',
  'delivery',
  'explanation',
] as const;
const RESOLUTION_CUES: Array<[(typeof RESOLUTIONS)[number], RegExp]> = [
  // 退货 is goods sent back for the money: a refund, as "return it for a refund" is.
  [
    'refund',
    /\b(refund(ed)?|money back|reimburse\w*|chargeback|credit (it )?back)\b|退款|退钱|退费|把钱退|退货|退\d|退.{0,3}[块元]/i,
  ],
  ['replacement', /\b(replacement|replaced?|new one|exchange|swap)\b|换货|换一个|更换|换新|调换/i],
  ['repair', /\b(repair(ed)?|fix(ed)?)\b|维修|修理|修好/i],
  ['compensation', /\b(compensat\w*|vouchers?|goodwill|(store|account) credit|a credit|discount)\b|赔偿|补偿/i],
  ['apology', /\b(apolog\w+|say sorry)\b|道歉|赔礼/i],
  [
    'cancellation',
    /\b(cancel (my|the) (order|subscription|contract|account|booking)|close my account)\b|取消订单|退订|解约/i,
  ],
  [
    'delivery',
    /\b(deliver (it|my)|send (it|my|the)|just want (my|the) (order|parcel|package))\b|尽快发货|赶紧发货|尽快送到|快点送/i,
  ],
  ['explanation', /\b(explanation|explain)\b|解释|说法|给个说法/i],
];
// A resolution is something asked for: "I want / would like / expect …", "please …", 希望 / 要求 / 请 ….
const REQUEST_EN =
  /\b(want|wants|wanted|would like|'d like|expect|expecting|demand|demanding|need|needs|request|requesting|asking for|ask for|looking for|hoping for|hope for|please|should|can i (get|have)|could i (get|have)|i'd appreciate|give me|get me)\b|^\s?(refund|replace|fix|repair|cancel|send|compensate)\b/i;
const REQUEST_ZH = /希望|要求|想要|我要|请|需要|应该|给我|麻烦|必须/;
// Negation of the request in the same clause: "I don't want a refund", "我不要退款".
const NEGATED =
  /\b(don'?t|do not|doesn'?t|not|no longer|never)\s(?:\w+\s)?(want|need|expect|asking|looking|ask|request)\b|不要|不需要|不想|不用|不是要|并不/i;
const CLAUSE = /[^,;.!?，；。！？\n]+/g;

/**
 * The resolution the customer asks for, as a canonical key (e.g. "refund"), or undefined. Only a clause that asks
 * ("I want a refund", 希望退款) counts, not one that mentions ("they promised a refund", "my credit report"); a negated
 * request ("I don't want a refund") counts for nothing. When the question was just asked, the cue alone is enough.
 */
export function extractResolution(text: string, asked = false): string | undefined {
  const simplified = simplifiedOf(text);
  // Unasked, a wish needs a request ("I want a refund"), or to be all the message says ("a refund please", "退款").
  const bare = /\p{Script=Han}/u.test(simplified)
    ? [...simplified.trim()].length <= 8
    : simplified.length <= 30 && simplified.trim().split(/\s+/).length <= 3;
  for (const clause of simplified.match(CLAUSE) ?? []) {
    if (NEGATED.test(clause)) continue;
    if (!asked && !bare && !REQUEST_EN.test(clause) && !REQUEST_ZH.test(clause)) continue;
    const found = RESOLUTION_CUES.find(([, re]) => re.test(clause));
    if (found) return found[0];
  }
  return undefined;
}

// "On the phone", "nobody answers the phone": how the customer got in touch, not what the complaint is about.
const PRODUCT_EN =
  /(?<!\b(?:on|over|answers?|answering|by)\s)\b(?:my|the|a|an|this|that|your)\s+(?:new\s+|brand new\s+)?((?:[a-z0-9-]+\s){0,2}(?:phone|iphone|laptop|computer|tablet|ipad|tv|television|fridge|freezer|washing machine|dishwasher|heater|water heater|kettle|oven|microwave|shampoo|book|jacket|shirt|dress|shoes?|trainers|sofa|chair|table|mattress|car|bike|headphones|earbuds|watch|camera|printer|router|console|milk|yogurt|yoghurt|coffee|charger|cable|blender|toaster|fan|lamp|vacuum|hoover|boiler|meal|pizza|food|room|hotel room|ticket|flight|subscription|contract|card|account|loan|mortgage|broadband|internet|sim|plan))\b(?!\s+(?:number|no\b|#))/i;
// 手机号 is a phone number, not a phone.
const PRODUCT_ZH =
  /(笔记本电脑|笔电|手机(?!号)|电脑|笔记本|平板|显示器|键盘|鼠标|音箱|投影仪|电视|冰箱|洗衣机|热水器|空调|洗发水|牛奶|酸奶|蒙牛|衣服|裤子|鞋子?|外套|书|水果|苹果|橙子|酒店|房间|航班|机票|火车票|车票|门票|耳机|手表|相机|充电器|路由器|宽带|会员|信用卡|账户)/;

/**
 * The product or service the complaint is about: a common one by name, else the noun phrase the tagger (English) or
 * the segmenter (Chinese) finds marked as the thing bought or owned ("my credit report", 这台机器).
 */
export function extractProduct(text: string): string | undefined {
  return productWithConfidence(text)?.value;
}

/** {@link extractProduct} with how sure the reading is: a listed product 0.85, a noun phrase the tagger or segmenter found 0.65. */
export function productWithConfidence(text: string): { value: string; confidence: number } | undefined {
  const simplified = simplifiedOf(text);
  const zh = PRODUCT_ZH.exec(simplified);
  // Found on the Simplified form, kept as the customer wrote it (吹風機, not 吹风机) when the conversion kept positions.
  const asWritten = (at: number, found: string) =>
    simplified.length === text.length ? text.slice(at, at + found.length) : found;
  if (zh) return { value: asWritten(zh.index, zh[1]), confidence: 0.85 };
  const en = PRODUCT_EN.exec(text);
  if (en) return { value: en[1].toLowerCase(), confidence: 0.85 };
  if (/\p{Script=Han}/u.test(text)) {
    const phrase = productPhraseZh(simplified);
    const at = phrase ? simplified.indexOf(phrase.value) : -1;
    return phrase && at >= 0 ? { ...phrase, value: asWritten(at, phrase.value) } : phrase;
  }
  const phrase = productPhrase(text);
  return phrase ? { value: phrase, confidence: 0.65 } : undefined;
}
