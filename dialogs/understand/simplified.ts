/**
 * The one place customer text is read as Simplified Chinese: every Chinese pattern in dialogs/ is written in Simplified
 * and reads `simplifiedOf(text)`, never the customer's Traditional text. The conversion runs once per text (the last
 * few are remembered: one turn hands the same message to a dozen readers), and what is cut out of a text by a pattern
 * is cut from the customer's own words, in their script.
 */
import { toSimplified } from '../language/detect.ts';

// A turn reads one message, the story kept so far and a clause or two of them: a handful of texts.
const REMEMBERED = 8;
const HAS_HAN = /\p{Script=Han}/u;
const remembered = new Map<string, string>();

/** `text` in Simplified script (OpenCC's Taiwan conversion), converted once. */
export function simplifiedOf(text: string): string {
  // Text with no Chinese is its own Simplified form: not remembered, so an English sentence never pushes a message's
  // conversion out.
  if (!HAS_HAN.test(text)) return text;
  const known = remembered.get(text);
  if (known !== undefined) return known;
  const converted = toSimplified(text);
  if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value!);
  remembered.set(text, converted);
  return converted;
}

/**
 * `text` with each match of the global pattern `re`, found on its Simplified form, replaced by `replace(match)`.
 * Where the conversion kept every position (nearly always: it maps character to character), the match is cut from the
 * customer's own text, so 我要求退貨 loses the clause its Simplified form matched and keeps its script elsewhere.
 */
export function replaceOnSimplified(text: string, re: RegExp, replace: (match: string) => string): string {
  const simplified = simplifiedOf(text);
  if (simplified === text) return text.replace(re, replace);
  if (simplified.length !== text.length) return simplified.replace(re, replace);
  const out: string[] = [];
  let at = 0;
  for (const m of simplified.matchAll(re)) {
    const end = m.index + m[0].length;
    const replaced = replace(m[0]);
    out.push(text.slice(at, m.index), replaced === m[0] ? text.slice(m.index, end) : replaced);
    at = end;
  }
  out.push(text.slice(at));
  return out.join('');
}
