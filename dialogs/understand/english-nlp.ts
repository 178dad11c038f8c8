/**
 * English part-of-speech tagging (wink-nlp with its packaged English model, no download) for what a fixed word list
 * cannot find: the product or service a complaint is about is any noun phrase, not one of a list. The model is loaded
 * on first use (about 200 ms, 20 MB of heap), which the process warm-up does before any customer's turn.
 */
import { createRequire } from 'node:module';
import type { ItsHelpers, WinkMethods } from 'wink-nlp';

import { NOT_PRODUCTS } from './not-products.ts';

const require = createRequire(import.meta.url);
// Tagging costs about 3 ms per 1,000 characters; the product is named early, so only the start of a message is read.
const WINDOW = 600;

let loaded: { nlp: WinkMethods; its: ItsHelpers } | undefined;
function tagger(): { nlp: WinkMethods; its: ItsHelpers } {
  if (!loaded) {
    const winkNLP = require('wink-nlp') as (model: unknown) => WinkMethods;
    const nlp = winkNLP(require('wink-eng-lite-web-model'));
    loaded = { nlp, its: nlp.its };
  }
  return loaded;
}

/** One tagged word: its text and universal part of speech (NOUN, PROPN, ADJ, DET, PRON, VERB …). */
export interface Tagged {
  word: string;
  pos: string;
}

/** The words of the start of `text` with their parts of speech. */
export function tag(text: string): Tagged[] {
  const { nlp, its } = tagger();
  const doc = nlp.readDoc(text.length > WINDOW ? text.slice(0, WINDOW) : text);
  const words: string[] = doc.tokens().out();
  const pos = doc.tokens().out(its.pos) as string[];
  return words.map((word, i) => ({ word, pos: pos[i] }));
}

const POSSESSIVES = new Set(['my', 'our']);
const ARTICLES = new Set(['the', 'a', 'an', 'this', 'that', 'these', 'those', 'your']);
// Verbs of buying: their object is what was bought ("I bought a 1080", "ordered 6 jeans").
const BOUGHT = new Set([
  'bought',
  'buy',
  'ordered',
  'purchased',
  'purchase',
  'got',
  'received',
  'paid',
  'booked',
  'rented',
  'subscribed',
]);

/**
 * The product or service `text` complains about: the first noun phrase that is the customer's ("my credit report",
 * "our broadband"), was bought ("I bought a 1080", "ordered 6 jeans", "the espresso machine I bought"), and whose head
 * is a thing, not a person, a time or the complaint itself. A noun phrase merely mentioned ("it tells you on the tv")
 * is not taken: asking is better than guessing. Lower case, without the determiner, at most four words.
 */
export function productPhrase(text: string): string | undefined {
  const words = tag(text);
  const lower = words.map((w) => w.word.toLowerCase());
  for (let i = 0; i < words.length; i++) {
    const possessive = POSSESSIVES.has(lower[i]) && words[i].pos === 'PRON';
    const afterBuying = i > 0 && BOUGHT.has(lower[i - 1]);
    const article = ARTICLES.has(lower[i]) && (words[i].pos === 'DET' || words[i].pos === 'PRON');
    if (!possessive && !afterBuying && !article) continue;
    // The phrase starts after the determiner; right after a verb of buying it may start with the noun or a number.
    const first = possessive || article ? i : i - 1;
    if (first === i - 1 && !/^(ADJ|NOUN|PROPN|NUM)$/.test(words[i].pos)) continue;
    // The phrase: adjectives, numbers and nouns after the determiner, ending with its first run of nouns: in "the
    // fence last Friday" it is "the fence".
    let end = first + 1;
    let lastNoun = -1;
    while (end < words.length && end - first <= 5 && /^(ADJ|NOUN|PROPN|NUM)$/.test(words[end].pos)) {
      const noun = words[end].pos === 'NOUN' || words[end].pos === 'PROPN';
      if (!noun && lastNoun >= 0) break;
      if (noun) lastNoun = end;
      end++;
    }
    if (lastNoun < 0) continue;
    // Leading adjectives that judge ("broken", "new", "faulty") are the complaint, not the product's name.
    let start = first + 1;
    while (start < lastNoun && (words[start].pos === 'ADJ' || words[start].pos === 'NUM')) start++;
    // A phrase after an article counts only when the customer bought it: "the espresso machine I bought".
    const bought = (k: number) => BOUGHT.has(lower[k] ?? '');
    if (article && !bought(i - 1) && !bought(lastNoun + 1) && !(lower[lastNoun + 1] === 'i' && bought(lastNoun + 2)))
      continue;
    const phrase = words
      .slice(start, lastNoun + 1)
      .map((w) => w.word.toLowerCase())
      .join(' ');
    const head = words[lastNoun].word.toLowerCase();
    if (NOT_PRODUCTS.has(head) || NOT_PRODUCTS.has(phrase) || !/^[a-z][a-z0-9 -]*$/.test(phrase)) continue;
    return phrase.split(' ').slice(-4).join(' ');
  }
  return undefined;
}
