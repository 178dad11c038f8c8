/** Checks of an LLM's wording against the customer's text: a request asked for, words shared, nothing invented, no copy. */
import { simplifiedOf } from './simplified.ts';
import { HAN, wordsOf, type Prepared } from './prepared-text.ts';

// Asking for something: a verb of wanting, or a remedy named outright.
const REQUEST_EN =
  /\b(?:want|wanted|wants|would like|i'd like|i’d like|we'd like|expect|expecting|need|needs|demand|demanding|ask for|asking for|request|requesting|please|refund|reimburse|money back|replace|replacement|exchange|repair|fix|compensate|compensation|voucher|cancel|apologise|apologize|apology|explain|explanation)\b/gi;
const REQUEST_ZH =
  /希望|要求|请求|请你们|请尽快|想要|我要|需要|退款|退钱|退货|换货|更换|换一个|维修|修理|赔偿|补偿|道歉|取消|退订|解释|说法|尽快/g;
// "I don't want a refund", "不需要退款": a cue shortly after a negation, in the same clause, asks for nothing.
const NEGATIONS_EN = new Set(['not', 'never', 'no']);
const NEGATION_ZH = '不没沒别別无無';
const CLAUSE_STOPS = ',.;:!?，。；：！？\n';

/** The clause before `index` in `text`, at most `max` characters. */
function clauseBefore(text: string, index: number, max: number): string {
  let start = index;
  while (start > 0 && index - start < max && !CLAUSE_STOPS.includes(text[start - 1])) start--;
  return text.slice(start, index);
}

/** True when the text asks for something: a request cue that does not follow a negation. */
export function asksForSomething(t: Prepared): boolean {
  for (const m of t.text.matchAll(REQUEST_EN)) {
    const words = clauseBefore(t.text, m.index ?? 0, 40)
      .toLowerCase()
      .replaceAll('’', "'")
      .split(' ')
      .filter(Boolean)
      .slice(-4);
    if (!words.some((w) => NEGATIONS_EN.has(w) || w.endsWith("n't"))) return true;
  }
  for (const m of t.simplified.matchAll(REQUEST_ZH)) {
    const before = clauseBefore(t.simplified, m.index ?? 0, 3);
    if (![...before].some((c) => NEGATION_ZH.includes(c))) return true;
  }
  return false;
}

const STOP_WORDS = new Set(
  'a an the my our your their his her its this that these those some any of for to in on at by with from and or but is was are were be been it i we you me us they them one new brand very just also not no'.split(
    ' ',
  ),
);
/** A word and its forms without a plural ending ("boxes" → box, boxe; "kettles" → kettle, kettl). */
const forms = (w: string): string[] => [
  w,
  ...(w.length > 3 && w.endsWith('s') ? [w.slice(0, -1)] : []),
  ...(w.length > 4 && w.endsWith('es') ? [w.slice(0, -2)] : []),
];

/** True when `v` and the text share a content word: a Latin word (plural "s" aside) or two Chinese characters in a row. */
export function sharesWord(v: string, t: Prepared): boolean {
  const words = wordsOf(simplifiedOf(v).normalize('NFKC'));
  const stems = new Set([...t.wordSet].filter((w) => !HAN.test(w)).flatMap(forms));
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (HAN.test(w)) {
      const next = words[i + 1];
      if (next && HAN.test(next) && t.simplified.includes(w + next)) return true;
    } else if (!STOP_WORDS.has(w) && forms(w).some((f) => stems.has(f))) {
      return true;
    }
  }
  return false;
}

// Numbers of four or more digits (order numbers, phones, years) and email addresses, in a restatement or summary.
const LONG_NUMBER = /(?<!\d)\d{4,}/g;
const EMAIL_LIKE =
  /(?<![^\s<>()[\]{},;:"'，。；：（）])[^\s<>()[\]{},;:"'，。；：（）@]*@[^\s<>()[\]{},;:"'，。；：（）]*/g;

/** True when `v` holds no number of 4+ digits and no email address that the text lacks. */
export function nothingInvented(v: string, t: Prepared): boolean {
  const s = v.normalize('NFKC');
  for (const m of s.matchAll(LONG_NUMBER)) if (!t.digits.has(m[0])) return false;
  for (const m of s.matchAll(EMAIL_LIKE)) {
    let e = m[0].toLowerCase();
    while (e.length && '.!?。！？'.includes(e[e.length - 1])) e = e.slice(0, -1);
    if (e.length > 1 && !t.lower.includes(e)) return false;
  }
  return true;
}

/** Words in a copied run that make it a copy. */
const COPY_RUN_WORDS = 5;

/**
 * True when more than half of `v`'s words lie in runs of {@link COPY_RUN_WORDS} or more words that also occur, in
 * order, in the text. A Chinese character weighs half a word. O(|v|·|text|) in words, at most 400 × 4,000 steps.
 */
export function isCopy(v: string, t: Prepared): boolean {
  const r = wordsOf(simplifiedOf(v).normalize('NFKC'));
  if (!r.length) return false;
  const weight = (w: string) => (HAN.test(w) ? 0.5 : 1);
  const prefix = [0];
  for (const w of r) prefix.push(prefix[prefix.length - 1] + weight(w));
  const total = prefix[r.length];
  const covered = new Array<boolean>(r.length).fill(false);
  // run[j]: length of the common run ending at r[i] and t.words[j] (longest common suffix), one row at a time.
  let prev = new Uint16Array(t.words.length + 1);
  let cur = new Uint16Array(t.words.length + 1);
  for (let i = 0; i < r.length; i++) {
    let longest = 0;
    for (let j = 0; j < t.words.length; j++) {
      cur[j + 1] = r[i] === t.words[j] ? prev[j] + 1 : 0;
      if (cur[j + 1] > longest) longest = cur[j + 1];
    }
    if (longest && prefix[i + 1] - prefix[i + 1 - longest] >= COPY_RUN_WORDS)
      for (let k = i + 1 - longest; k <= i; k++) covered[k] = true;
    [prev, cur] = [cur, prev];
  }
  let copied = 0;
  for (let k = 0; k < r.length; k++) if (covered[k]) copied += weight(r[k]);
  return copied > total / 2;
}
