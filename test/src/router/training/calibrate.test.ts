import { describe, expect, it } from 'vitest';
import { Model } from '../../../../dialogs/classifier/model.ts';
import { seeded, stratifiedSplit } from '../../../../dialogs/classifier/random.ts';
import { expectedCalibrationError, fitTemperature } from '../../../../src/router/training/calibrate.ts';
import { train } from '../../../../src/router/training/train.ts';

// Synthetic complaints whose true label probabilities are known: each text carries one "cue" word, and cue j makes the
// label "a" with probability P[j] (else "b"), plus label-free filler words. A calibrated model's confidence must match
// those probabilities, not just rank labels well.
const random = seeded(3);
const word = () => Array.from({ length: 7 }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
const P = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];
const cues = P.map(() => word());
const filler = Array.from({ length: 40 }, word);
const rows = Array.from({ length: 6000 }, () => {
  const j = Math.floor(random() * P.length);
  const words = [cues[j], ...Array.from({ length: 3 }, () => filler[Math.floor(random() * filler.length)])];
  return { text: words.join(' '), label: random() < P[j] ? 'a' : 'b', p: P[j] };
});

describe('calibrated confidence', () => {
  const split = stratifiedSplit(
    rows.map((r) => r.label),
    0.3,
    1,
  );
  const trainRows = split.train.map((i) => rows[i]);
  const file = train(
    trainRows.map((r) => r.text),
    trainRows.map((r) => r.label),
    { seed: 1 },
  );
  const model = new Model(file);
  const test = split.test.map((i) => rows[i]);
  const predictions = test.map((r) => model.predict(r.text));

  it('a confidence of 0.8 means about 80 % right: it matches the known probability of each text', () => {
    // The truth: the probability of the predicted label is P or 1 − P.
    const gaps = predictions.map((p, i) => Math.abs(p.confidence - (p.label === 'a' ? test[i].p : 1 - test[i].p)));
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeLessThan(0.05);
    // The rows routed at 0.8 or more are right about as often as their confidence says.
    const confident = predictions.map((p, i) => ({ p, r: test[i] })).filter((x) => x.p.confidence >= 0.8);
    const right = confident.filter((x) => x.p.label === x.r.label).length / confident.length;
    const said = confident.reduce((a, x) => a + x.p.confidence, 0) / confident.length;
    expect(confident.length).toBeGreaterThan(200);
    expect(Math.abs(right - said)).toBeLessThan(0.05);
  });

  it('the held-out expected calibration error is small, and training reports it', () => {
    const ece = expectedCalibrationError(
      predictions.map((p) => p.confidence),
      predictions.map((p, i) => p.label === test[i].label),
    );
    expect(ece).toBeLessThan(0.04);
    expect(file.training.calibration!.eceAfter).toBeLessThanOrEqual(file.training.calibration!.eceBefore);
    expect(file.temperature).not.toBe(1);
  });

  it('fits the temperature that makes over-confident scores honest', () => {
    // Scores that claim 0.99 for a label that is right 73 % of the time (logit 1 at T = 1 → e⁻¹ ratio).
    const scores = Array.from({ length: 1000 }, () => [4.6, 0]);
    const y = Array.from({ length: 1000 }, (_, i) => (i % 100 < 73 ? 0 : 1));
    const t = fitTemperature(scores, y);
    expect(4.6 / t).toBeCloseTo(Math.log(73 / 27), 2);
  });

  it('ECE by hand', () => {
    // Bin 0.8–0.9: confidence 0.85 twice, one right (gap 0.35 × 2 rows); bin 0.9–1: 0.95, right (gap 0.05).
    expect(expectedCalibrationError([0.85, 0.85, 0.95], [true, false, true])).toBeCloseTo((0.7 + 0.05) / 3, 4);
  });
});
