/**
 * Reads one reply to the satisfaction survey, in any order and form: "4, yes thanks", "四分，解决了", "not solved at all,
 * 1", "★★★★ fully solved, the engineer was great". The score and the yes/no are found wherever they are; what is left
 * that says something is the comment, in the customer's own words. Pure and linear: no I/O, no nested quantifiers.
 */
import { SPACES, stripLeading, stripTrailing } from './understand/bounded-text.ts';
import { simplifiedOf } from './understand/simplified.ts';
import type { SurveyAnswers, SurveyQuestion } from './survey-config.ts';
import { findScore, type Found } from './survey-score.ts';

/** What one reply answered: by question id, and the overall score, solved and comment on their own. */
export interface SurveyReading {
  answers: SurveyAnswers;
  score?: number;
  solved?: boolean;
  comment?: string;
}

// "No" and "not solved" before the "solved" inside them: the earliest match wins, and a tie goes to the no.
const NO =
  /\b(?:no(?! (?:problem|worries|issues?)\b)|nope|nah|not (?:really(?! (?:happy|satisfied|pleased))|fully|quite|completely|entirely|totally|yet|at all|solved|resolved|fixed|sorted)|(?:isn|wasn|hasn|haven|hadn)'?t(?: been)?(?: fully| completely| really)? (?:solved|resolved|fixed|sorted)|unsolved|unresolved|still (?:broken|waiting|not|no|an? (?:issue|problem))|partly|partially)\b|还?没有?(?:完全|彻底)?解决|未解决|还没有?|没有|不是|部分解决|不完全|没好|还是不行|不行/g;
const YES =
  /\b(?:yes|yeah|yep|yup|yea|indeed|absolutely|definitely|(?:fully |completely |all |totally )?(?:solved|resolved|fixed|sorted)(?: out)?|all good|problem solved)\b|(?:已经|已|都)?解决了|已解决|彻底解决|搞定了?|好了|是的|没问题/g;
// One letter or character on its own ("y", "是", "不"): a yes or no only where nothing else touches it.
const SHORT_NO = /(?<![^\s,，.。!！;；])(?:n|不|否|没|无)(?![^\s,，.。!！;；])/g;
const SHORT_YES = /(?<![^\s,，.。!！;；])(?:y|是|对|嗯|好|有)(?![^\s,，.。!！;；])/g;

/**
 * Every yes and no in `t` (lower-case, Simplified), in order: the first says whether the problem was solved (at the
 * same place, the no: it is listed first), and all of them are answers, not comment.
 */
export function findSolved(t: string): Array<Found<boolean>> {
  return [NO, YES, SHORT_NO, SHORT_YES]
    .flatMap((re, i) =>
      [...t.matchAll(re)].map((m) => ({ value: i % 2 === 1, start: m.index, end: m.index + m[0].length })),
    )
    .sort((a, b) => a.start - b.start);
}

// Words that say nothing on their own: what is left of "4, yes thanks" or "I'd give it a 4" is no comment.
const FILLER = new Set(
  (
    "a all also and at but cheers from gave give i i'd id it it's its just lot many me much my of ok okay out overall " +
    'now please points rating say score so star stars thank thanks that the thx to ty very was well would you'
  ).split(' '),
);
const HAN_FILLER = /谢谢|多谢|感谢|您|你们|好的|我给|我打|给|打|分|了|的|呢|啦|吧|呀|哦|嗯|但是|不过|而且|还有/g;
const SEGMENT = /[^,，.。!！;；?？\n]+/g;
const EDGE = `${SPACES}-–—~:：、`;

/** How many words of `t` (normalised) say something: English words not in FILLER, and Han characters (two a word). */
function contentWords(t: string): number {
  const english = (t.match(/[a-z0-9']+/g) ?? []).filter((w) => !FILLER.has(w)).length;
  const han = t.replace(HAN_FILLER, '').match(/\p{Script=Han}/gu)?.length ?? 0;
  return english + Math.floor(han / 2);
}

// Joining words left at the edge of a comment once an answer is cut off ("It took 2 weeks but [yes]").
const CONNECTOR_START = /^(?:and|but|so|or|though)\b|^(?:但是|不过|而且|可是)/;
const CONNECTOR_END = /\b(?:and|but|so|or|though)$|(?:但是|不过|而且|可是)$/;

/**
 * The comment: each clause that says something besides its answers ("not solved at all" says nothing more), with
 * the score at its edges cut off, and a yes or no at its edges too when enough is left ("still no refund" stays
 * whole). Cut from the customer's own text, in their script.
 */
function commentOf(text: string, norm: string, score: Found<number> | undefined, solved: Array<Found<boolean>>) {
  const own = norm.length === text.length ? text : norm;
  const answers = [...(score ? [score] : []), ...solved];
  const kept: string[] = [];
  for (const m of norm.matchAll(SEGMENT)) {
    let start = m.index;
    let end = start + m[0].length;
    const inside = answers.filter((a) => a.start < end && a.end > start);
    let rest = '';
    let at = start;
    for (const a of [...inside].sort((x, y) => x.start - y.start)) {
      rest += `${norm.slice(at, Math.max(at, a.start))} `;
      at = Math.max(at, a.end);
    }
    if (contentWords(rest + norm.slice(at, end)) === 0) continue;
    const trim = () => {
      start = end - stripLeading(norm.slice(start, end), EDGE).length;
      end = start + stripTrailing(norm.slice(start, end), EDGE).length;
    };
    trim();
    let moved = true;
    while (moved) {
      moved = false;
      for (const a of inside) {
        const needs = a === score ? 0 : 2;
        if (a.start <= start && a.end > start && contentWords(norm.slice(a.end, end)) >= needs) {
          start = Math.min(end, a.end);
          moved = true;
        } else if (a.end >= end && a.start < end && contentWords(norm.slice(start, a.start)) >= needs) {
          end = Math.max(start, a.start);
          moved = true;
        }
        trim();
      }
    }
    const c = CONNECTOR_START.exec(norm.slice(start, end));
    if (c) start += c[0].length;
    const d = CONNECTOR_END.exec(norm.slice(start, end));
    if (d) end -= d[0].length;
    trim();
    if (end > start) kept.push(own.slice(start, end));
  }
  if (!kept.length) return undefined;
  return kept.join(/\p{Script=Han}/u.test(kept.join('')) ? '，' : ', ').slice(0, 500);
}

// A numbered answer ("1. 4\n2. yes\n3. …", "1) 4 2) yes") follows the numbered questions: its numbers are not scores.
const LIST_MARKER = /(?:(?<![^\n])[1-9][.)、]|(?<=\s)[1-9]\))(?=[ \t]+\S)/g;

/**
 * `text` lower-cased and in Simplified script, full-width digits and curly apostrophes made plain, and the numbers of
 * a numbered list (two or more: "5. Great service" keeps its 5) blanked: the same length, so positions still match.
 */
function normalise(text: string): string {
  const t = simplifiedOf(text)
    .toLowerCase()
    .replace(/[０-９／’]/g, (c) =>
      c === '／' ? '/' : c === '’' ? "'" : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
    );
  const markers = t.match(LIST_MARKER)?.length ?? 0;
  return markers >= 2 ? t.replace(LIST_MARKER, (m) => ' '.repeat(m.length)) : t;
}

/** Reads one reply to `questions` (one of each kind at most): the answers it gives, by question id. */
export function readSurveyReply(text: string, questions: SurveyQuestion[]): SurveyReading {
  const norm = normalise(text);
  const ask = (kind: SurveyQuestion['kind']) => questions.find((q) => q.kind === kind);
  const score = findScore(norm);
  const solvedAll = ask('yes_no') ? findSolved(norm) : [];
  const solved = solvedAll[0];
  const comment = ask('text') ? commentOf(text, norm, score, solvedAll) : undefined;
  const answers: SurveyAnswers = {};
  const put = (kind: SurveyQuestion['kind'], value: number | boolean | string | undefined) => {
    const q = ask(kind);
    if (q && value !== undefined) answers[q.id] = value;
  };
  put('score', score?.value);
  put('yes_no', solved?.value);
  put('text', comment);
  return { answers, score: score?.value, solved: solved?.value, comment };
}
