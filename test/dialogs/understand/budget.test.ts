import { describe, expect, it } from 'vitest';
import { absorb } from '../../../dialogs/absorb.ts';
import { runDialog } from '../../../dialogs/dialog.ts';
import { createRouter } from '../../../dialogs/router.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import { recordedBudget, timeBudget, type Budget } from '../../../dialogs/understand/budget.ts';
import { DIALOG_SETTINGS } from '../dialog-settings.ts';

const router = createRouter(loadRoutingConfig('dialogs/routing.yaml'));
const now = new Date('2026-11-24T10:00:00Z');
const ctx = {
  now,
  router,
  ...DIALOG_SETTINGS,
};
const story = 'My kettle from order 90121 arrived broken yesterday. I want a replacement. Ana Ruiz, ana@example.com';

/** A budget that is spent after `steps` checks: the dialog's behaviour past the budget, without depending on speed. */
const after = (steps: number): Budget => {
  let n = 0;
  return { spent: () => ++n > steps };
};

describe('the understanding budget', () => {
  it('reads everything while the budget lasts', () => {
    const a = absorb({ customerWords: [], declined: [] }, story, {
      now,
      regions: ['US'],
      describe: 'set',
      budget: after(1000),
    });
    expect(a.outOfTime).toBeUndefined();
    expect(a.record).toMatchObject({
      email: 'ana@example.com',
      orderNumber: '90121',
      occurredOn: '2026-11-23',
      resolution: 'replacement',
      product: 'kettle',
    });
  });

  it('past the budget keeps what it understood and reads no further', () => {
    // The first step reads the order number and the contact points; the date is the second.
    const a = absorb({ customerWords: [], declined: [] }, story, {
      now,
      regions: ['US'],
      describe: 'set',
      budget: after(1),
    });
    expect(a.outOfTime).toBe(true);
    expect(a.record.email).toBe('ana@example.com');
    expect(a.record.orderNumber).toBe('90121');
    expect(a.record.occurredOn).toBeUndefined();
    expect(a.record.product).toBeUndefined();
  });

  it('a turn past its budget still answers the customer and asks for what it did not read', () => {
    const out = runDialog(undefined, { text: story, receivedAt: now.toISOString() }, { ...ctx, budget: after(0) });
    expect(out.replies.length).toBeGreaterThan(0);
    expect(out.replies.join(' ')).toMatch(/\?/);
  });

  it('past the budget the story is still kept: the customer is not asked what went wrong after telling us', () => {
    const a = absorb({ customerWords: [], declined: [] }, story, {
      now,
      regions: ['US'],
      describe: 'set',
      budget: after(0),
    });
    expect(a.outOfTime).toBe(true);
    expect(a.record.description).toMatch(/kettle/);
    const out = runDialog(undefined, { text: story, receivedAt: now.toISOString() }, { ...ctx, budget: after(0) });
    expect(out.state.phase).toBe('confirming');
    // Restated from the story (what went wrong), though the product was not read.
    expect(out.replies.join(' ')).toMatch(/arrived damaged/);
  });

  it('a CPU-time budget is spent once its milliseconds of CPU are used', () => {
    let cpu = 0;
    const b = timeBudget(100, () => cpu);
    cpu = 99;
    expect(b.spent()).toBe(false);
    cpu = 101;
    expect(b.spent()).toBe(true);
  });
});

describe('a recorded budget, replayed', () => {
  it('answers a second run check for check as the first run was answered, even once the clock has moved on', () => {
    let cpu = 0;
    const budget = recordedBudget(timeBudget(10, () => cpu));
    const first = [budget.spent(), budget.spent(), ((cpu = 11), budget.spent()), budget.spent()];
    expect(first).toEqual([false, false, true, true]);
    cpu = 1000;
    const replay = budget.replay();
    expect([replay.spent(), replay.spent(), replay.spent(), replay.spent(), replay.spent()]).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it('a run that never spent it replays as never spent, and asks the budget itself past the recorded checks', () => {
    let cpu = 0;
    const budget = recordedBudget(timeBudget(10, () => cpu));
    expect([budget.spent(), budget.spent()]).toEqual([false, false]);
    cpu = 50;
    const replay = budget.replay();
    expect([replay.spent(), replay.spent(), replay.spent()]).toEqual([false, false, true]);
  });

  it('a whole turn replayed takes the same path: the same replies and effects', () => {
    const msg = { text: story, style: 'letter' as const, receivedAt: now.toISOString() };
    const newTicket = { reference: 'CMP-000001', earlierTickets: 0, windowDays: 180 };
    // A budget that runs out during the first run: a second run asking it afresh would find it spent at once.
    const inner = after(3);
    const budget = recordedBudget(inner);
    const first = runDialog(undefined, msg, { ...ctx, budget, newTicket });
    const again = runDialog(undefined, msg, { ...ctx, budget: budget.replay(), newTicket });
    expect(again).toEqual(first);
    expect(runDialog(undefined, msg, { ...ctx, budget: inner, newTicket })).not.toEqual(first);
  });
});
