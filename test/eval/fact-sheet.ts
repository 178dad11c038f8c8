/** Made-up fact sheets (name, contact, order number, date, resolution, product) and how a customer says each fact. */
import type { Language } from '../../dialogs/types.ts';
import { between, pick, type Rng } from './rng.ts';
import { toHant } from './text-script.ts';

/** The details the simulator can give; `contact` is an email address or a phone number. */
export type FactField = 'description' | 'product' | 'occurredOn' | 'orderNumber' | 'resolution' | 'name' | 'contact';

/** Canonical resolutions the simulator asks for (the bot's record keeps these keys). */
export type ResolutionKey = 'refund' | 'replacement' | 'repair' | 'apology' | 'compensation' | 'explanation';

/** One customer's facts, and the words they use for them. */
export interface FactSheet {
  language: Language;
  product: string;
  /** The date as said ("last Tuesday", "上周二", "14 March") and every YYYY-MM-DD it may fairly be read as. */
  occurredOn: { said: string; iso: string[] };
  orderNumber: string;
  resolution: ResolutionKey;
  name: string;
  contact: { kind: 'email' | 'phone'; value: string };
}

const EN_NAMES = [
  'Pat Lee',
  'Dana Cruz',
  'Sam Okafor',
  'Jo Park',
  'Alex Moreno',
  'Priya Shah',
  'Chris Novak',
  'Maria Lopez',
  'Tom Becker',
  'Nina Rossi',
  'Omar Haddad',
  'Lucy Grant',
];
const ZH_NAMES = ['李明', '王芳', '张伟', '陈静', '刘洋', '赵敏', '黄磊', '周婷', '吴刚', '孙丽', '郑浩', '何雪'];
const ZH_PINYIN: Record<string, string> = {
  李明: 'liming',
  王芳: 'wangfang',
  张伟: 'zhangwei',
  陈静: 'chenjing',
  刘洋: 'liuyang',
  赵敏: 'zhaomin',
  黄磊: 'huanglei',
  周婷: 'zhouting',
  吴刚: 'wugang',
  孙丽: 'sunli',
  郑浩: 'zhenghao',
  何雪: 'hexue',
};
const RESOLUTIONS: ResolutionKey[] = ['refund', 'replacement', 'repair', 'apology', 'compensation', 'explanation'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEKDAYS_ZH = ['日', '一', '二', '三', '四', '五', '六'];
// English month names from Intl, not from the language pack: the fact sheet is an independent oracle.
const MONTHS_EN = Array.from({ length: 12 }, (_, m) =>
  new Date(Date.UTC(2000, m, 15)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' }),
);

/** Plausible products for an English tweet's domain (the tweets name no product of their own most of the time). */
export const PRODUCTS_BY_DOMAIN: Record<string, string[]> = {
  services: ['broadband service', 'phone contract', 'bank account'],
  software: ['photo app subscription', 'antivirus software', 'music streaming subscription'],
  electronics: ['laptop', 'headphones', 'printer', 'TV'],
  apparel: ['jacket', 'shoes', 'dress'],
  transport: ['train ticket', 'flight', 'bus pass'],
  retail: ['kettle', 'sofa', 'blender'],
  food: ['pizza', 'meal', 'coffee'],
  cars: ['car'],
  other: ['membership', 'gym membership'],
};

/** How each resolution is asked for. */
export const RESOLUTION_WORDS: Record<ResolutionKey, { en: string; zh: string }> = {
  refund: { en: 'a refund', zh: '退款' },
  replacement: { en: 'a replacement', zh: '换货' },
  repair: { en: 'a repair', zh: '维修' },
  apology: { en: 'an apology', zh: '道歉' },
  compensation: { en: 'compensation', zh: '赔偿' },
  explanation: { en: 'an explanation', zh: '给个解释' },
};

const pad = (n: number) => String(n).padStart(2, '0');
/** A local calendar date as YYYY-MM-DD (the bot reads dates in the server's local time too). */
export const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const daysBefore = (now: Date, n: number) => new Date(now.getFullYear(), now.getMonth(), now.getDate() - n, 12);

/** A date phrase and the dates it may be read as: "last <weekday>" is either of the two most recent such days. */
function makeDate(rng: Rng, zh: boolean, now: Date): FactSheet['occurredOn'] {
  const kind = pick(rng, ['weekday', 'weekday', 'explicit', 'yesterday'] as const);
  if (kind === 'yesterday') return { said: zh ? '昨天' : 'yesterday', iso: [isoDay(daysBefore(now, 1))] };
  if (kind === 'explicit') {
    const d = daysBefore(now, between(rng, 5, 50));
    return {
      said: zh ? `${d.getMonth() + 1}月${d.getDate()}日` : `${d.getDate()} ${MONTHS_EN[d.getMonth()]}`,
      iso: [isoDay(d)],
    };
  }
  const wd = between(rng, 1, 5);
  const back = (now.getDay() - wd + 7) % 7 || 7;
  return {
    said: zh ? `上周${WEEKDAYS_ZH[wd]}` : `last ${WEEKDAYS_EN[wd]}`,
    iso: [isoDay(daysBefore(now, back)), isoDay(daysBefore(now, back + 7))],
  };
}

/** A made-up fact sheet for a customer writing `language`, about `product`; `resolution` when the text already asks for one. */
export function makeFactSheet(
  rng: Rng,
  language: Language,
  product: string,
  now: Date,
  resolution?: ResolutionKey,
): FactSheet {
  const zh = language !== 'en';
  const i = between(rng, 0, EN_NAMES.length - 1);
  const name = zh ? ZH_NAMES[i] : EN_NAMES[i];
  const email = zh
    ? `${ZH_PINYIN[ZH_NAMES[i]]}${between(rng, 10, 99)}@example.com`
    : `${name.toLowerCase().replace(' ', '.')}@example.com`;
  const phone =
    language === 'en'
      ? `+1 415 555 01${between(rng, 10, 99)}`
      : language === 'zh-Hans'
        ? `139${between(rng, 1000, 9999)}${between(rng, 1000, 9999)}`
        : `09${between(rng, 10, 89)} ${between(rng, 100, 999)} ${between(rng, 100, 999)}`;
  const contact = rng() < 0.5 ? { kind: 'email' as const, value: email } : { kind: 'phone' as const, value: phone };
  const orderNumber =
    rng() < 0.7
      ? String(between(rng, 10_000, 99_999))
      : `${pick(rng, ['A', 'K', 'T'])}${between(rng, 100_000, 999_999)}`;
  const sheet: FactSheet = {
    language,
    product,
    occurredOn: makeDate(rng, zh, now),
    orderNumber,
    resolution: resolution ?? pick(rng, RESOLUTIONS),
    name: zh && language === 'zh-Hant' ? toHant(name) : name,
    contact,
  };
  return sheet;
}

/** The same facts for a reader of Traditional Chinese: words converted, a Taiwan mobile number instead of a mainland one. */
export function toTraditionalSheet(s: FactSheet, rng: Rng): FactSheet {
  const contact =
    s.contact.kind === 'phone'
      ? {
          kind: 'phone' as const,
          value: `09${between(rng, 10, 89)} ${between(rng, 100, 999)} ${between(rng, 100, 999)}`,
        }
      : s.contact;
  return {
    ...s,
    language: 'zh-Hant',
    product: toHant(s.product),
    name: toHant(s.name),
    occurredOn: { ...s.occurredOn, said: toHant(s.occurredOn.said) },
    contact,
  };
}

const zhOut = (s: FactSheet, text: string) => (s.language === 'zh-Hant' ? toHant(text) : text);

/** The customer's answer when asked for `field` (a short, natural reply in the case's language and script). */
export function answerFor(s: FactSheet, field: FactField, rng: Rng): string {
  const r = RESOLUTION_WORDS[s.resolution];
  if (s.language === 'en') {
    const c = s.contact.value;
    const byField: Record<Exclude<FactField, 'description'>, string[]> = {
      product: [`It's my ${s.product}.`, `The ${s.product}.`, `My ${s.product}`],
      occurredOn: [`${cap(s.occurredOn.said)}.`, `It happened ${s.occurredOn.said}.`],
      orderNumber: [s.orderNumber, `Order number ${s.orderNumber}.`, `It's ${s.orderNumber}`],
      resolution: [`${cap(r.en)}, please.`, `I'd like ${r.en}.`],
      name: [s.name, `My name is ${s.name}.`, `It's ${s.name}`],
      contact: s.contact.kind === 'email' ? [c, `You can email me at ${c}`] : [c, `Call me on ${c}`],
    };
    return pick(rng, byField[field as Exclude<FactField, 'description'>]);
  }
  const c = s.contact.value;
  const byField: Record<Exclude<FactField, 'description'>, string[]> = {
    product: [s.product, `是${s.product}`, `买的${s.product}`],
    occurredOn: [s.occurredOn.said, `${s.occurredOn.said}的事`],
    orderNumber: [s.orderNumber, `订单号是${s.orderNumber}`],
    resolution: [r.zh, `希望${r.zh}`, `我要${r.zh}`],
    name: [s.name, `我叫${s.name}`],
    contact: s.contact.kind === 'email' ? [c, `邮箱 ${c}`] : [c, `手机 ${c}`],
  };
  return zhOut(s, pick(rng, byField[field as Exclude<FactField, 'description'>]));
}

/** Several details at once, appended to the first message: what they say and which fields that gives. */
export function volunteer(s: FactSheet, rng: Rng, allowDate: boolean): { text: string; fields: FactField[] } {
  const pool: FactField[] = ['orderNumber', 'resolution', ...(allowDate ? (['occurredOn'] as FactField[]) : [])];
  const fields = pool.filter(() => rng() < 0.75);
  if (!fields.length) fields.push('orderNumber');
  // A name with a contact point is the usual sign-off; sometimes one of them alone.
  const who = pick(rng, [['name', 'contact'], ['name', 'contact'], ['contact'], ['name']] as FactField[][]);
  const r = RESOLUTION_WORDS[s.resolution];
  const c = s.contact.value;
  if (s.language === 'en') {
    const parts: string[] = [];
    if (fields.includes('orderNumber') && fields.includes('resolution'))
      parts.push(`My order number is ${s.orderNumber} and I'd like ${r.en}.`);
    else if (fields.includes('orderNumber')) parts.push(`Order number ${s.orderNumber}.`);
    else parts.push(`I'd like ${r.en}.`);
    if (fields.includes('occurredOn')) parts.push(`This happened ${s.occurredOn.said}.`);
    if (who.length === 2)
      parts.push(s.contact.kind === 'email' ? `${s.name}, ${c}` : `My name is ${s.name}, you can call me on ${c}.`);
    else if (who[0] === 'name') parts.push(`My name is ${s.name}.`);
    else parts.push(s.contact.kind === 'email' ? `My email is ${c}` : `My number is ${c}.`);
    return { text: parts.join(' '), fields: [...fields, ...who] };
  }
  const parts: string[] = [];
  if (fields.includes('orderNumber')) parts.push(`订单号是${s.orderNumber}`);
  if (fields.includes('occurredOn')) parts.push(`是${s.occurredOn.said}的事`);
  if (fields.includes('resolution')) parts.push(`希望${r.zh}`);
  const point = s.contact.kind === 'email' ? `邮箱 ${c}` : `电话 ${c}`;
  const sign = who.length === 2 ? `我叫${s.name}，${point}` : who[0] === 'name' ? `我叫${s.name}` : point;
  return { text: zhOut(s, `${parts.join('，')}。${sign}`), fields: [...fields, ...who] };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
