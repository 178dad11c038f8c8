import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoutingConfig } from '../../../../dialogs/routing-config.ts';
import { saveModel } from '../../../../src/router/model-file.ts';
import { retrainRouter, swapIfNotWorse } from '../../../../src/router/training/retrain.ts';
import { train } from '../../../../src/router/training/train.ts';
import type { Db } from '../../../../src/store/db.ts';
import { missing, testDb } from '../../../helpers.ts';

const rows = parse(readFileSync('test/fixtures/router-small.csv'), { columns: true }) as Array<{
  text: string;
  label: string;
}>;
// Every third row is the "recent" slice; the rest train. A good model learns the real labels; a bad one learns
// labels shifted to the wrong class, so it routes the slice wrongly.
const slice = { texts: [] as string[], labels: [] as string[] };
const trainPart = { texts: [] as string[], labels: [] as string[] };
rows.forEach((r, i) => {
  const to = i % 3 === 0 ? slice : trainPart;
  to.texts.push(r.text);
  to.labels.push(r.label);
});
const classes = [...new Set(trainPart.labels)].sort();
const shifted = trainPart.labels.map((l) => classes[(classes.indexOf(l) + 1) % classes.length]);
const good = train(trainPart.texts, trainPart.labels, { folds: 0 });
const bad = train(trainPart.texts, shifted, { folds: 0 });

describe.skipIf(missing('postgres'))('the retrain swap rule', () => {
  let db: Db;
  const dir = mkdtempSync(join(tmpdir(), 'redress-swap-'));
  beforeAll(async () => {
    db = await testDb('pg');
  });
  afterAll(async () => db?.close());
  const swaps = async () =>
    (
      await db.query<Record<string, unknown>>(
        'SELECT model_path, swapped, candidate_kind, train_rows, slice_rows, current_macro_f1, candidate_macro_f1 FROM router_swaps ORDER BY id',
      )
    ).rows;

  it('swaps in a better model, and records both scores', async () => {
    const path = join(dir, 'better.json');
    saveModel(path, bad);
    const d = await swapIfNotWorse(db, { modelPath: path, candidate: good, slice, trainRows: 140 });
    expect(d.swapped).toBe(true);
    expect(d.candidate.macroF1).toBeGreaterThan(0.8);
    expect(d.current!.macroF1).toBeLessThan(0.2);
    expect(JSON.parse(readFileSync(path, 'utf8')).weights).toBe(good.weights);
    expect((await swaps()).at(-1)).toEqual({
      model_path: path,
      swapped: true,
      candidate_kind: 'softmax',
      train_rows: 140,
      slice_rows: 70,
      current_macro_f1: d.current!.macroF1,
      candidate_macro_f1: d.candidate.macroF1,
    });
  });

  it('keeps the model in use when the new one is worse, and records that too', async () => {
    const path = join(dir, 'worse.json');
    saveModel(path, good);
    const d = await swapIfNotWorse(db, { modelPath: path, candidate: bad, slice, trainRows: 140 });
    expect(d.swapped).toBe(false);
    expect(d.candidate.macroF1).toBeLessThan(d.current!.macroF1);
    expect(JSON.parse(readFileSync(path, 'utf8')).weights).toBe(good.weights);
    expect((await swaps()).at(-1)).toMatchObject({ model_path: path, swapped: false });
  });

  it('an equal score swaps (at least as well), and with no model in use the new one is taken', async () => {
    const path = join(dir, 'same.json');
    saveModel(path, good);
    expect((await swapIfNotWorse(db, { modelPath: path, candidate: good, slice, trainRows: 140 })).swapped).toBe(true);
    const none = join(dir, 'none.json');
    const d = await swapIfNotWorse(db, { modelPath: none, candidate: good, slice, trainRows: 140 });
    expect(d).toMatchObject({ swapped: true, current: null });
    expect(existsSync(none)).toBe(true);
    expect((await swaps()).at(-1)).toMatchObject({ model_path: none, swapped: true, current_macro_f1: null });
  });

  it('retrainRouter decides nothing while there are too few reassigned tickets to judge', async () => {
    const routing = parseRoutingConfig(readFileSync('dialogs/routing.yaml', 'utf8'));
    const before = (await swaps()).length;
    const path = join(dir, 'cron.json');
    expect(await retrainRouter(db, { routing, modelPath: path, history: trainPart })).toBeUndefined();
    expect(existsSync(path)).toBe(false);
    expect(await swaps()).toHaveLength(before);
  });
});
