/** How long a transcript may be, counted before the parsers build anything where the format allows. */
import { RedressError } from '../../src/core/errors.ts';

/** TRANSCRIPT_MAX_LINES when no configuration is given (the command line's dry run, tests). */
export const DEFAULT_TRANSCRIPT_MAX_LINES = 5000;

/** 413 TRANSCRIPT_TOO_LONG: `count` `what` against the limit. */
export function tooLong(count: number, what: string, max: number): RedressError {
  return new RedressError(
    'TRANSCRIPT_TOO_LONG',
    `the transcript has ${count} ${what}; at most ${max} are read (TRANSCRIPT_MAX_LINES): split the call into several uploads`,
  );
}

/** Occurrences of `needle` in `text`, stopping once past `stopAfter` (no array is built). */
export function countOf(text: string, needle: string, stopAfter = Infinity): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0 && n <= stopAfter; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** Lines of `text` with something besides white space on them, stopping once past `stopAfter`. */
export function nonEmptyLines(text: string, stopAfter = Infinity): number {
  let n = 0;
  let blank = true;
  for (let i = 0; i < text.length && n <= stopAfter; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (!blank) n++;
      blank = true;
    } else if (blank && c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11 && c !== 0xa0 && c !== 0x3000) {
      blank = false;
    }
  }
  return blank ? n : n + 1;
}

/**
 * `text` with every run of blank lines made one blank line, in one pass: a file of millions of empty lines would
 * otherwise become an array of millions of strings in the line-by-line parsers. Cues stay separated by a blank line.
 */
export function collapseBlankLines(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\n(?:[ \t]*\n)+/g, '\n\n');
}

/** Refuses, before parsing, a text transcript with more lines than `max` (cues for WebVTT and SRT). */
export function checkTextLength(text: string, cues: boolean, max: number): void {
  // A cue is a timing line ("-->", which cue text may not contain), its words and a blank line: no more than four
  // non-empty lines each, unless a cue is unusually long.
  if (cues) {
    const n = countOf(text, '-->', max);
    if (n > max) throw tooLong(n, 'cues or more', max);
  }
  const limit = cues ? 4 * max : max;
  const lines = nonEmptyLines(text, limit);
  if (lines > limit) throw tooLong(lines, 'lines or more', limit);
}

/** Refuses a parsed JSON transcript whose list of segments (entries, sentences, results) is longer than `max`. */
export function checkSegments(segments: unknown, what: string, max: number): void {
  if (Array.isArray(segments) && segments.length > max) throw tooLong(segments.length, what, max);
}
