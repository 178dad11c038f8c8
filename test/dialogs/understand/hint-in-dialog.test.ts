/**
 * The optional LLM's hint in the dialog: its isComplaint can add a complaint the built-in detector missed (never take
 * one away), and its category routes a ticket the built-in routing would send to triage (never overrides a sure one).
 */
import { describe, expect, it } from 'vitest';
import { runDialog, type DialogContext } from '../../../dialogs/dialog.ts';
import { createRouter } from '../../../dialogs/router.ts';
import type { LlmHint } from '../../../dialogs/understand/llm-understanding.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import { DIALOG_SETTINGS } from '../dialog-settings.ts';

const router = createRouter(loadRoutingConfig('dialogs/routing.yaml'));
const NOW = new Date('2026-11-24T10:00:00Z');
const ctx: DialogContext = {
  now: NOW,
  router,
  ...DIALOG_SETTINGS,
  // The ticket a turn may open, as the engine prepares it (a new customer: no earlier tickets).
  newTicket: { reference: 'CMP-000777', earlierTickets: 0, windowDays: 180 },
};
const hint = (h: Partial<LlmHint>): LlmHint => ({ isComplaint: true, dropped: [], ...h });
const turn = (state: unknown, text: string, h?: LlmHint, style?: 'letter') =>
  runDialog(state, { text, receivedAt: NOW.toISOString(), hint: h, style }, ctx);

/** The routing of the ticket a letter opens at once (a letter files without a confirmation turn). */
const ticketRouting = (text: string, h?: LlmHint) => {
  const out = turn(
    undefined,
    `${text} Order 55123, yesterday. I want an explanation. Sam Lee, sam@example.com`,
    h,
    'letter',
  );
  const open = out.effects.find((e) => e.type === 'open_ticket');
  return open && open.type === 'open_ticket' ? open.routing : undefined;
};

describe('the LLM hint in the dialog', () => {
  const question = 'When does my promo code expire?';

  it('isComplaint true: a message the built-in detector takes for a question is heard as a complaint', () => {
    expect(turn(undefined, question).replies.join(' ')).toMatch(/complaints/i);
    const heard = turn(undefined, question, hint({ isComplaint: true }));
    expect(heard.state.phase).toBe('confirming');
  });

  it('isComplaint false never drops a complaint the built-in detector found', () => {
    const out = turn(
      undefined,
      'My kettle arrived cracked and nobody answers my emails.',
      hint({ isComplaint: false }),
    );
    expect(out.state.phase).toBe('confirming');
  });

  it("the hint's category routes a ticket the built-in routing would triage", () => {
    const vague = 'Something happened with the thing I got from you and I am not pleased at all.';
    expect(ticketRouting(vague)?.category).toBe('general');
    const routed = ticketRouting(vague, hint({ category: 'delivery_logistics' }));
    expect(routed).toMatchObject({ category: 'delivery_logistics', department: 'logistics' });
    expect(routed?.reasons[0]).toMatch(/suggested by the LLM/);
  });

  it('but never overrides a category the built-in routing is sure of', () => {
    const sure = 'I was charged twice for my subscription and the bill is wrong.';
    expect(ticketRouting(sure, hint({ category: 'delivery_logistics' }))?.category).toBe('billing_pricing');
  });
});
