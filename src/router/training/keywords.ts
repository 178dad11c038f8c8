/** The keyword-only baseline: per label, the words that most set it apart in the training rows; most hits wins. */
import { normalise } from '../../../dialogs/classifier/features.ts';

/** A learned keyword list per label. */
export interface KeywordBaseline {
  predict(text: string): string;
}

const terms = (text: string): Set<string> => {
  const t = normalise(text);
  const out = new Set<string>(t.replace(/\p{Script=Han}+/gu, ' ').match(/[\p{L}\p{N}]{3,}/gu) ?? []);
  for (const run of t.match(/\p{Script=Han}+/gu) ?? []) {
    const c = [...run];
    for (let i = 0; i + 2 <= c.length; i++) out.add(c[i] + c[i + 1]);
  }
  return out;
};

/** Picks `perLabel` keywords per label by smoothed log-odds against the other labels. */
export function keywordBaseline(texts: string[], labels: string[], perLabel = 15): KeywordBaseline {
  const classes = [...new Set(labels)].sort();
  const docs = texts.map(terms);
  const inClass = new Map(classes.map((c) => [c, new Map<string, number>()]));
  const all = new Map<string, number>();
  const size = new Map(classes.map((c) => [c, 0]));
  docs.forEach((d, i) => {
    size.set(labels[i], size.get(labels[i])! + 1);
    for (const w of d) {
      inClass.get(labels[i])!.set(w, (inClass.get(labels[i])!.get(w) ?? 0) + 1);
      all.set(w, (all.get(w) ?? 0) + 1);
    }
  });
  const keywords = new Map<string, string[]>();
  for (const c of classes) {
    const n = size.get(c)!;
    const rest = texts.length - n;
    const scored = [...inClass.get(c)!.entries()]
      .filter(([, k]) => k >= 2)
      .map(([w, k]) => ({
        w,
        s: Math.log((k + 0.5) / (n - k + 0.5)) - Math.log((all.get(w)! - k + 0.5) / (rest - (all.get(w)! - k) + 0.5)),
      }))
      .sort((a, b) => b.s - a.s || (a.w < b.w ? -1 : 1));
    keywords.set(
      c,
      scored.slice(0, perLabel).map((x) => x.w),
    );
  }
  const majority = classes.reduce((a, b) => (size.get(b)! > size.get(a)! ? b : a));
  return {
    predict(text) {
      const d = terms(text);
      let best = majority;
      let bestHits = 0;
      for (const c of classes) {
        const hits = keywords.get(c)!.filter((w) => d.has(w)).length;
        if (hits > bestHits) ((best = c), (bestHits = hits));
      }
      return best;
    },
  };
}
