/** Detects a message's language and Chinese script, and converts between the two scripts. */
import type { Language } from '../types.ts';
import { compactConverter } from './compact-converter.ts';

// OpenCC's Taiwan conversions (tw2s, s2tw), on flat maps: about 8 MB of heap for both rather than opencc-js's 45 MB.
// Built on the first Chinese text, never for a process that sees none.
let hans: ((text: string) => string) | undefined;
let hant: ((text: string) => string) | undefined;
const HAS_HAN = /\p{Script=Han}/u;
const toHans = (text: string) => (HAS_HAN.test(text) ? (hans ??= compactConverter('tw2s'))(text) : text);
const toHant = (text: string) => (HAS_HAN.test(text) ? (hant ??= compactConverter('s2tw'))(text) : text);
const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;
const SAMPLE_CHARS = 8000;

/** Traditional Chinese text as Simplified (other text unchanged). */
export function toSimplified(text: string): string {
  return toHans(text);
}

/** Simplified Chinese text as Traditional (Taiwan standard). */
export function toTraditional(text: string): string {
  return toHant(text);
}

/**
 * The language of `text`, or undefined when it carries no signal (digits, an email address, "ok").
 * Chinese wins when Han characters outweigh Latin words, so a Chinese sentence with an English product name stays Chinese.
 */
export function detectLanguage(textIn: string, previous?: Language): Language | undefined {
  // The start of a text tells its language; a whole call transcript or letter is not needed for that.
  const text = textIn.length > SAMPLE_CHARS ? textIn.slice(0, SAMPLE_CHARS) : textIn;
  const han = text.match(HAN)?.length ?? 0;
  const words = (text.replace(/(?<!\S)\S+@\S+/g, '').match(LATIN_WORD) ?? []).length;
  if (han >= 2 ? han >= words : han === 1 && words === 0) return chineseScript(text, previous);
  if (words >= 2) return 'en';
  if (words === 1 && /^[\s\W]*[A-Za-z]{3,}[\s\W]*$/.test(text)) return 'en';
  return undefined;
}

// Many characters are the same in both scripts ("退款"): such text keeps the script the customer used before.
function chineseScript(text: string, previous?: Language): Language {
  const { traditional, simplified } = scriptEvidence(text);
  if (traditional > simplified) return 'zh-Hant';
  // No evidence either way, or as much for each (換 is Traditional, but Taiwan writes 台 too, which OpenCC turns into
  // 臺): the script the customer used before.
  if (simplified === traditional && previous === 'zh-Hant') return 'zh-Hant';
  return 'zh-Hans';
}

/**
 * How many characters only exist in Traditional and how many only in Simplified form. Counting both, rather than
 * asking "does anything convert", keeps one variant character in a Simplified text from flipping its script.
 */
function scriptEvidence(text: string): { traditional: number; simplified: number } {
  const han = (text.match(HAN) ?? []).join('');
  const count = (converted: string) => {
    if (converted.length !== han.length) return converted === han ? 0 : 1;
    let n = 0;
    for (let i = 0; i < han.length; i++) if (converted[i] !== han[i]) n++;
    return n;
  };
  return { traditional: count(toHans(han)), simplified: count(toHant(han)) };
}

/** True when the text uses more Simplified-only than Traditional-only characters. */
export function isSimplified(text: string): boolean {
  const e = scriptEvidence(text);
  return e.simplified > e.traditional;
}

/** True when the text uses more Traditional-only than Simplified-only characters. */
export function isTraditional(text: string): boolean {
  const e = scriptEvidence(text);
  return e.traditional > e.simplified;
}
