/**
 * Reads a 1–5 score out of a survey reply, in English or Chinese: "4", "4/5", "4 out of 5", "four", "4分", "四分",
 * "五星", "★★★★", and, with no number at all, satisfaction words ("very satisfied", "不满意"). Every pattern runs on
 * text that is already bounded and lower-cased Simplified, and is linear (no nested or ambiguous quantifiers).
 */

/** A piece of a reply understood as an answer: its value and where it lies in the text read. */
export interface Found<T> {
  value: T;
  start: number;
  end: number;
}

const WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };
const HAN: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };
const valueOf = (s: string) => WORDS[s] ?? HAN[s] ?? Number(s);

// A number with its scale: "4/5", "4 out of 5", "4 stars", "four stars", "4分", "四颗星" (not 五分钟, 一分钱, 一星期).
const MARKED =
  /(?<![\d.])([1-5])(?:\.0)?\s?(?:\/\s?5(?!\d)|out of (?:5|five)\b|分(?![钟钱])|颗?星(?!期)|stars?\b|points?\b)|\b(one|two|three|four|five)(?: out of (?:5|five)\b|\/5(?!\d)| stars?\b| points?\b)|([一二两三四五])(?:分(?![钟钱])|颗?星(?!期))/;
// A number on its own: kept only where it stands as an answer (see standsAlone), not "the 2 parts" or "3 days".
const BARE = /(?<![\w.,:/#-])([1-5])(?![\w:/-]|[.,]\d)|\b(one|two|three|four|five)\b(?!-)|([一二两三四五])/g;
const HAN_CHAR = /\p{Script=Han}$/u;
const DELIMITER_BEFORE = /[,，.。!！;；:：\n(（—–~-]$/;
const DELIMITER_AFTER = /^[,，.。!！;；:：\n)）—–~-]/;
// Words a bare score follows or is followed by: "I'd give it a 4", "yes 5", "4 thanks", "3 because …".
const BEFORE_WORD =
  /\b(?:a|say|score|scores|rating|rate|give|gave|it|you|us|of|is|was|be|about|maybe|probably|yes|yeah|no|nope|thanks|ok|okay|solved|resolved|fixed|sorted)$/;
const AFTER_WORD = /^(?:and|but|yes|yeah|no|nope|not|thanks|thank|thx|cheers|because|as|from|overall|for|though)\b/;
// Han characters that make a number a count or an ordinal rather than a score: 3天, 2次, 第3…
const COUNT_AFTER = /^[天次个周月年号日点元块件岁楼层位分星期]/;

/** Whether the bare number at [start, end) of `t` stands as an answer rather than as part of a sentence. */
function standsAlone(t: string, start: number, end: number, han: boolean): boolean {
  const lead = t.slice(Math.max(0, start - 24), start).trimEnd();
  const tail = t.slice(end, end + 24).trimStart();
  if (han) return !HAN_CHAR.test(lead) && !HAN_CHAR.test(tail.slice(0, 1));
  const before =
    lead === '' ||
    DELIMITER_BEFORE.test(lead) ||
    BEFORE_WORD.test(lead) ||
    (HAN_CHAR.test(lead) && !lead.endsWith('第'));
  const after =
    tail === '' ||
    DELIMITER_AFTER.test(tail) ||
    AFTER_WORD.test(tail) ||
    (HAN_CHAR.test(tail.slice(0, 1)) && !COUNT_AFTER.test(tail));
  return before && after;
}

// Satisfaction in words, strongest first; negations before the words they negate ("不满意" before "满意").
const FEELINGS: Array<[RegExp, number]> = [
  [
    /\b(?:terrible|awful|horrible|appalling|furious|disgusted|very (?:unhappy|dissatisfied|disappointed|bad|poor)|not (?:happy|satisfied|pleased) at all)\b|非常不满意|很不满意|极不满意|太差|很差|非常差|糟糕|垃圾/,
    1,
  ],
  [
    /\b(?:not (?:very |really |entirely |completely |fully |too )?(?:happy|satisfied|pleased|good)|unhappy|dissatisfied|disappointed|poor)\b|(?<!not )\bbad\b|不太满意|不满意|不是很(?:满意|好)|不怎么(?:满意|样)|不好(?!意思)/,
    2,
  ],
  [/\b(?:so-so|average|neutral|meh|mediocre)\b|一般|还行|凑合|马马虎虎/, 3],
  [
    /\b(?:excellent|perfect|brilliant|fantastic|amazing|outstanding|very (?:happy|satisfied|pleased|good)|(?:completely|totally|fully|really|extremely) (?:happy|satisfied|pleased))\b|非常满意|很满意|十分满意|特别满意|太好了|非常好|完美/,
    5,
  ],
  [/\b(?:happy|satisfied|pleased|great|good|not bad)\b|满意|不错|挺好|很好/, 4],
];

/** The score in `t` (lower-case, Simplified): a marked number, else a number standing alone, else feelings. */
export function findScore(t: string): Found<number> | undefined {
  const stars = /[★⭐]+☆*/u.exec(t);
  if (stars) {
    const n = [...stars[0]].filter((c) => c !== '☆').length;
    if (n <= 5) return { value: n, start: stars.index, end: stars.index + stars[0].length };
  }
  if (t.includes('满分')) return { value: 5, start: t.indexOf('满分'), end: t.indexOf('满分') + 2 };
  const marked = MARKED.exec(t);
  if (marked) {
    const value = valueOf(marked[1] ?? marked[2] ?? marked[3]);
    return { value, start: marked.index, end: marked.index + marked[0].length };
  }
  const bare: Array<Found<number>> = [];
  for (const m of t.matchAll(BARE)) {
    const end = m.index + m[0].length;
    if (standsAlone(t, m.index, end, m[3] !== undefined)) bare.push({ value: valueOf(m[0]), start: m.index, end });
  }
  // Two different numbers standing alone ("3 or 4") are no answer: better to ask than to guess.
  if (bare.length && bare.every((b) => b.value === bare[0].value)) return bare[0];
  if (bare.length) return undefined;
  for (const [re, value] of FEELINGS) {
    const m = re.exec(t);
    if (m) return { value, start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}
