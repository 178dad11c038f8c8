/**
 * A correction of one word: "it's a tablet, not a phone", "$25 not $20", "是芒果不是火龙果". The customer keeps their
 * story and swaps one thing in it, so the story is kept with the word swapped, instead of the correction becoming the
 * whole story. Text arrives cut by boundText; each part is at most a few words, and each step is one pass.
 */
import { stripTrailing } from './bounded-text.ts';

const MAX_WORDS = 5;
const MAX_HAN = 12;
const LEAD_EN = /^(?:(?:no|nope|not quite|wrong)[\s,.!]*)?(?:(?:it|that)(?:'s|\sis|\swas)\s)?/i;
const ARTICLE = /^(?:an?|the|my|your)\s/i;

/** The swap a correction names, `{ wrong, right }`, or undefined when it is not a one-thing correction. */
export function swapIn(text: string): { wrong: string; right: string } | undefined {
  const t = text.trim();
  if (/\p{Script=Han}/u.test(t)) return swapZh(t.replace(/^(?:不对|不是的|错了)[\s,，。！!]*/, ''));
  const at = ` ${t.toLowerCase()}`.indexOf(' not ');
  if (at < 0) return undefined;
  const before = tidy(t.slice(0, Math.max(0, at - 1)).replace(LEAD_EN, ''));
  const after = t.slice(at + ' not '.length - 1);
  // "not a parcel, a letter": the wrong thing first, the right one after the comma.
  if (!before) {
    const comma = after.indexOf(',');
    return comma < 0 ? undefined : pair(tidy(after.slice(comma + 1)), tidy(after.slice(0, comma)));
  }
  return pair(before, tidy(after));
}

/** The swap when both sides are short; the right side is cut to as many words as the wrong one ("it deleted my notes"
 * for "my photos" is "notes"): what stands in the story is swapped for the thing, not for the clause around it. */
function pair(right: string, wrong: string): { wrong: string; right: string } | undefined {
  const rightWords = right.split(/\s+/).filter(Boolean);
  if (!short(wrong) || !rightWords.length || rightWords.length > MAX_WORDS + 1) return undefined;
  const size = wrong.split(/\s+/).filter(Boolean).length;
  return { wrong, right: tidy(rightWords.slice(-size).join(' ')) };
}

function tidy(part: string): string {
  return stripTrailing(part, ' .!?,;').trim().replace(ARTICLE, '');
}

function short(part: string): boolean {
  const words = part.split(/\s+/).filter(Boolean).length;
  return words >= 1 && words <= MAX_WORDS;
}

function swapZh(t: string): { wrong: string; right: string } | undefined {
  const body = stripTrailing(t, '。！!，, ');
  // 是芒果不是火龙果 / 芒果，不是火龙果
  let at = body.indexOf('不是');
  if (at > 0) {
    const right = stripTrailing(body.slice(0, at).replace(/^是/, ''), '，, ');
    const wrong = body.slice(at + 2);
    if (fitsZh(right) && fitsZh(wrong)) return { wrong, right };
  }
  // 不是火龙果，是芒果
  if (at === 0) {
    at = body.indexOf('是', 2);
    if (at > 2) {
      const wrong = stripTrailing(body.slice(2, at), '，, 而');
      const right = body.slice(at + 1);
      if (fitsZh(right) && fitsZh(wrong)) return { wrong, right };
    }
  }
  return undefined;
}

function fitsZh(part: string): boolean {
  return part.length >= 1 && part.length <= MAX_HAN;
}

/** `story` with `wrong` swapped for `right` (first place, whole words in English), or undefined when it is not there. */
export function swapped(story: string, swap: { wrong: string; right: string }): string | undefined {
  const at = story.toLowerCase().indexOf(swap.wrong.toLowerCase());
  if (at < 0) return undefined;
  const end = at + swap.wrong.length;
  const word = /[\p{L}\p{N}]/u;
  const han = /\p{Script=Han}/u.test(swap.wrong);
  if (!han && ((at > 0 && word.test(story[at - 1])) || (end < story.length && word.test(story[end])))) return undefined;
  return story.slice(0, at) + swap.right + story.slice(end);
}
