/**
 * A customer's story made fit to retell: web residue tidied away (HTML entities, links, trailing hashtags, emoticons,
 * sign-offs), and, for a story no kind of problem fits, its core — the most complaint-like sentence cut at a clause —
 * so the restatement says what went wrong in a few words instead of echoing the whole message.
 */
import { decodeHTML } from 'entities';
import { splitSentences } from './sentences.ts';

const LINK = /\b(?:https?:\/\/|www\.)\S+/gi;
// Emoticons and emoji say how the customer feels, which the apology answers; they are not the story.
const EMOTICON = /(?<!\S)[:;=]-?[()DPp/\\|]+(?!\S)|\p{Extended_Pictographic}\uFE0F?/gu;
const INLINE_TAG = /(?<!\S)#(?=[\p{L}_])/gu;
// Hashtags after the last word ("… not even 1. #badservice #badproduct") are labels, not the story; sign-offs and
// pleas at the end ("help! thanks") are what the whole message is. Both are taken off word by word from the end (a
// pattern anchored at the end would be tried from every position).
const TAG = /^#[\p{L}\p{N}_]+$/u;
const LEADING_HANDLE = /^\.?@\w+[:,]?$/;
const SIGN_OFFS = new Set([
  'thanks',
  'thank you',
  'thank you so much',
  'thanks so much',
  'thx',
  'tks',
  'ty',
  'cheers',
  'lol',
  'help',
  'please help',
  'please help me',
  'pls help',
  'help please',
  'help me',
]);
const TRAILING_PUNCTUATION = '.!?,-:;…';

/** `text` with HTML entities decoded and links, trailing hashtags, emoticons and a closing sign-off taken out. */
export function tidyStory(text: string): string {
  const words = decodeHTML(text).replace(LINK, ' ').replace(EMOTICON, ' ').split(/\s+/).filter(Boolean);
  // "@FC_Help Hi, …", ".@nvidiacc …": the handles a message opens with address it, they are not the story.
  while (words.length > 1 && LEADING_HANDLE.test(words[0])) words.shift();
  const bare = (w: string) => stripEnd(w.toLowerCase());
  for (let taken = true; taken && words.length;) {
    taken = false;
    const last = words[words.length - 1];
    if (TAG.test(stripEnd(last)) || (words.length > 1 && !/[\p{L}\p{N}]/u.test(last))) {
      words.pop();
      taken = true;
      continue;
    }
    // A sign-off of up to four words ("thank you so much").
    for (let n = Math.min(4, words.length - 1); n >= 1; n--) {
      if (SIGN_OFFS.has(words.slice(-n).map(bare).join(' '))) {
        words.splice(-n);
        taken = true;
        break;
      }
    }
  }
  return stripEnd(words.join(' ').replace(INLINE_TAG, ''), ',-:;').trim() || words.join(' ');
}

/** `t` without the punctuation in `chars` (default: sentence ends and separators) at its end. */
function stripEnd(t: string, chars = TRAILING_PUNCTUATION): string {
  let end = t.length;
  while (end > 0 && chars.includes(t[end - 1])) end--;
  return t.slice(0, end);
}

// What marks the sentence that carries the complaint: a negation or a word for something gone wrong.
const COMPLAINT_CUE =
  /\b(?:not|no|never|nothing|nobody|cannot|\w+n't|still|again|wrong|bad|poor|worse|worst|broken?|ripped|torn|lost|missing|late|invalid|denied|refused|impossible|unable|problems?|issues?|faulty|pathetic|disappoint\w*|lacking|charged|waiting|stopped|failed|useless)\b|不|没|坏|差|慢|假|错|破|烂|漏|失望|问题/i;
// Clause boundaries a long sentence is cut at: the first clause says what went wrong, the rest why or what else.
// "even though" is one boundary: cut at "though", the clause would end in "even".
const CLAUSE_BREAK =
  /,\s|;\s|\s-\s|\s(?:but|and|because|so|which|when|while|although|even though|even if|even when|though)\s|，|；/g;
const MAX_WORDS_EN = 16;
const MAX_CHARS_ZH = 24;

/**
 * The core of `story` for a restatement no kind of problem fits: in the first sentence with a complaint cue (else the
 * first), the first clause with the cue, led by the clauses before it that still fit in about 16 words (24 characters
 * in Chinese); a clause longer than that alone is cut there, with "…".
 */
export function storyCore(story: string, zh: boolean): string {
  const sentences = splitSentences(story).filter((s) => /[\p{L}\p{N}]/u.test(s));
  if (!sentences.length) return story;
  const sentence = stripPlease(sentences.find((s) => COMPLAINT_CUE.test(s)) ?? sentences[0]);
  const size = zh ? (t: string) => [...t].length : (t: string) => t.split(' ').filter(Boolean).length;
  const max = zh ? MAX_CHARS_ZH : MAX_WORDS_EN;
  if (size(sentence) <= max) return sentence;
  // Clause i spans [starts[i], starts[i + 1]) including the boundary that ends it.
  const starts = [0, ...[...sentence.matchAll(CLAUSE_BREAK)].map((m) => m.index + m[0].length)];
  const clause = (i: number) => sentence.slice(starts[i], starts[i + 1] ?? sentence.length);
  let k = 0;
  while (k < starts.length - 1 && !COMPLAINT_CUE.test(clause(k))) k++;
  if (!COMPLAINT_CUE.test(clause(k))) k = 0;
  let from = k;
  while (from > 0 && size(sentence.slice(starts[from - 1], starts[k + 1] ?? sentence.length)) <= max) from--;
  const core = stripBoundary(sentence.slice(starts[from], starts[k + 1] ?? sentence.length));
  if (size(core) <= max) return core;
  return zh ? `${[...core].slice(0, max).join('')}…` : `${core.split(' ').slice(0, max).join(' ')}…`;
}

// "Please, …" asks; the restatement tells.
const PLEASE_LEAD = /^(?:please|pls|plz)[\s,]+/i;
const stripPlease = (t: string) => {
  const rest = t.replace(PLEASE_LEAD, '');
  return rest ? rest[0].toUpperCase() + rest.slice(1) : t;
};

// The boundary left at the end of a clause (", but", "，") goes with the clause that followed it.
const END_BOUNDARY =
  /(?:,|;|\s-|\s(?:but|and|because|so|which|when|while|although|even though|even if|even when|though)|，|；)\s?$/;
const stripBoundary = (t: string) => t.replace(END_BOUNDARY, '').trim();
