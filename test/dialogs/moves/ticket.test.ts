import { describe, expect, it } from 'vitest';
import { runDialog, type DialogContext } from '../../../dialogs/dialog.ts';
import { packFor } from '../../../dialogs/language/index.ts';
import { createRouter } from '../../../dialogs/router.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import type { Effect } from '../../../dialogs/types.ts';
import { DIALOG_SETTINGS } from '../dialog-settings.ts';

const NOW = new Date('2026-11-24T10:00:00Z');
const router = createRouter(loadRoutingConfig('dialogs/routing.yaml'));
const ctx = (): DialogContext => ({
  now: NOW,
  router,
  ...DIALOG_SETTINGS,
});
const opened = (effects: Effect[]) =>
  effects.find((e) => e.type === 'open_ticket') as Extract<Effect, { type: 'open_ticket' }> | undefined;

describe('the ticket a turn opens, prepared before the turn', () => {
  const LETTER =
    'My desk lamp from order 41120 arrived broken last Tuesday. I want a replacement. Lena Fox, lena@example.org';
  const letter = (newTicket?: DialogContext['newTicket']) =>
    runDialog(undefined, { text: LETTER, style: 'letter', receivedAt: NOW.toISOString() }, { ...ctx(), newTicket });

  it('without one, a turn that would open a ticket says so and nothing else; with one, it names that reference', () => {
    const without = letter(undefined);
    expect(without).toMatchObject({ ticketNeeded: true, replies: [], effects: [] });
    const out = letter({ reference: 'CMP-004242', earlierTickets: 0, windowDays: 180 });
    expect(out.ticketNeeded).toBeUndefined();
    expect(out.state.ticketReference).toBe('CMP-004242');
    expect(opened(out.effects)).toMatchObject({ reference: 'CMP-004242', dueAt: out.state.ticketDueAt });
    expect(out.replies.join('\n')).toContain('CMP-004242');
    expect(out.replies.join('\n')).not.toMatch(/\{\{/);
  });

  it("a repeat customer is promised the serious reply time from the start; the apology answers the complaint's own severity", () => {
    const fresh = letter({ reference: 'CMP-000001', earlierTickets: 0, windowDays: 180 });
    const repeat = letter({ reference: 'CMP-000001', earlierTickets: 2, windowDays: 180 });
    expect(opened(fresh.effects)!.routing).toMatchObject({ severity: 'ordinary', slaHours: 72 });
    const routing = opened(repeat.effects)!.routing;
    expect(routing).toMatchObject({ severity: 'serious', slaHours: 24 });
    expect(routing.reasons.at(-1)).toBe(
      'serious: repeat complaint by the same customer (2 earlier tickets in 180 days)',
    );
    const due = new Date(NOW.getTime() + 24 * 3_600_000).toISOString();
    expect(repeat.state.ticketDueAt).toBe(due);
    expect(opened(repeat.effects)!.dueAt).toBe(due);
    const reminder = repeat.effects.find((e) => e.type === 'schedule_followup' && e.kind === 'sla_reminder');
    expect(reminder).toMatchObject({ dueAt: new Date(NOW.getTime() + 24 * 0.8 * 3_600_000).toISOString() });
    const text = repeat.replies.join('\n');
    expect(text).toContain(packFor('en').formatDue(due));
    expect(text).not.toContain(packFor('en').formatDue(fresh.state.ticketDueAt!));
    // Only the promise differs: the same apology, the same words otherwise.
    expect(repeat.replies[0]).toBe(fresh.replies[0]);
  });
});
