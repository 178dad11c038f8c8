import { describe, expect, it } from 'vitest';
import { Model } from '../../../../dialogs/classifier/model.ts';
import { evaluateModel, reportTable } from '../../../../src/router/training/eval-report.ts';
import { evaluate, thresholdTable, topConfusions } from '../../../../src/router/training/metrics.ts';
import { train } from '../../../../src/router/training/train.ts';

const texts = [
  'my card was charged twice',
  'double charge on my card statement',
  'charged twice for one coffee on my card',
  'the parcel never arrived',
  'my parcel is lost by the courier',
  'the courier lost my parcel again',
];
const labels = ['cards', 'cards', 'cards', 'parcels', 'parcels', 'parcels'];
const model = new Model(train(texts, labels, { folds: 0 }));

describe('router eval on real data', () => {
  it('counts rows with a label the model never saw as errors and lists them with counts', () => {
    const r = evaluateModel(
      model,
      [...texts, 'my account was closed', 'they closed my account', 'card charged twice'],
      [...labels, 'Bank account or service', 'Bank account or service', 'cards'],
    );
    expect(r.unseenLabels).toEqual({ 'Bank account or service': 2 });
    expect(r.n).toBe(9);
    expect(r.perLabel['Bank account or service']).toMatchObject({ support: 2, recall: 0 });
    expect(r.accuracy).toBeCloseTo(7 / 9, 3);
    expect(r.knownLabels).toEqual({ n: 7, accuracy: 1, macroF1: 1 });
    const fromUnseen = r.topConfusions.filter((c) => c.truth === 'Bank account or service');
    expect(fromUnseen.reduce((a, c) => a + c.count, 0)).toBe(2);
    expect(r.topConfusions).toHaveLength(fromUnseen.length);
    expect(reportTable(r, 1)).toMatch(
      /warning: 2 row\(s\) carry labels the model was not trained on, counted as errors: "Bank account or service" \(2\)/,
    );
    expect(reportTable(r, 1)).toMatch(/1 row\(s\) with an empty text or label skipped/);
  });

  it('the triage table: accuracy of what is routed and the share sent to triage, per threshold', () => {
    const rows = thresholdTable([0.9, 0.8, 0.6, 0.4], [true, true, false, false], [0, 0.5, 0.7, 0.95]);
    expect(rows).toEqual([
      { minConfidence: 0, routed: 4, triageRate: 0, accuracy: 0.5 },
      { minConfidence: 0.5, routed: 3, triageRate: 0.25, accuracy: 0.6667 },
      { minConfidence: 0.7, routed: 2, triageRate: 0.5, accuracy: 1 },
      { minConfidence: 0.95, routed: 0, triageRate: 1, accuracy: 1 },
    ]);
  });

  it('top confusion pairs, most rows first', () => {
    const e = evaluate(['a', 'a', 'a', 'b', 'c', 'c'], ['b', 'b', 'a', 'a', 'a', 'b']);
    expect(topConfusions(e, 2)).toEqual([
      { truth: 'a', predicted: 'b', count: 2, share: 0.6667 },
      { truth: 'b', predicted: 'a', count: 1, share: 1 },
    ]);
  });
});
