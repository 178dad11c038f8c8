/** The conversation-quality harness (npm run eval:dialog): its measures on hand-made examples, and a short real run. */
import { describe, expect, it } from 'vitest';
import { en } from '../../dialogs/language/en.ts';
import { zhHans } from '../../dialogs/language/zh-hans.ts';
import { allocate, buildCases, chatText } from './cases.ts';
import type { FactSheet } from './fact-sheet.ts';
import { runEval } from './harness.ts';
import { datesIn } from './lexicon.ts';
import { completeness, copiedShare, median, pronounErrors, spuriousDetails, type TicketView } from './metrics.ts';
import { classify } from './questions.ts';
import { markdown } from './report.ts';
import { inRightScript, toHant } from './text-script.ts';

const NOW = new Date(2025, 5, 18, 12); // a Wednesday
const facts: FactSheet = {
  language: 'en',
  product: 'laptop',
  occurredOn: { said: 'last Tuesday', iso: ['2025-06-17', '2025-06-10'] },
  orderNumber: '48213',
  resolution: 'refund',
  name: 'Pat Lee',
  contact: { kind: 'email', value: 'pat.lee@example.com' },
};
const ticket = (record: Record<string, string>, customer: Partial<TicketView['customer']> = {}): TicketView => ({
  reference: 'CMP-000001',
  restatement: '',
  record,
  customer: { name: null, email: [], phone: [], ...customer },
});

describe('copied share', () => {
  it('counts the words in runs of four or more copied words, and nothing shorter', () => {
    const r = copiedShare(
      'Your parcel never arrived at all and you want a refund',
      ['My parcel never arrived at all!'],
      'en',
    );
    expect(r.copied).toBe(5); // parcel never arrived at all
    expect(r.tokens).toBe(11);
    expect(r.share).toBeCloseTo(5 / 11);
    expect(r.runs).toEqual(['parcel never arrived at all']);
    expect(copiedShare('The parcel was lost', ['the parcel was late, it was lost'], 'en').share).toBe(0); // 3-word run only
    expect(copiedShare('My phone broke after two days', ['My phone broke after two days'], 'en').share).toBe(1);
  });

  it('counts Chinese characters in runs of six or more, in either script', () => {
    const r = copiedShare('快递三天都没有送到您很生气', ['快递三天都没有送到我很生气'], 'zh-Hans');
    expect(r.copied).toBe(9);
    expect(r.share).toBeCloseTo(9 / 13);
    expect(copiedShare('质量太差了', ['质量太差了吧'], 'zh-Hans').share).toBe(0); // five characters are not a run
    expect(copiedShare(toHant('快递三天都没有送到'), ['快递三天都没有送到'], 'zh-Hant').share).toBe(1);
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('pronoun errors', () => {
  it('passes a clean second-person restatement', () => {
    expect(
      pronounErrors(
        'Your order never arrived and we charged you twice',
        ['My order never arrived and you charged me twice'],
        'en',
      ),
    ).toEqual([]);
    expect(pronounErrors('A letter from you was lost', ['A letter from me was lost'], 'en')).toEqual([]);
  });

  it('finds first-person words left over, broken swaps and determiners after "your"', () => {
    expect(pronounErrors('My order never arrived', ['My order never arrived'], 'en')).toHaveLength(1);
    expect(pronounErrors('i was charged twice', ['i was charged twice'], 'en')).toHaveLength(1);
    expect(pronounErrors('You charged you twice', ['You charged me twice'], 'en')).toEqual(['"You charged you"']);
    expect(pronounErrors('Nothing has come from you since', ['Nothing has come from you since'], 'en')).toHaveLength(1);
    expect(pronounErrors('Your this phone is broken', ['My this phone is broken'], 'en')).toEqual(['"Your this"']);
    expect(
      pronounErrors('Since the update you was unable to call', ['Since the update I was unable to call'], 'en'),
    ).toEqual(['"you was"']);
  });

  it('finds 我 left in a Chinese restatement but not 我们', () => {
    expect(pronounErrors('我的快递没到', ['我的快递没到'], 'zh-Hans')).toHaveLength(1);
    expect(pronounErrors('您的快递没到，我们会处理', ['我的快递没到'], 'zh-Hant')).toEqual([]);
  });
});

describe('spurious details and completeness', () => {
  it('accepts what the fact sheet or the customer gave and flags what neither did', () => {
    const given = ticket({
      orderNumber: '48213',
      resolution: 'refund',
      occurredOn: '2025-06-17',
      product: 'laptop',
      name: 'Pat Lee',
      email: 'pat.lee@example.com',
    });
    expect(spuriousDetails(given, facts, ['My laptop died'], NOW)).toEqual([]);
    // From the customer's own words: a phone number, a name, a date ("yesterday") the fact sheet does not hold.
    expect(
      spuriousDetails(
        ticket({ phone: '+14155550132', name: 'Jo Park', occurredOn: '2025-06-17' }),
        facts,
        ['Call me on (415) 555-0132, Jo Park', 'yesterday'],
        NOW,
      ),
    ).toEqual([]);
    // Never given: "Sat in the back" is not a Saturday, 12345 is no order, nobody asked for a replacement.
    const invented = ticket(
      { occurredOn: '2025-06-14', orderNumber: '12345', resolution: 'replacement' },
      { phone: ['+442079460000'] },
    );
    expect(
      spuriousDetails(invented, facts, ['Sat in the back of the bus and it was awful'], NOW)
        .map((s) => s.field)
        .sort(),
    ).toEqual(['occurredOn', 'orderNumber', 'phone', 'resolution']);
  });

  it('counts the given fields that reached the ticket with their value', () => {
    const t = ticket(
      { orderNumber: '48213', resolution: 'replacement', product: 'my laptop' },
      { name: 'Pat Lee', email: ['pat.lee@example.com'] },
    );
    const c = completeness(t, facts, [
      'description',
      'orderNumber',
      'resolution',
      'product',
      'name',
      'contact',
      'occurredOn',
    ]);
    expect(c.given).toHaveLength(6);
    expect(c.onTicket.sort()).toEqual(['contact', 'name', 'orderNumber', 'product']);
    expect(c.missing.map((m) => m.field).sort()).toEqual(['occurredOn', 'resolution']);
  });

  it('reads dates with its own list, not chrono', () => {
    expect(datesIn('Sat in the middle at the back', 'en', NOW)).toEqual([]);
    expect(datesIn('It broke last Tuesday', 'en', NOW)).toEqual(expect.arrayContaining(['2025-06-17', '2025-06-10']));
    expect(datesIn('上週二買的', 'zh-Hant', NOW)).toContain('2025-06-10');
    expect(datesIn('3月14日到的货', 'zh-Hans', NOW)).toContain('2025-03-14');
    expect(datesIn('cleared my exam on 7th June, 2017', 'en', NOW)).toEqual(['2017-06-07']);
  });
});

describe('reading the bot', () => {
  it('classifies every question of the packs, in all three languages', () => {
    for (const f of ['product', 'occurredOn', 'orderNumber', 'resolution', 'name', 'contact'] as const) {
      expect(classify(en.ask[f], 'en')).toEqual({ kind: 'ask', field: f });
      expect(classify(zhHans.ask[f], 'zh-Hans')).toEqual({ kind: 'ask', field: f });
      expect(classify(toHant(zhHans.ask[f]), 'zh-Hant')).toEqual({ kind: 'ask', field: f });
    }
    expect(classify(en.invalidEmail('pat@'), 'en')).toEqual({ kind: 'ask', field: 'contact' });
    expect(classify(`${en.checkUnderstood('Your kettle leaks.')} ${en.confirmQuestion}`, 'en')).toEqual({
      kind: 'confirm',
      restatement: 'your kettle leaks.',
    });
    expect(classify(toHant(`${zhHans.checkUnderstood('您的水壶漏水。')}${zhHans.confirmQuestion}`), 'zh-Hant')).toEqual(
      { kind: 'confirm', restatement: toHant('您的水壶漏水。') },
    );
    expect(classify('recorded as CMP-000042', 'en')).toEqual({ kind: 'ticket', reference: 'CMP-000042' });
    expect(classify(en.thanksConfirmed, 'en')).toEqual({ kind: 'other' });
  });

  it('tells the scripts apart', () => {
    expect(inRightScript(zhHans.thanksConfirmed, 'zh-Hans')).toBe(true);
    expect(inRightScript(zhHans.thanksConfirmed, 'zh-Hant')).toBe(false);
    expect(inRightScript(toHant(zhHans.thanksConfirmed), 'zh-Hant')).toBe(true);
    expect(inRightScript('好的', 'zh-Hant')).toBe(true);
    expect(inRightScript(en.thanksConfirmed, 'zh-Hans')).toBe(false);
    expect(inRightScript(zhHans.thanksConfirmed, 'en')).toBe(false);
  });
});

describe('cases', () => {
  it('are the same on every run: 54 by default, half of each source volunteering details', () => {
    expect(chatText('@FC_Help @bob my order &amp; refund never came https://t.co/x thanks @Tesco')).toBe(
      'my order & refund never came thanks Tesco',
    );
    const a = buildCases(54, 14, NOW);
    const b = buildCases(54, 14, NOW);
    expect(a.map((c) => c.firstMessage)).toEqual(b.map((c) => c.firstMessage));
    expect(allocate(54)).toEqual({ twitter: 16, twcs: 10, 'zh-reviews': 14, 'zh-reviews-hant': 14 });
    expect(a).toHaveLength(54);
    expect(a.filter((c) => c.volunteered.length > 1)).toHaveLength(27);
    const hant = a.filter((c) => c.source === 'zh-reviews-hant');
    expect(hant.every((c) => inRightScript(c.complaint, 'zh-Hant'))).toBe(true);
  });
});

describe('the whole report through Direct Line (npm run eval:dialog, 54 cases, seed 14)', () => {
  it("computes every figure and meets issue #14's goals", async () => {
    const run = await runEval({ concurrency: 4 });
    expect(run.results).toHaveLength(54);
    const s = run.summary;
    for (const k of [
      'cases',
      'ticketsReached',
      'medianTurns',
      'questions',
      'repeatedRate',
      'askedForGivenRate',
      'medianCopiedShare',
      'pronounErrors',
      'spurious',
      'completeness',
      'rightScript',
    ] as const) {
      expect(Number.isFinite(s[k]), k).toBe(true);
    }
    expect(new Set(run.results.map((r) => r.language))).toEqual(new Set(['en', 'zh-Hans', 'zh-Hant']));
    for (const r of run.results) {
      expect(r.turns).toBeGreaterThanOrEqual(1);
      expect(r.transcript[0]).toMatchObject({ from: 'customer' });
      expect(r.replies).toBeGreaterThanOrEqual(1);
    }
    expect(markdown(run)).toContain('| **all** | 54 |');
    // The goals, on the shared data's default cases; the report prints the cases behind any miss.
    const why = markdown(run);
    expect(s.ticketsReached, why).toBe(54);
    expect(s.repeatedRate, why).toBe(0);
    expect(s.askedForGivenRate, why).toBe(0);
    expect(s.spurious, why).toBe(0);
    expect(s.pronounErrors, why).toBe(0);
    expect(s.medianCopiedShare, why).toBeLessThanOrEqual(0.5);
    expect(s.completeness, why).toBeGreaterThanOrEqual(0.95);
    expect(s.rightScript, why).toBe(1);
  }, 240_000);
});
