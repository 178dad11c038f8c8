import { describe, expect, it } from 'vitest';
import type { Sparse } from '../../../../dialogs/classifier/features.ts';
import { Model, scores } from '../../../../dialogs/classifier/model.ts';
import { seeded } from '../../../../dialogs/classifier/random.ts';
import { foldTies, lemmaOf, lemmaTies, withTies } from '../../../../src/router/training/lemma-tie.ts';
import { train } from '../../../../src/router/training/train.ts';

const sparse = (idx: number[], val: number[]): Sparse => ({ idx: Int32Array.from(idx), val: Float32Array.from(val) });

describe('English lemmas as tied features', () => {
  it('lemmatises single words, irregular ones too, and leaves a word that is not one token alone', () => {
    expect(['bought', 'received', 'cards', 'went', "don't"].map((w) => lemmaOf(w))).toEqual([
      'buy',
      'receive',
      'card',
      'go',
      "don't",
    ]);
  });

  it('groups words and word bigrams by lemma, and nothing else', () => {
    const stub = (w: string) => w.replace(/s$/, '');
    const vocabulary = ['w:cards', 'c: ca', 'w:card', 'b:my cards', 'w:_url_', 'b:my card', 'h1:手', 'w:top'];
    const ties = lemmaTies(vocabulary, stub);
    // Groups from index 8 up, in order of first appearance: l:card 8, m:my card 9, l:top 10.
    expect(Array.from(ties.to)).toEqual([8, -1, 8, 9, -1, 9, -1, 10]);
    expect(ties.count).toBe(3);
  });

  it('a tied feature is the sum of its members, and folding gives the same scores on the plain vector', () => {
    const ties = { to: Int32Array.from([3, 3, -1]), count: 1 };
    const x = sparse([0, 1, 2], [0.6, 0.48, 0.64]);
    const tied = withTies(x, ties);
    expect(Array.from(tied.idx)).toEqual([0, 1, 2, 3]);
    expect(tied.val[3]).toBeCloseTo(1.08, 6);
    // 4 features × 2 classes, feature-major.
    const m = { W: Float32Array.from([1, 0, 0, 1, 2, -1, 0.5, 0.5]), b: Float32Array.from([0.1, -0.1]) };
    const folded = foldTies(m, ties, 3, 2);
    expect(Array.from(folded.W)).toEqual([1.5, 0.5, 0.5, 1.5, 2, -1]);
    // Tied: class 0 = 0.1 + 0.6 + 0 + 1.28 + 0.54 = 2.52; class 1 = −0.1 + 0 + 0.48 − 0.64 + 0.54 = 0.28.
    const a = scores(tied, m.W, m.b, 2);
    const b = scores(x, folded.W, folded.b, 2);
    expect(a[0]).toBeCloseTo(2.52, 5);
    expect(a[1]).toBeCloseTo(0.28, 5);
    expect(b[0]).toBeCloseTo(a[0], 5);
    expect(b[1]).toBeCloseTo(a[1], 5);
  });
});

// Each row: one verb form plus six label-free filler words. `byLemma`: the label is the verb (forms of one lemma share
// it), so the lemma carries the label and tying helps; otherwise the label is the tense (past or present) and the
// lemma carries nothing.
function verbs(byLemma: boolean, rows: number) {
  const a = byLemma
    ? ['buy bought buying buys', 'go went gone goes going', 'take took taken takes taking', 'see saw seen sees seeing']
    : ['bought went took saw brought gave came made'];
  const b = byLemma
    ? [
        'bring brought bringing brings',
        'give gave given gives giving',
        'come came coming comes',
        'make made making makes',
      ]
    : ['buy go take see bring give come make'];
  const random = seeded(5);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const filler = Array.from(
    { length: 40 },
    (_, i) => `zq${String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26))}x`,
  );
  const texts: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < rows; i++) {
    const first = i % 2 === 0;
    texts.push([pick(pick(first ? a : b).split(' ')), ...Array.from({ length: 6 }, () => pick(filler))].join(' '));
    labels.push(first ? 'a' : 'b');
  }
  return { texts, labels };
}

const best = (selection: Record<string, { macroF1: number }>, lemmas: boolean) =>
  Math.max(
    ...Object.entries(selection)
      .filter(([k]) => k.endsWith(' + lemmas') === lemmas)
      .map(([, s]) => s.macroF1),
  );

describe('lemmas are chosen by cross-validation on the training rows', () => {
  it('kept where the lemma carries the label', () => {
    const { texts, labels } = verbs(true, 150);
    const file = train(texts, labels, { folds: 3 });
    const s = file.training.selection!;
    expect(best(s, true)).toBeGreaterThan(best(s, false) + 0.02);
    expect(file.kind.endsWith(' + lemmas')).toBe(true);
    expect(s[file.kind].macroF1).toBe(file.training.crossValidation!.macroF1);
    // Folded back: the file keeps only the plain features, and an inflection routes by what its lemma learned.
    expect(file.vocabulary.some((f) => f.startsWith('l:') || f.startsWith('m:'))).toBe(false);
    expect(new Model(file).predict('gone zqax').label).toBe('a');
  });

  it('left out where it does not help', () => {
    const { texts, labels } = verbs(false, 90);
    const file = train(texts, labels, { folds: 3 });
    const s = file.training.selection!;
    expect(best(s, false)).toBeGreaterThan(best(s, true) + 0.02);
    expect(file.kind.endsWith(' + lemmas')).toBe(false);
  });

  it('not compared when switched off, on sets larger than the cross-validation sample, or on mostly Chinese texts', () => {
    const { texts, labels } = verbs(true, 90);
    const off = train(texts, labels, { folds: 3, lemmas: false });
    expect(Object.keys(off.training.selection!).some((k) => k.endsWith(' + lemmas'))).toBe(false);
    const large = train(texts, labels, { folds: 3, selectRows: 60 });
    expect(Object.keys(large.training.selection!).some((k) => k.endsWith(' + lemmas'))).toBe(false);
    const forced = train(texts, labels, { folds: 3, selectRows: 60, lemmas: true });
    expect(forced.kind.endsWith(' + lemmas')).toBe(true);
    const zh = train(
      texts.map((t, i) => (i % 3 ? `商品${t}` : t)),
      labels,
      { folds: 3, zhWords: false },
    );
    expect(Object.keys(zh.training.selection!).some((k) => k.endsWith(' + lemmas'))).toBe(false);
  });
});
