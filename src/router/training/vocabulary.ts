/** The training vocabulary: which features a model keeps, and their IDF, from the raw features of the training rows. */
import type { Sparse } from '../../../dialogs/classifier/features.ts';
import { vectorise } from '../../../dialogs/classifier/features.ts';

/** Raw feature counts of one text. */
export type Raw = Map<string, number>;

/** A vocabulary: features most frequent first (ties by name, so it is deterministic), index and smoothed IDF. */
export interface Vocabulary {
  list: string[];
  map: Map<string, number>;
  idf: Float32Array;
}

/** Builds the vocabulary from `raws`; `minDf` applies from 50 rows up (a tiny set keeps every feature). */
export function vocabulary(
  raws: Raw[],
  o: { minDf: number; maxFeatures: number; features?: ReadonlySet<string> },
): Vocabulary {
  const df = new Map<string, number>();
  for (const r of raws) for (const f of r.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const minDf = raws.length < 50 ? 1 : o.minDf;
  const list = [...df.entries()]
    .filter(([f, n]) => n >= minDf && (!o.features || o.features.has(f)))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, o.maxFeatures)
    .map(([f]) => f);
  const n = raws.length;
  const idf = Float32Array.from(list, (f) => Math.log((1 + n) / (1 + df.get(f)!)) + 1);
  return { list, map: new Map(list.map((f, i) => [f, i])), idf };
}

/** Every row as a TF-IDF vector in `v`. */
export function vectoriseAll(raws: Raw[], v: Vocabulary): Sparse[] {
  return raws.map((r) => vectorise(r, v.map, v.idf));
}
