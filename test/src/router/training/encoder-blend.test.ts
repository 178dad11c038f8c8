import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { Model, modelFileSchema, type ModelFile } from '../../../../dialogs/classifier/model.ts';
import { seeded, shuffled, stratifiedSplit } from '../../../../dialogs/classifier/random.ts';
import { loadEncoder, ENCODER_DIMS } from '../../../../src/router/encoder.ts';
import { encoderWanted, MIN_GAIN } from '../../../../src/router/training/encoder-blend.ts';
import { evaluate } from '../../../../src/router/training/metrics.ts';
import { train } from '../../../../src/router/training/train.ts';

// Real bank customers' questions (banking77's test part, test/fixtures/shared-data): the intents about transfers, top-ups and
// balances (16, about 40 rows each), which share most of their words.
const all = parse(readFileSync('test/fixtures/shared-data/banking77-test.csv'), { columns: true }) as Array<{
  text: string;
  category: string;
}>;
const wanted = [...new Set(all.map((r) => r.category))].filter((c) => /transfer|top_up|balance/.test(c));
const rows = all.filter((r) => wanted.includes(r.category));
const texts = rows.map((r) => r.text);
const labels = rows.map((r) => r.category);
const split = stratifiedSplit(labels, 0.3, 42);
const pick = <T>(idx: number[], a: readonly T[]) => idx.map((i) => a[i]);

// One word model (softmax, no lemmas): choosing among them is train.test.ts's business, and the blend sits on any.
const WORDS = { candidates: ['softmax'] as const, lemmas: false };
let vectors: Float32Array[];
let blended: ModelFile;
beforeAll(async () => {
  vectors = await (await loadEncoder()).embed(texts);
  blended = train(pick(split.train, texts), pick(split.train, labels), {
    ...WORDS,
    sentences: { encoder: 'use-lite-en', vectors: pick(split.train, vectors) },
  });
}, 120_000);

const macroF1 = (m: Model, withVectors: boolean) =>
  evaluate(
    pick(split.test, labels),
    split.test.map((i) => m.predict(texts[i], withVectors ? vectors[i] : undefined).label),
  ).macroF1;

describe('the sentence encoder blend', () => {
  it('the encoder turns any text, empty or far too long, into one vector of 512 numbers', async () => {
    const e = await loadEncoder();
    const v = await e.embed(['', 'my card has not arrived', 'x'.repeat(200_000), '\u{1F600}'.repeat(5000)]);
    expect(v.map((x) => x.length)).toEqual([ENCODER_DIMS, ENCODER_DIMS, ENCODER_DIMS, ENCODER_DIMS]);
    expect(v.every((x) => x.every(Number.isFinite))).toBe(true);
  });

  it('is kept when cross-validation on the training rows says it helps, and then routes held-out rows better', () => {
    expect(blended.encoder?.name).toBe('use-lite-en');
    expect(blended.encoder!.weight).toBeGreaterThan(0);
    const byWeight = blended.training.encoder!.macroF1ByWeight;
    expect(byWeight[String(blended.encoder!.weight)]).toBeGreaterThan(byWeight['0']);
    expect(blended.kind).toMatch(/ \+ use-lite-en$/);
    const m = new Model(modelFileSchema.parse(JSON.parse(JSON.stringify(blended))));
    expect(m.encoder).toBe('use-lite-en');
    expect(macroF1(m, true)).toBeGreaterThan(macroF1(m, false));
  });

  it('without a vector, or with one of the wrong length, the words alone route', () => {
    const m = new Model(blended);
    const text = texts[split.test[0]];
    const alone = m.predict(text);
    expect(m.predict(text, [0.1, 0.2])).toEqual(alone);
    expect(m.predict(text, vectors[split.test[0]]).confidence).not.toBe(alone.confidence);
  });

  it('is left out when the vectors tell nothing about the label (each row given another row’s vector)', () => {
    const random = seeded(7);
    const noise = shuffled(
      split.train.map((i) => vectors[i]),
      random,
    );
    const file = train(pick(split.train, texts), pick(split.train, labels), {
      ...WORDS,
      sentences: { encoder: 'use-lite-en', vectors: noise },
    });
    expect(file.encoder).toBeUndefined();
    expect(file.training.encoder!.macroF1ByWeight['0'] + MIN_GAIN).toBeGreaterThanOrEqual(
      Math.max(...Object.values(file.training.encoder!.macroF1ByWeight)),
    );
    expect(file.kind).not.toMatch(/use-lite-en/);
  });

  it('auto compares it on English sets of 50 to 12,000 rows only', () => {
    const o = { folds: 5, selectRows: 12_000 };
    expect(encoderWanted(texts, 'auto', o)).toBe(true);
    expect(encoderWanted(['手机屏幕碎了', '快递太慢了', 'ok'], 'auto', o)).toBe(false);
    expect(encoderWanted(Array(12_001).fill('late parcel'), 'auto', o)).toBe(false);
    expect(encoderWanted(texts.slice(0, 49), 'auto', o)).toBe(false);
    expect(encoderWanted(texts.slice(0, 49), true, o)).toBe(true);
    expect(encoderWanted(texts, false, o)).toBe(false);
    expect(encoderWanted(texts, true, { ...o, folds: 0 })).toBe(false);
  });
});
