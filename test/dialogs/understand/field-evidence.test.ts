import { describe, expect, it } from 'vitest';
import { absorb } from '../../../dialogs/absorb.ts';
import { runDialog, type DialogContext } from '../../../dialogs/dialog.ts';
import { createRouter } from '../../../dialogs/router.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import type { DialogState } from '../../../dialogs/types.ts';
import { CONFIDENT, evidenceFor } from '../../../dialogs/understand/field-evidence.ts';
import { DIALOG_SETTINGS } from '../dialog-settings.ts';

const now = new Date('2026-11-24T10:00:00Z');
const ctx: DialogContext = {
  now,
  router: createRouter(loadRoutingConfig('dialogs/routing.yaml')),
  ...DIALOG_SETTINGS,
  // The ticket a turn may open, as the engine prepares it (a new customer: no earlier tickets).
  newTicket: { reference: 'CMP-000777', earlierTickets: 0, windowDays: 180 },
};
const spanned = (e: { quote: string; span: [number, number] }) => e.quote.slice(e.span[0], e.span[1]);

describe('every detail carries the sentence it came from, its span and a confidence', () => {
  it('in a chat message, each field points at its own words', () => {
    const text =
      'I ordered a washing machine on 3 March, order 4411. I want a refund. Ana Ruiz, ana@example.com, +1 415 555 0132';
    const { record } = absorb({ customerWords: [], declined: [] }, text, { now, regions: ['US'], describe: 'set' });
    const e = record.evidence!;
    expect(spanned(e.orderNumber)).toBe('4411');
    expect(e.orderNumber.quote).toBe('I ordered a washing machine on 3 March, order 4411.');
    expect(spanned(e.email)).toBe('ana@example.com');
    expect(spanned(e.phone)).toBe('1 415 555 0132');
    expect(spanned(e.name)).toBe('Ana Ruiz');
    expect(spanned(e.resolution)).toBe('refund');
    expect(e.resolution.quote).toBe('I want a refund.');
    expect(spanned(e.product)).toBe('washing machine');
    // A date is a reading of the words, not a copy of them: the sentence is kept, no span.
    expect(e.occurredOn).toMatchObject({
      quote: 'I ordered a washing machine on 3 March, order 4411.',
      span: [-1, -1],
    });
    for (const f of Object.values(e)) expect(f.confidence).toBeGreaterThanOrEqual(CONFIDENT);
  });

  it('a product the tagger guessed is below CONFIDENT; one the customer named when asked is not', () => {
    const guessed = absorb(
      { customerWords: [], declined: [] },
      "It's about my credit report: it shows debts I never had.",
      { now, regions: ['US'], describe: 'set' },
    );
    expect(guessed.record.product).toBe('credit report');
    expect(guessed.record.evidence!.product.confidence).toBeLessThan(CONFIDENT);
    const answered = absorb(guessed.record, 'my credit report', { now, regions: ['US'], asking: 'product' });
    expect(answered.record.evidence!.product.confidence).toBeGreaterThanOrEqual(CONFIDENT);
  });

  it('a yes to the restatement confirms what it showed, not what it did not', () => {
    let state: unknown;
    for (const text of [
      "It's about my credit report: it shows debts I never had since 3 March. Ana Ruiz, ana@example.com",
      'yes',
    ]) {
      state = JSON.parse(JSON.stringify(runDialog(state, { text, receivedAt: now.toISOString() }, ctx).state));
    }
    const e = (state as DialogState).record.evidence!;
    expect(e.product).toMatchObject({ confirmed: true, confidence: 0.95 });
    expect(e.occurredOn.confirmed).toBe(true);
    expect(e.email.confirmed).toBeUndefined();
  });

  it('a letter, which nobody confirms turn by turn, asks for an unsure product instead of assuming it', () => {
    const out = runDialog(
      undefined,
      {
        text: "It's about my credit report: it shows debts I never had. I want an explanation. Ana Ruiz",
        receivedAt: now.toISOString(),
        style: 'letter',
        knownEmail: 'ana@example.com',
      },
      ctx,
    );
    expect(out.state.record.product).toBeUndefined();
    expect(out.replies.join('\n')).toMatch(/the product or service concerned/);
  });

  it('reads spans in linear time and never past the text', () => {
    expect(evidenceFor('x'.repeat(5000), 'y', 0.5)).toMatchObject({ span: [-1, -1] });
    // A number stored as E.164 is found as written, by its national digits.
    expect(spanned(evidenceFor('call 0 2 0 7 9 4 6 0 0 0 0', '+442079460000', 0.9))).toBe('2 0 7 9 4 6 0 0 0 0');
  });
});
