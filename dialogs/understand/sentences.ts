/** Sentence boundaries in customer text, in one pass: a full stop ends a sentence only where a sentence can end. */

const ALWAYS_ENDS = '!?。！？\n';
// Words that end in a full stop without ending the sentence.
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'no',
  'vs',
  'etc',
  'approx',
  'dept',
  'inc',
  'ltd',
  'co',
  'jr',
  'sr',
  'prof',
  'tel',
  'ref',
]);

/**
 * The sentences of `text`, trimmed, each with its closing punctuation. "$2000.00", "v1.2", "i.e." and "Mr. Lee" do not
 * end a sentence: a full stop ends one only before whitespace (or the end), and not after an abbreviation or a single
 * letter.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const push = (end: number) => {
    const s = text.slice(start, end).trim();
    if (s) out.push(s);
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (ALWAYS_ENDS.includes(c)) {
      let j = i + 1;
      while (j < text.length && '!?！？。'.includes(text[j])) j++;
      push(j);
      i = j - 1;
      continue;
    }
    if (c !== '.') continue;
    const next = text[i + 1];
    if (next !== undefined && next !== ' ' && next !== '\t' && next !== '"' && next !== '”' && next !== ')') continue;
    // The word before the full stop: an abbreviation or a single letter ("i.e.", "U.S.") does not end a sentence.
    let w = i;
    while (w > start && /[A-Za-z]/.test(text[w - 1])) w--;
    const word = text.slice(w, i).toLowerCase();
    if (ABBREVIATIONS.has(word) || (word.length === 1 && text[w - 1] === '.')) continue;
    let j = i + 1;
    while (j < text.length && text[j] === '.') j++;
    push(j);
    i = j - 1;
  }
  push(text.length);
  return out;
}
