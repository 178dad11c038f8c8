import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stratifiedSplit } from '../../../../dialogs/classifier/random.ts';
import type { ModelFile } from '../../../../dialogs/classifier/model.ts';
import { loadEncoder } from '../../../../src/router/encoder.ts';
import { saveModel } from '../../../../src/router/model-file.ts';
import { swapIfNotWorse } from '../../../../src/router/training/retrain.ts';
import { train } from '../../../../src/router/training/train.ts';
import type { Db } from '../../../../src/store/db.ts';
import { missing, testDb } from '../../../helpers.ts';

// Real bank questions (banking77, shared/data) about transfers, top-ups and balances: the encoder blend helps there.
const rows = (
  parse(readFileSync('test/fixtures/shared-data/banking77-test.csv'), { columns: true }) as Array<{
    text: string;
    category: string;
  }>
).filter((r) => /transfer|top_up|balance/.test(r.category));
const split = stratifiedSplit(
  rows.map((r) => r.category),
  0.3,
  42,
);
const pick = (idx: number[], key: 'text' | 'category') => idx.map((i) => rows[i][key]);

describe.skipIf(missing('postgres'))('the retrain swap rule with a sentence encoder', () => {
  let db: Db;
  let blended: ModelFile;
  let words: ModelFile;
  const dir = mkdtempSync(join(tmpdir(), 'redress-swap-encoder-'));
  beforeAll(async () => {
    db = await testDb('pg');
    const vectors = await (await loadEncoder()).embed(pick(split.train, 'text'));
    const texts = pick(split.train, 'text');
    const labels = pick(split.train, 'category');
    // One word model (softmax, no lemmas) for both: choosing among them is train.test.ts's business.
    const o = { candidates: ['softmax'] as const, lemmas: false };
    blended = train(texts, labels, { ...o, sentences: { encoder: 'use-lite-en', vectors } });
    words = train(texts, labels, o);
  }, 120_000);
  afterAll(async () => db?.close());

  it('scores a model with an encoder as it routes, with the slice’s vectors: the words-only model does not replace it', async () => {
    expect(blended.encoder).toBeDefined();
    // Same rows, same seed: without vectors the blended model routes exactly as the words-only one.
    expect(blended.weights).toBe(words.weights);
    const path = join(dir, 'router.json');
    saveModel(path, blended);
    const slice = { texts: pick(split.test, 'text'), labels: pick(split.test, 'category') };
    const d = await swapIfNotWorse(db, { modelPath: path, candidate: words, slice, trainRows: split.train.length });
    expect(d.current!.macroF1).toBeGreaterThan(d.candidate.macroF1);
    expect(d.swapped).toBe(false);
    expect(JSON.parse(readFileSync(path, 'utf8')).encoder.name).toBe('use-lite-en');
  });
});
