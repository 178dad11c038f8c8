/**
 * The satisfaction survey end to end through the engine, the scheduler and the store: the check goes out with every
 * question, the customer's replies are stored one row per question with their round, a low score reopens the ticket,
 * the staff ticket JSON lists the answers, and erasing the customer blanks the comment but keeps the scores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../../dialogs/router.ts';
import { Engine } from '../../../src/core/engine.ts';
import { FollowupScheduler } from '../../../src/jobs/scheduler.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import { changeStatus, ticketView } from '../../../src/staff/tickets.ts';
import type { Db } from '../../../src/store/db.ts';
import { scrubConversations } from '../../../src/store/erasures.ts';
import { ticketByReference } from '../../../src/store/tickets.ts';
import { missing, testClock, testConfig, testDb } from '../../helpers.ts';

const routing = loadRoutingConfig('dialogs/routing.yaml');
const MIN = 60_000;
const DAY = 86_400_000;

const kinds = [
  { kind: 'pg' as const, skip: missing('postgres') },
  { kind: 'pglite' as const, skip: undefined },
];

describe.each(kinds)('satisfaction survey answers on $kind', ({ kind, skip }) => {
  let db: Db;
  beforeAll(async () => {
    if (!skip) db = await testDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it.skipIf(skip)(
    'answers are stored per question and round; a low score reopens the ticket; erasure blanks the comment',
    async () => {
      const clock = testClock();
      const engine = new Engine({ db, router: createRouter(routing), config: testConfig(), clock: clock.now });
      const scheduler = new FollowupScheduler({ db, routing, defaultLanguage: 'en', clock: clock.now });
      const base = { channel: 'test', conversationKey: `survey-${kind}`, sender: { id: `survey-${kind}` } };
      let n = 0;
      const say = async (text: string) =>
        (await engine.handle({ ...base, messageKey: `s-${n++}`, text })).replies.map((r) => r.text).join('\n');
      await say('My kettle from order 66120 arrived broken yesterday. I want a replacement. Ana Ruiz, ana@example.com');
      await say('yes');
      const ticket = (
        await db.query<{ id: number; reference: string; conversation_id: number }>(
          'SELECT id, reference, conversation_id FROM tickets WHERE conversation_id = (SELECT id FROM conversations WHERE conversation_key = $1)',
          [base.conversationKey],
        )
      ).rows[0];
      const rows = async () =>
        (
          await db.query(
            'SELECT question, score, yes, text, round FROM satisfaction_answers WHERE ticket_id = $1 ORDER BY id',
            [ticket.id],
          )
        ).rows;

      await changeStatus(db, {
        reference: ticket.reference,
        change: { status: 'resolved', note: 'replacement sent' },
        actor: 'test',
        now: clock.now(),
        satisfactionDays: 7,
      });
      clock.advance(7 * DAY + MIN);
      await scheduler.fireDue(clock.now());
      const check = await db.query<{ text: string }>(
        "SELECT m.text FROM messages m JOIN followups f ON f.id = m.followup_id WHERE f.kind = 'satisfaction_check' AND f.ticket_id = $1",
        [ticket.id],
      );
      // One message asks the whole survey.
      expect(check.rows).toHaveLength(1);
      expect(check.rows[0].text).toMatch(
        /1\. How satisfied[\s\S]*2\. Was your complaint fully solved[\s\S]*3\. Anything else/,
      );

      // No score: what was given is stored, and the score is asked for once.
      expect(await say('not really')).toMatch(/One more thing: How satisfied/);
      expect(await rows()).toEqual([
        { question: 'solved', score: null, yes: false, text: null, round: 'satisfaction_check' },
      ]);
      expect(await say('1, the replacement leaks too')).toMatch(/reopened/);
      expect((await rows()).slice(1)).toEqual([
        { question: 'score', score: 1, yes: null, text: null, round: 'satisfaction_check' },
        { question: 'comment', score: null, yes: null, text: 'the replacement leaks too', round: 'satisfaction_check' },
      ]);
      const t = (await db.query('SELECT status, satisfaction FROM tickets WHERE id = $1', [ticket.id])).rows[0];
      expect(t).toEqual({ status: 'reopened', satisfaction: 1 });
      const event = (
        await db.query("SELECT data FROM ticket_events WHERE ticket_id = $1 AND kind = 'satisfaction'", [ticket.id])
      ).rows;
      expect(event).toEqual([{ data: { score: 1, comment: '1, the replacement leaks too' } }]);

      // The second follow-up asks again (once the recovery task's deadline has passed); its answers are its round's.
      clock.advance(3 * DAY + MIN);
      await scheduler.fireDue(clock.now());
      const again = await db.query<{ text: string }>(
        "SELECT m.text FROM messages m JOIN followups f ON f.id = m.followup_id WHERE f.kind = 'second_followup' AND f.ticket_id = $1",
        [ticket.id],
      );
      expect(again.rows[0].text).toMatch(/checking in again[\s\S]*1\. How satisfied/);
      expect(await say('4, yes')).toMatch(/glad/);
      expect((await rows()).slice(3)).toEqual([
        { question: 'score', score: 4, yes: null, text: null, round: 'second_followup' },
        { question: 'solved', score: null, yes: true, text: null, round: 'second_followup' },
      ]);

      // The staff API's ticket JSON lists them.
      const view = await ticketView(db, (await ticketByReference(db, ticket.reference))!);
      expect(view.satisfactionAnswers.map((a) => [a.question, a.answer, a.round])).toEqual([
        ['solved', false, 'satisfaction_check'],
        ['score', 1, 'satisfaction_check'],
        ['comment', 'the replacement leaks too', 'satisfaction_check'],
        ['score', 4, 'second_followup'],
        ['solved', true, 'second_followup'],
      ]);

      // Erasing the customer blanks the comment (their words) and keeps what is counted.
      await db.transaction((tx) =>
        scrubConversations(tx, [ticket.conversation_id], { actor: 'dpo', now: clock.now(), event: { reason: 'test' } }),
      );
      expect((await rows()).map((r) => r.text ?? r.score ?? r.yes)).toEqual([false, 1, '[erased]', 4, true]);
    },
  );
});
