import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { Model } from '../../../../dialogs/classifier/model.ts';
import { seeded } from '../../../../dialogs/classifier/random.ts';
import { evaluate } from '../../../../src/router/training/metrics.ts';
import { train } from '../../../../src/router/training/train.ts';

const rows = parse(readFileSync('test/fixtures/router-small.csv'), { columns: true }) as Array<{
  text: string;
  label: string;
}>;
const texts = rows.map((r) => r.text);
const labels = rows.map((r) => r.label);

describe('model choice', () => {
  const file = train(texts, labels, { folds: 3 });

  it('compares softmax, SVM, complement naive Bayes and an ensemble by cross-validation, and keeps the best', () => {
    const names = Object.keys(file.training.selection!);
    expect(names.slice(0, 3)).toEqual(['softmax', 'svm', 'cnb']);
    expect(names[3]).toMatch(/^ensemble\((softmax|svm|cnb)(\+(softmax|svm|cnb))+\)$/);
    const best = Math.max(...Object.values(file.training.selection!).map((s) => s.macroF1));
    expect(file.training.crossValidation!.macroF1).toBe(best);
    expect(file.training.selection![file.kind].macroF1).toBe(best);
    expect(file.training.calibration!.rows).toBe(rows.length);
  });

  it('Chinese word features are cross-validated against none, and recorded', () => {
    expect(file.training.zhWords).toEqual({ with: expect.any(Number), without: expect.any(Number) });
    const withWords = file.training.zhWords!.with > file.training.zhWords!.without;
    expect(Boolean(file.featureOptions.zhWords)).toBe(withWords);
    const forced = new Model(train(texts, labels, { folds: 0, zhWords: true }));
    expect(forced.file.vocabulary.some((f) => f.startsWith('z:'))).toBe(true);
    expect(forced.predict('手机屏幕碎了，电池也不耐用').label).toBe('phone');
  });

  it('each kind can be asked for alone, and every kind routes the obvious cases', () => {
    for (const kind of ['softmax', 'svm', 'cnb', 'ensemble'] as const) {
      const m = new Model(train(texts, labels, { folds: 3, candidates: [kind] }));
      expect(m.file.kind.startsWith(kind), kind).toBe(true);
      expect(m.predict('The pizza arrived cold and the burger was raw').label, kind).toBe('food');
      expect(m.predict('酒店房间很脏，前台态度差').label, kind).toBe('hotel');
    }
  });

  it('class weights: a small class is found far more often with balanced weights', () => {
    // 5 % "rare" rows; their cue word "refund" shows in 60 % of them but also in 10 % of the common rows, so without
    // weights the rare class never wins (P(rare | refund) ≈ 0.24). Scored on fresh rows drawn the same way.
    const random = seeded(9);
    const draw = (n: number) => {
      const t: string[] = [];
      const l: string[] = [];
      for (let i = 0; i < n; i++) {
        const rare = i % 20 === 0;
        const words = Array.from({ length: 4 }, () => `w${Math.floor(random() * 30)}`);
        if (random() < (rare ? 0.6 : 0.1)) words.push('refund');
        t.push(words.join(' '));
        l.push(rare ? 'rare' : 'common');
      }
      return { t, l };
    };
    const trainRows = draw(2000);
    const test = draw(2000);
    const recall = (balanced: boolean) => {
      const m = new Model(train(trainRows.t, trainRows.l, { folds: 0, balanced, candidates: ['softmax'] }));
      return evaluate(
        test.l,
        test.t.map((x) => m.predict(x).label),
      ).perLabel.rare.recall;
    };
    const [without, withWeights] = [recall(false), recall(true)];
    expect(without).toBeLessThan(0.2);
    expect(withWeights).toBeGreaterThan(0.35);
    expect(withWeights).toBeGreaterThan(without + 0.25);
  });
});
