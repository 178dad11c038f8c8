import { describe, expect, it } from 'vitest';
import { runDialog, type DialogContext } from '../../../dialogs/dialog.ts';
import { createRouter } from '../../../dialogs/router.ts';
import { MAX_LOOKUP_FAILURES } from '../../../dialogs/moves/lookup.ts';
import type { LookupResult } from '../../../dialogs/ticket-lookup.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import { DIALOG_SETTINGS } from '../dialog-settings.ts';

// A customer asking about a ticket by reference from any channel (issue #16 item 1): the dialog asks the engine to look
// it up with the contact point given, and answers from what the engine found, never from anything else.
const NOW = new Date('2026-11-24T10:00:00Z');
const router = createRouter(loadRoutingConfig('dialogs/routing.yaml'));
const ctx = (lookup?: LookupResult): DialogContext => ({
  now: NOW,
  router,
  ...DIALOG_SETTINGS,
  lookup,
});
const open: LookupResult = {
  reference: 'CMP-000123',
  ticket: { status: 'in_progress', department: 'logistics', dueAt: '2026-11-26T09:00:00Z', resolvedAt: null },
};
const turn = (text: string, lookup?: LookupResult, state?: unknown, knownEmail?: string) =>
  runDialog(state, { text, receivedAt: NOW.toISOString(), knownEmail }, ctx(lookup));

describe('a question about a ticket by its reference', () => {
  it("with a contact point asks the engine, then answers with the status, in the customer's language", () => {
    const q = turn('CMP-000123, my email is ann@example.com');
    expect(q.lookupNeeded).toEqual({ reference: 'CMP-000123', email: 'ann@example.com' });
    const a = turn('CMP-000123, my email is ann@example.com', open);
    expect(a.lookupNeeded).toBeUndefined();
    expect(a.replies.join('\n')).toBe(
      'CMP-000123 is being worked on with our Delivery and Logistics team. We promised a reply by 09:00 UTC on Thursday 26 November.',
    );
    // Nothing is opened, nothing is recorded: a status question is not a complaint.
    expect(a.effects).toEqual([]);
    expect(a.state.phase).toBe('start');

    const zh = turn('cmp-000123 的进度怎么样了？电话 13912345678', {
      ...open,
      ticket: { ...open.ticket!, status: 'resolved', resolvedAt: '2026-11-25T08:00:00Z' },
    });
    expect(zh.replies.join('\n')).toBe(
      'CMP-000123 已于11月25日解决（物流配送部）。如果问题没有解决，请直接在这里告诉我。',
    );
    expect(turn('cmp-000123 的进度怎么样了？电话 13912345678').lookupNeeded).toEqual({
      reference: 'CMP-000123',
      phone: '+8613912345678',
    });
  });

  it('an email sender is asked about with their own From address', () => {
    expect(turn('What is the status of CMP-000123?', undefined, undefined, 'ann@example.com').lookupNeeded).toEqual({
      reference: 'CMP-000123',
      email: 'ann@example.com',
    });
  });

  it('a reference alone asks for the contact point on it; the next message may give it', () => {
    const ask = turn('Any news on CMP-000123?');
    expect(ask.lookupNeeded).toBeUndefined();
    expect(ask.replies.join('\n')).toMatch(/email address or phone number given with the complaint/);
    const then = turn('ann@example.com', undefined, ask.state);
    expect(then.lookupNeeded).toEqual({ reference: 'CMP-000123', email: 'ann@example.com' });
  });

  it('no match says the same whether the reference does not exist or the contact point is not on it', () => {
    const miss = turn('CMP-000123, my email is eve@example.com', { reference: 'CMP-000123' });
    expect(miss.replies.join('\n')).toBe(
      "I couldn't find a complaint CMP-000123 with that email address or phone number. Please check both, exactly as you gave them when you complained.",
    );
    expect(miss.state.lookupFailures).toBe(1);
  });

  it(`stops after ${MAX_LOOKUP_FAILURES} failed lookups in one conversation`, () => {
    let state: unknown;
    for (let i = 0; i < MAX_LOOKUP_FAILURES; i++)
      state = turn(`CMP-00012${i} eve@example.com`, { reference: `CMP-00012${i}` }, state).state;
    const out = turn('CMP-000123 eve@example.com', open, state);
    expect(out.lookupNeeded).toBeUndefined();
    expect(out.replies.join('\n')).toMatch(/only check a few references/);
  });

  it("a complaint that cites an earlier reference is a complaint, and the conversation's own reference is no lookup", () => {
    const long = turn(
      'This is the second time I write about my washing machine, see CMP-000123: it is leaking again since Monday, the engineer never came and I want a replacement now. ann@example.com',
    );
    expect(long.lookupNeeded).toBeUndefined();
    expect(long.replies.join('\n')).toMatch(/Have I got that right\?/);
    // CI (email): another customer's mail with "About CMP-…" in its subject is their own complaint.
    const cited = turn(
      'About CMP-000123\n\nMy kettle from order 44902 broke yesterday.',
      undefined,
      undefined,
      'sue@x.example',
    );
    expect(cited.lookupNeeded).toBeUndefined();
    expect(cited.replies.join('\n')).not.toMatch(/couldn't find|email address or phone number given/);
    const own = turn('CMP-000123 ann@example.com', open, { ticketReference: 'CMP-000123', phase: 'ticketed' });
    expect(own.lookupNeeded).toBeUndefined();
  });

  it('"any news?" in the conversation of the ticket is answered from the ticket, with no contact point asked', () => {
    const mine = { ticketReference: 'CMP-000123', phase: 'ticketed' };
    expect(turn('Any news?', undefined, mine).lookupNeeded).toEqual({ reference: 'CMP-000123', own: true });
    expect(turn('进度怎么样了？', undefined, mine).lookupNeeded).toEqual({ reference: 'CMP-000123', own: true });
    const a = turn('Any news?', open, mine);
    expect(a.replies.join('\n')).toMatch(/^CMP-000123 is being worked on with our Delivery and Logistics team\./);
    expect(a.effects).toEqual([]);
    // New information is not a question, nor is a question followed by news: both go to the ticket as today.
    expect(turn('Any news? Also the tracking number is 88123-B', undefined, mine).lookupNeeded).toBeUndefined();
    const update = turn('Update: the box was also soaked through', undefined, mine);
    expect(update.lookupNeeded).toBeUndefined();
    expect(update.effects.map((e) => e.type)).toContain('ticket_event');
  });
});
