/**
 * English lemmas as tied features. Each word feature `w:received` and word bigram `b:card received` gets a companion
 * feature for its lemma (`receive`, `card receive`), shared by every inflection of it, so "received", "receiving" and
 * "receive" learn one weight together next to their own. The companion's value is the sum of its members' values, a
 * linear function of the routing-time vector, so after training its weight is folded back into each member's weight:
 * the model file keeps the same features and routing stays one linear layer, with no lemmatiser at routing time.
 */
import { createRequire } from 'node:module';
import type { Sparse } from '../../../dialogs/classifier/features.ts';
import type { ItsFunction, WinkMethods } from 'wink-nlp';
import type { Linear } from './fit-linear.ts';

const require = createRequire(import.meta.url);
let nlp: WinkMethods | undefined;

/** The lemma of one English word on its own (wink-nlp's packaged model, loaded on first use); the word if it is not one token. */
export function lemmaOf(word: string): string {
  nlp ??= (require('wink-nlp') as (model: unknown) => WinkMethods)(require('wink-eng-lite-web-model'));
  const tokens = nlp.readDoc(word).tokens();
  // The typings leave out the model's add-ons argument that `its.lemma` takes; wink passes it.
  return tokens.length() === 1 ? String(tokens.out(nlp.its.lemma as unknown as ItsFunction<string>)[0]) : word;
}

/** Which tied feature (index from `features` up) each vocabulary feature feeds, −1 for none. */
export interface Ties {
  /** vocabulary index → tied feature index, or −1. */
  to: Int32Array;
  /** Number of tied features. */
  count: number;
}

/** Groups the word and word-bigram features of `vocabulary` by lemma; `lemma` is swappable for tests. */
export function lemmaTies(vocabulary: readonly string[], lemma: (word: string) => string = lemmaOf): Ties {
  const index = new Map<string, number>();
  const to = new Int32Array(vocabulary.length).fill(-1);
  const cache = new Map<string, string>();
  const lem = (w: string) => cache.get(w) ?? (cache.set(w, lemma(w)), cache.get(w)!);
  vocabulary.forEach((f, j) => {
    let key: string | undefined;
    // Only Latin-script words: other scripts have no English lemma (and Han text has no word features).
    if (f.startsWith('w:') && /^[a-z]/.test(f.slice(2))) key = `l:${lem(f.slice(2))}`;
    else if (f.startsWith('b:') && /^[a-z]/.test(f.slice(2))) {
      const [a, b] = f.slice(2).split(' ');
      if (b !== undefined) key = `m:${lem(a)} ${lem(b)}`;
    }
    if (key === undefined) return;
    if (!index.has(key)) index.set(key, vocabulary.length + index.size);
    to[j] = index.get(key)!;
  });
  return { to, count: index.size };
}

/** `x` with its tied features appended (each the sum of its members' values). */
export function withTies(x: Sparse, ties: Ties): Sparse {
  const added = new Map<number, number>();
  x.idx.forEach((j, n) => {
    const t = ties.to[j];
    if (t >= 0) added.set(t, (added.get(t) ?? 0) + x.val[n]);
  });
  if (!added.size) return x;
  return {
    idx: Int32Array.from([...x.idx, ...added.keys()]),
    val: Float32Array.from([...x.val, ...added.values()]),
  };
}

/** Folds a model trained on tied vectors back onto the `features` plain ones: each member gains its tied weight. */
export function foldTies(m: Linear, ties: Ties, features: number, K: number): Linear {
  const W = m.W.slice(0, features * K);
  for (let j = 0; j < features; j++) {
    const t = ties.to[j];
    if (t >= 0) for (let k = 0; k < K; k++) W[j * K + k] += m.W[t * K + k];
  }
  return { W, b: m.b };
}
