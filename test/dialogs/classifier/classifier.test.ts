import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { Model } from '../../../dialogs/classifier/model.ts';
import { train } from '../../../src/router/training/train.ts';
import { evaluate } from '../../../src/router/training/metrics.ts';
import { stratifiedSplit } from '../../../dialogs/classifier/random.ts';
import { rawFeatures } from '../../../dialogs/classifier/features.ts';

const rows = parse(readFileSync('test/fixtures/router-small.csv'), { columns: true }) as Array<{
  text: string;
  label: string;
}>;
const texts = rows.map((r) => r.text);
const labels = rows.map((r) => r.label);

describe('router classifier', () => {
  it('is deterministic with a seed: same data, same seed, same model file', () => {
    const a = train(texts, labels, { seed: 7, folds: 3 });
    const b = train(texts, labels, { seed: 7, folds: 3 });
    expect({ ...a, createdAt: '' }).toEqual({ ...b, createdAt: '' });
    const c = train(texts, labels, { seed: 8, folds: 0 });
    expect(c.weights).not.toEqual(a.weights);
    expect(a.training.crossValidation).toMatchObject({ folds: 3 });
  });

  it('gets every obvious case right, in English, Simplified and Traditional Chinese, and mixed text', () => {
    const model = new Model(train(texts, labels, { folds: 0 }));
    const cases: Array<[string, string]> = [
      ['My train was cancelled again and the next one is delayed by an hour', 'transport'],
      ['The flight was delayed and nobody at the gate told us anything', 'transport'],
      ['The pizza arrived cold and the burger was raw inside', 'food'],
      ['My laptop screen went black and the battery will not charge', 'electronics'],
      ['酒店房间很脏，前台服务态度也差', 'hotel'],
      ['酒店房間很髒，前台服務態度也差', 'hotel'],
      ['水果收到的时候已经烂了，一点都不新鲜', 'fruit'],
      ['手机屏幕有问题，电池也不耐用，还发热', 'phone'],
      ['这个 phone 的屏幕 一直 闪屏，手机 质量太差', 'phone'],
    ];
    for (const [text, label] of cases) expect(model.predict(text).label, text).toBe(label);
  });

  it('gives a probability for each label and the features behind the prediction', () => {
    const model = new Model(train(texts, labels, { folds: 0 }));
    const p = model.predict('My train was cancelled');
    expect(p.confidence).toBeGreaterThan(0);
    expect(p.confidence).toBeLessThanOrEqual(1);
    expect(Object.values(p.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(p.features.length).toBeGreaterThan(0);
  });

  it('Traditional and Simplified text give the same features', () => {
    expect([...rawFeatures('酒店房間很髒').entries()]).toEqual([...rawFeatures('酒店房间很脏').entries()]);
  });

  it('a held-out split is stratified and reproducible', () => {
    const a = stratifiedSplit(labels, 0.3, 42);
    expect(stratifiedSplit(labels, 0.3, 42)).toEqual(a);
    expect(a.test.length + a.train.length).toBe(labels.length);
    expect(a.test.filter((i) => labels[i] === 'hotel')).toHaveLength(9);
  });

  it('metrics match a hand computation', () => {
    const e = evaluate(['a', 'a', 'b', 'b', 'c'], ['a', 'b', 'b', 'b', 'a']);
    expect(e.accuracy).toBe(0.6);
    expect(e.perLabel.a).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(e.perLabel.b).toEqual({ precision: 0.6667, recall: 1, f1: 0.8, support: 2 });
    expect(e.perLabel.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(e.macroF1).toBe(0.4333);
    expect(e.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 0],
    ]);
  });
});
