import { describe, expect, it } from 'vitest';
import { detectComplaint } from '../../../dialogs/understand/complaint-detector.ts';
import { complaintMetrics, complaintSplit, loadComplaintData } from '../../../src/router/training/complaint-data.ts';

describe('complaint detection on the held-out split of the shared data', () => {
  // The same rows and the same seeded split the training script used (src/router/training/train-complaint.ts); the model in
  // dialogs/complaint-model.json never saw these rows. Floors sit just below what was measured on 2026-11-24:
  // English P 0.544 R 0.968, Chinese P 0.948 R 0.994 (see the README of the shared data for the sources).
  // The shared data as copied into the repository (test/fixtures/shared-data), so CI needs nothing outside it.
  const { test } = complaintSplit(loadComplaintData('test/fixtures/shared-data'));
  const decided = test.map((r) => detectComplaint(r.text).complaint);
  const by = (lang: 'en' | 'zh') => {
    const idx = test.map((r, i) => (r.lang === lang ? i : -1)).filter((i) => i >= 0);
    return complaintMetrics(
      idx.map((i) => test[i].complaint),
      idx.map((i) => decided[i]),
    );
  };

  it('English: recall first (a missed complaint turns a customer away), precision above the floor', () => {
    const m = by('en');
    expect(m.n).toBeGreaterThan(1500);
    expect(m.recall).toBeGreaterThanOrEqual(0.95);
    expect(m.precision).toBeGreaterThanOrEqual(0.52);
  });

  it('Chinese: recall and precision above their floors', () => {
    const m = by('zh');
    expect(m.n).toBeGreaterThan(350);
    expect(m.recall).toBeGreaterThanOrEqual(0.98);
    expect(m.precision).toBeGreaterThanOrEqual(0.92);
  });
});

describe('complaint detection on clear cases', () => {
  const complaints = [
    'My kettle arrived broken and nobody answers',
    'I was charged twice for my broadband, why?',
    'The train was cancelled again and I missed my flight',
    'Still waiting for my refund after three weeks. This is ridiculous.',
    'Where is my parcel? It was due last Monday and the tracking has not moved since.',
    '电池一点都不耐用，太失望了',
    '我买的洗衣机坏了，客服一直不回复',
    '快递三天了还没到，什么情况？',
    '筆電螢幕壞了，客服都不回',
    '訂單付款一週了還沒發貨，要求退款',
  ];
  const notComplaints = [
    'When does the promo code SAVE10 expire?',
    'What are your opening hours?',
    'Do you deliver to Canada?',
    'Thanks, that solved it!',
    'Hello',
    '请问你们周末营业吗？',
    '你们几点关门？',
    '谢谢，问题解决了',
    '請問你們週末營業嗎？',
    '好的，谢谢',
  ];
  it.each(complaints)('complaint: %s', (text) => {
    const d = detectComplaint(text);
    expect(d.complaint, d.reasons.join('; ')).toBe(true);
    expect(d.confidence).toBeGreaterThanOrEqual(0.5);
    expect(d.reasons.length).toBeGreaterThan(0);
  });
  it.each(notComplaints)('not a complaint: %s', (text) => {
    const d = detectComplaint(text);
    expect(d.complaint, d.reasons.join('; ')).toBe(false);
  });

  it('an empty message is not a complaint', () => {
    expect(detectComplaint('  ').complaint).toBe(false);
  });

  it('Traditional and Simplified Chinese get the same decision', () => {
    expect(detectComplaint('筆電螢幕壞了，客服都不回')).toEqual(detectComplaint('笔电萤幕坏了，客服都不回'));
  });
});
