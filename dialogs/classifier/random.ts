/** A seeded random generator (mulberry32) so training, splits and folds are reproducible. */

/** Returns a function giving uniform numbers in [0, 1) from `seed`. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy of `items` (Fisher–Yates with the seeded generator). */
export function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Splits indexes 0..n-1 into a stratified train/test split by `labels`, `testShare` of each label to test. */
export function stratifiedSplit(
  labels: string[],
  testShare: number,
  seed: number,
): { train: number[]; test: number[] } {
  const random = seeded(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => (byLabel.get(l) ?? byLabel.set(l, []).get(l)!).push(i));
  const train: number[] = [];
  const test: number[] = [];
  for (const l of [...byLabel.keys()].sort()) {
    const idx = shuffled(byLabel.get(l)!, random);
    const k = Math.round(idx.length * testShare);
    test.push(...idx.slice(0, k));
    train.push(...idx.slice(k));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Stratified k folds of indexes 0..n-1. */
export function stratifiedFolds(labels: string[], k: number, seed: number): number[][] {
  const random = seeded(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => (byLabel.get(l) ?? byLabel.set(l, []).get(l)!).push(i));
  let next = 0;
  for (const l of [...byLabel.keys()].sort())
    for (const i of shuffled(byLabel.get(l)!, random)) folds[next++ % k].push(i);
  return folds;
}
