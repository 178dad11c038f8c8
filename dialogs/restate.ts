/** Builds the restatement: the complaint retold in the second person from the record, not echoed verbatim. */
import type { ComplaintRecord, Language } from './types.ts';
import type { LanguagePack } from './language/pack.ts';
import { extractName, extractResolution } from './extract.ts';
import { isGreeting } from './intents.ts';
import { replaceOnSimplified, simplifiedOf } from './understand/simplified.ts';
import { findDates, isDay } from './understand/dates.ts';
import { SPACES, stripLeading, stripTrailing } from './understand/bounded-text.ts';
import {
  hazardDetail,
  hazardSentence,
  namesHazard,
  problemKinds,
  type ProblemKind,
} from './understand/problem-frames.ts';
import { cancelledThing, damageDetail, moneyThing } from './understand/problem-details.ts';
import { splitSentences } from './understand/sentences.ts';
import { storyCore, tidyStory } from './understand/story-text.ts';

const GREETING_LEAD =
  /^\s?(?:(?:hi|hello|hey)(?:\s(?:there|guys|team|all|folks|everyone))?|dear(?:\s\w+(?:\s\w+)?)?|good (?:morning|afternoon|evening)|你好|您好)[\s,，!！.:：]*/i;
// Sentences that only hand over contact details ("my email is ...", "call me on ...") are not the story. A product
// named "phone" is, so the words must be about a number or an address, not the device.
// "客服电话号码一直打不通" mentions a number but hands none over: only a sentence giving one is left out.
const DETAIL_ONLY =
  /\b(my name is|name:|e-?mail (me|address)|my e-?mail is|my (phone|mobile|contact) number|(phone|mobile|contact) number is|my number is|call me (on|at)|reach me)\b|我叫|我的名字|(?:邮箱|电话号码|电话|手机号码|手机号|手机)(?:是|为|：|:)|(?:电话|手机)(?:号码?)?\s?\+?\d{5}/i;
// An introduction leading a sentence that goes on to the story ("My name is John Carter, …", "我叫王芳，…").
const INTRO_EN =
  /^(?:[Mm]y name is|[Mm]y name's|[Tt]his is|I am|I'm)\s[A-Z][\p{L}'-]{0,30}(?:\s[A-Z][\p{L}'-]{0,30}){0,3}(?:\s?,\s?|\s(?:and|here)\s|\s?[-–—]\s?)/u;
const INTRO_ZH = /^(?:我叫|我的名字是|我的名字叫)[\p{Script=Han}A-Za-z·]{1,8}[，,]\s?/u;
const MAX = 220;
// Details the restatement states separately are cut from the account, so it does not say them twice.
// Text reaches these through boundText (whitespace runs are one space), so `\s?` joins words, never `\s*`.
const WANT_CLAUSE_EN =
  /,?\s?(?:(?:and|so|but)\s)?(?:I|we)(?:\s(?:want|would like|need|expect|demand|am asking for|are asking for)|'d like)\b(?:[^.!?,;\s]|\s(?!(?:and|but|because|so|as|while|yet)\s))*/gi;
const WANT_CLAUSE_ZH =
  /[，,]?\s?(?:所以)?(?:我|我们)?(?:要|想要|希望|要求|需要)(?:退款|退货|换货|换一个|维修|赔偿|道歉|补偿|退钱|取消)[^，。！？]*/g;
const ORDER_REF =
  /(order|booking|account|reference|ref|invoice|订单|订单号|单号)\s?(?:(?:number|no\.?|num|id|号|號)\s?)?(?:(?:is|was|:|：|#|是|为)\s?)?(?:#\s?)?[A-Z-]*\d[A-Z0-9-]*，?/gi;
// The word an English reference starts with, kept when its number is cut ("my order" stays, "#4411" goes).
const ORDER_WORD = /^[a-z]+/i;
const BARE_HASH = /\s?#\s?[A-Z-]*\d[A-Z0-9-]*/gi;
const ORDER_AFTER_PREPOSITION =
  /\s(?:from|with|for|on|in|of|under)\s(?:(?:my|the|your)\s)?(?:order|booking|account|reference|ref|invoice)\s?(?:(?:number|no\.?|#)\s?)?(?:[:#]\s?)?(?:#\s?)?[A-Z-]*\d[A-Z0-9-]*/gi;
// The words that lead into a date ("on", "since the") are looked for in a short window before it: a pattern anchored
// at the end of the whole text before the date would be rescanned for every date.
const DATE_LEAD = /\s?(?:\b(?:on|at|in|since|from|over|during|for)(?:\sthe)?\s?)?$/i;

// Each pattern reads the Simplified form and cuts the customer's own words (replaceOnSimplified): 要求退貨 and 訂單號
// are cut from a Traditional story as 要求退货 and 订单号 are from a Simplified one.
function stripDetails(text: string): string {
  const zh = /\p{Script=Han}/u.test(text);
  // Only a clause that asks for a resolution ("I want a refund") is cut; "I need to stop wearing…" is the story.
  let out = replaceOnSimplified(text, zh ? WANT_CLAUSE_ZH : WANT_CLAUSE_EN, (clause) =>
    extractResolution(clause) ? '' : clause,
  );
  out = cutDates(out, zh);
  out = out.replace(ORDER_AFTER_PREPOSITION, '');
  out = replaceOnSimplified(out, ORDER_REF, (m) => (zh ? '' : (ORDER_WORD.exec(m)?.[0] ?? ''))).replace(BARE_HASH, '');
  // "my parcel, order #A123, never arrived" leaves a bare ", order," behind: drop it with its commas; "the blender
  // (order 55231) started smoking" leaves "(order)", and a Chinese "（订单号 88123）" an empty pair: drop them too.
  out = out
    .replace(/,\s?(?:order|booking|account|reference|ref|invoice)\s?,\s?/gi, ' ')
    .replace(/\s?\(\s?(?:order|booking|account|reference|ref|invoice)\s?\)/gi, '')
    .replace(/\s?[(（]\s?[)）]/g, '')
    // "…after the update, order." and "ordered, order" once the number went; "billed on monday AND tuesday" once the
    // days went: the word or the "and" left at the end of a clause.
    // "money in my account" keeps its account: a word after "my" or "the" is the customer's own.
    .replace(
      /,?\s?(?<!\b(?:my|your|our|the|his|her|their|this|that|an?)\s)\b(?:order|booking|account|reference|ref|invoice|and|or)(?=\s?[.!?;,]|$)/gi,
      '',
    )
    .replace(/([.!?])\s?,\s?/g, '$1 ');
  out = out
    .replace(/\s+/g, ' ')
    .replace(/ ([,.!?，。])/g, '$1')
    .replace(/[，,]\s?[，,]/g, '，');
  out = stripTrailing(stripLeading(out, `${SPACES},，`), `${SPACES},，`).replace(/^(?:and|but|so)\s/i, '');
  // "订单号 88123 的吸尘器坏了" without its number starts with the particle that tied them: "吸尘器坏了".
  return zh && out.startsWith('的') ? out.slice(1) : out;
}

/** `text` without the dates chrono finds in it (and the preposition before each), cut by position in one pass. */
function cutDates(text: string, zh: boolean): string {
  const parts: string[] = [];
  let at = 0;
  // Chinese dates are found on the Simplified form (上週 as 上周); positions are the same unless the conversion changed
  // the length, and then the Simplified text is what is cut.
  const read = zh ? simplifiedOf(text) : text;
  if (read.length !== text.length) text = read;
  for (const r of findDates(read, zh)) {
    // Only a day is cut: "一点" in "电池一点都不耐用" is chrono's one o'clock, and part of the story.
    if (r.index < at || !isDay(r)) continue;
    let start = r.index;
    if (!zh) {
      const before = text.slice(Math.max(at, start - 16), start);
      start -= DATE_LEAD.exec(before)?.[0].length ?? 0;
    }
    parts.push(text.slice(at, start));
    at = r.index + r.text.length;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** The part of a customer's message that says what happened, trimmed of greetings, contact details and the ask. */
export function describe(text: string): string | undefined {
  // Email addresses are masked first: their dots are not sentence ends.
  // An address has a name before its @ and a dot after it; ".@nvidiacc" and "@ZARA_Care" are handles, part of the story.
  const masked = tidyStory(text)
    .replace(
      /(?<!\S)[^\s@]*[\p{L}\p{N}]@[^\s@.]+\.[^\s@]+/gu,
      (m) => `\u0001${m.slice(stripTrailing(m, '.,;!?').length)}`,
    )
    .replace(GREETING_LEAD, '');
  // "My name is John Carter, the blender I bought broke": the introduction goes, the story after it stays.
  const sentences = splitSentences(masked)
    .filter((s) => s !== '\u0001')
    .map((s) => {
      const rest = s.replace(/\p{Script=Han}/u.test(s) ? INTRO_ZH : INTRO_EN, '');
      return rest !== s && /\p{L}{2}/u.test(rest) ? rest : s;
    });
  const story = sentences.filter(
    (s) =>
      !isGreeting(s) &&
      !DETAIL_ONLY.test(simplifiedOf(s)) &&
      !s.includes('\u0001') &&
      !(extractName(s) && s.split(/\s+/).length <= 6),
  );
  const kept = story.filter(
    (s) =>
      !(
        extractResolution(s) &&
        s.split(/\s+/).length <= 8 &&
        /\b(want|would like|need|expect|demand)\b|要求|希望|想要/i.test(s)
      ),
  );
  // A message that is only the ask ("I want a refund, order 77 was wrong") is still the story; one that is only
  // greetings and contact details has no account of what happened.
  const use = kept.length ? kept : story;
  if (!use.length) return undefined;
  const chosen = stripTrailing(
    stripDetails(
      use
        .slice(0, 2)
        .join(' ')
        .replace(/\u0001/g, ''),
    ),
    `.!?。！？${SPACES}`,
  );
  if (!chosen) return undefined;
  if (chosen.length <= MAX) return chosen;
  const cut = chosen.slice(0, MAX);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX - 40))}…`;
}

const ORDER_PROBLEMS = new Set<ProblemKind>([
  'damaged',
  'not_arrived',
  'delayed',
  'missing_item',
  'wrong_item',
  'cancelled',
  'charged_wrong',
  'double_charged',
]);

/**
 * The restatement for `record`, in the pack's language: what went wrong in our own words when the story shows which
 * kind of problem it is (problem-frames.ts), else the story itself retold in the second person; then what it is
 * about, when, and what the customer wants.
 */
export function restate(record: ComplaintRecord, pack: LanguagePack, language: Language, now: Date): string {
  // Chinese pronoun swapping works on Simplified text; Traditional readers get it converted back on render.
  const desc = unshout(language === 'en' ? record.description : record.description && simplifiedOf(record.description));
  // The kinds of problem are read on the story kept as the description, then on everything the customer said: the
  // description keeps two sentences, and "my train was cancelled" may be the fourth.
  const words = record.customerWords.join('\n');
  const kinds = desc ? problemKinds(`${desc}\n${language === 'en' ? words : simplifiedOf(words)}`) : [];
  const order = record.orderNumber;
  const product =
    record.product && pack.toSecondPerson(language === 'en' ? record.product : simplifiedOf(record.product));
  const subject =
    language === 'en'
      ? product && order
        ? `your ${product.replace(/^(your|our|the|a|an)\s+/i, '')} (order ${order})`
        : order
          ? `your order ${order}`
          : product
            ? `your ${product.replace(/^(your|our|the|a|an)\s+/i, '')}`
            : undefined
      : product && order
        ? `${product}（订单号 ${order}）`
        : order
          ? `订单 ${order}`
          : product;
  // No kind of problem fits: the core of the story (its complaint clause), retold in the second person.
  let what = desc ? pack.toSecondPerson(storyCore(desc, language !== 'en')) : '';
  let about = subject;
  // A safety risk is said back as the customer put it ("your new kettle caught fire in the kitchen"): staff and the
  // customer need the exact hazard, which a paraphrase would blur. The frame is for a hazard named only later on.
  // When the sentence is too long to say back whole and its hazard falls outside the part kept, the frame says it.
  const hazard = kinds[0] === 'unsafe' && desc ? hazardSentence(desc) : undefined;
  const hazardCore = hazard && storyCore(hazard, language !== 'en');
  if (hazardCore && namesHazard(hazardCore)) what = pack.toSecondPerson(hazardCore);
  else if (kinds.length) {
    // The product leads the first problem ("your kettle (order 4411) arrived damaged"); a second one refers back. An
    // order alone leads only problems an order can have ("your order 4411 has not reached you", not "… has been down").
    const lead =
      product || ORDER_PROBLEMS.has(kinds[0]) ? (language === 'en' ? subject : subject && `您的${subject}`) : undefined;
    const detail = language === 'en' && kinds.includes('damaged') ? damageDetail(desc!) : undefined;
    const hazards = kinds.includes('unsafe') ? hazardDetail(`${desc}\n${words}`, pack.and) : undefined;
    const parts = kinds.map((k, i) =>
      pack.problems[k](
        i === 0 ? lead : lead && (language === 'en' ? 'it' : '它'),
        k === 'damaged'
          ? detail
          : k === 'unsafe'
            ? hazards
            : k === 'cancelled' && language === 'en'
              ? cancelledThing(desc!)
              : k === 'money_missing'
                ? moneyThing(desc!)
                : undefined,
      ),
    );
    what = parts.join(pack.and);
    if (lead && parts[0].includes(lead)) about = undefined;
  }
  return pack.restate({
    what,
    subject: about,
    when: record.occurredOn
      ? (record.occurredApprox ? pack.formatApproxDate : pack.formatDate)(record.occurredOn, now)
      : undefined,
    want: record.resolution ? (pack.resolutions[record.resolution] ?? pack.wish(record.resolution)) : undefined,
    amount: record.amount,
  });
}

/**
 * A story typed in capitals is said back in lower case ("THE MICROWAVE CAUGHT FIRE" would come back "tHE MICROWAVE you
 * BOUGHT…"), and runs of "!!!" or "??" as one mark: the restatement is our calm voice, not an echo of the shouting.
 */
function unshout(story: string | undefined): string | undefined {
  if (!story) return story;
  const letters = story.match(/\p{L}/gu)?.length ?? 0;
  const upper = story.match(/\p{Lu}/gu)?.length ?? 0;
  const calm = letters >= 12 && upper / letters > 0.6 ? story.toLowerCase() : story;
  return calm.replace(/([!?！？])[!?！？]+/g, '$1');
}
