/**
 * Text to sparse TF-IDF features: word uni- and bigrams, character n-grams, and (when the model asks for them) Chinese
 * words from the jieba segmenter next to the Chinese character n-grams.
 */
import { segment } from '../understand/chinese-nlp.ts';
import { simplifiedOf } from '../understand/simplified.ts';

/** A sparse vector: feature indexes and their values, same length. */
export interface Sparse {
  idx: Int32Array;
  val: Float32Array;
}

const HAN_RUN = /\p{Script=Han}+/gu;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’]*/gu;

/** Lower-cased, NFKC, Simplified script; URLs, handles and long numbers reduced to placeholders. */
export function normalise(text: string): string {
  return simplifiedOf(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' _url_ ')
    .replace(/@\w+/g, ' _user_ ')
    .replace(/\d{3,}/g, ' _num_ ');
}

/** Which feature families a model uses (recorded in its file, so training and routing agree). */
export interface FeatureOptions {
  /** Chinese words (jieba): the dictionary is loaded only by models trained with them. */
  zhWords?: boolean;
}

const HAN_WORD = /^\p{Script=Han}{2,}$/u;
const HAN_CHAR = /\p{Script=Han}/u;

/** The raw features of a text with their counts (before vocabulary and weighting). */
export function rawFeatures(text: string, o: FeatureOptions = {}): Map<string, number> {
  const t = normalise(text);
  const out = new Map<string, number>();
  const add = (f: string) => out.set(f, (out.get(f) ?? 0) + 1);
  // Chinese: character 1- to 3-grams of each run of Han characters.
  for (const run of t.match(HAN_RUN) ?? []) {
    const chars = [...run];
    for (let n = 1; n <= 3; n++)
      for (let i = 0; i + n <= chars.length; i++) add(`h${n}:${chars.slice(i, i + n).join('')}`);
  }
  // Chinese words: n-grams cross word boundaries and cannot tell 手机 the product from 手 + 机; words can. Single
  // characters are already h1 features. (Word bigrams were tried too: they lowered cross-validated macro-F1.)
  if (o.zhWords && HAN_CHAR.test(t)) for (const w of segment(t)) if (HAN_WORD.test(w.word)) add(`z:${w.word}`);
  // Other scripts: words, word bigrams, and character 3- and 4-grams inside words (robust to typos and inflection).
  const words = (t.replace(HAN_RUN, ' ').match(WORD) ?? []).map((w) => w.replace(/’/g, "'"));
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    add(`w:${w}`);
    if (i + 1 < words.length) add(`b:${w} ${words[i + 1]}`);
    const padded = ` ${w} `;
    if (padded.length > 4)
      for (let n = 3; n <= 4; n++) for (let j = 0; j + n <= padded.length; j++) add(`c:${padded.slice(j, j + n)}`);
  }
  return out;
}

/** Sublinear TF × IDF over a vocabulary, L2-normalised; features outside the vocabulary are dropped. */
export function vectorise(raw: Map<string, number>, vocab: Map<string, number>, idf: Float32Array): Sparse {
  const idx: number[] = [];
  const val: number[] = [];
  for (const [f, count] of raw) {
    const j = vocab.get(f);
    if (j === undefined) continue;
    idx.push(j);
    val.push((1 + Math.log(count)) * idf[j]);
  }
  const norm = Math.hypot(...val) || 1;
  return { idx: Int32Array.from(idx), val: Float32Array.from(val, (v) => v / norm) };
}
