/**
 * Recovering unhappy customers (issue #16 item 4) on the store and the scheduler: a low score opens a recovery task
 * owned by the claimer or the department's lead, with its deadline, reminder and breach; the customer's second
 * follow-up waits for the recorded contact or the deadline; rounds past max_rounds escalate; a reopen renews the SLA.
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoutingConfig, type RoutingConfig } from '../../../dialogs/routing-config.ts';
import { effectSchema, type DialogState } from '../../../dialogs/types.ts';
import { applyEffects } from '../../../src/core/apply-effects.ts';
import type { Db } from '../../../src/store/db.ts';
import type { ConversationRow } from '../../../src/store/conversations.ts';
import { followupsOf } from '../../../src/store/followups.ts';
import { recoveryTasksOf } from '../../../src/store/recovery-tasks.ts';
import { ticketByReference, ticketEvents, updateTicket, type TicketRow } from '../../../src/store/tickets.ts';
import { FollowupScheduler } from '../../../src/jobs/scheduler.ts';
import { recordRecoveryIn } from '../../../src/staff/recovery.ts';
import { DATABASE_URL, testDb } from '../../helpers.ts';
import { fixtureTicket } from '../store/ticket-fixture.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';
const HOUR = 3_600_000;

/** routing.yaml as shipped, with the quality team's lead and escalation target set and `recovery` as given. */
function routingWith(recovery?: Record<string, number>): RoutingConfig {
  const raw = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
  const quality = raw.departments.find((d: { id: string }) => d.id === 'quality');
  Object.assign(quality, { lead: 'U0LEAD01', oncall: 'S0ONCALL1', escalation_slack: 'CESCALATE' });
  if (recovery) raw.recovery = recovery;
  return parseRoutingConfig(stringify(raw));
}

describe(`recovery tasks on ${kind}`, () => {
  let db: Db;
  const routing = routingWith({ max_rounds: 2 });
  const now = new Date(Math.ceil(Date.now() / HOUR) * HOUR + 86_400_000);
  let scheduler: FollowupScheduler;
  const at = (h: number) => new Date(now.getTime() + h * HOUR);
  beforeAll(async () => {
    db = await testDb(kind);
    scheduler = new FollowupScheduler({ db, routing, defaultLanguage: 'en' });
  });
  afterAll(async () => db?.close());

  /** A low (or not) score as the dialog's satisfaction turn gives it, applied at `when`. */
  const score = async (t: TicketRow, n: number, when = now, extra: Record<string, unknown> = {}) => {
    const effects = [
      { type: 'record_satisfaction', score: n, comment: String(n), low: n <= 2, ...extra },
      ...(n <= 2
        ? [
            { type: 'set_status', status: 'reopened', reason: `satisfaction score ${n}` },
            {
              type: 'schedule_followup',
              kind: 'second_followup',
              audience: 'customer',
              dueAt: new Date(when.getTime() + 72 * HOUR).toISOString(),
            },
          ]
        : []),
    ].map((e) => effectSchema.parse(e));
    await db.transaction(async (tx) => {
      const conv = (await tx.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [t.conversation_id]))
        .rows[0];
      const state = { ticketReference: t.reference, language: 'en' } as DialogState;
      await applyEffects(tx, undefined, { ...conv, state }, effects, state, {} as never, { routing, now: when });
    });
  };
  const resolved = async (key: string) => {
    const t = await fixtureTicket(db, key);
    await db.transaction((tx) => updateTicket(tx, t.id, { status: 'resolved', resolved_at: now }));
    return t;
  };
  const events = async (t: TicketRow, k: string) => (await ticketEvents(db, t.id)).filter((e) => e.kind === k);
  const followup = async (t: TicketRow, k: string) =>
    (await followupsOf(db, t.id)).filter((f) => f.kind === k && f.state !== 'cancelled');

  it('a low score on an unclaimed ticket opens a task for the lead, due in 48 h, reminded 12 h before', async () => {
    const t = await resolved('rec-lead');
    await score(t, 1);
    const [task] = await recoveryTasksOf(db, t.id);
    expect(task).toMatchObject({ round: 1, owner: 'U0LEAD01', state: 'open', score: 1 });
    expect(new Date(task.due_at)).toEqual(at(48));
    expect((await followup(t, 'recovery_reminder')).map((f) => f.due_at)).toEqual([at(36)]);
    expect((await followup(t, 'recovery_breach')).map((f) => f.due_at)).toEqual([at(48)]);
    expect((await events(t, 'recovery_opened'))[0]).toMatchObject({
      actor: 'bot',
      data: { round: 1, owner: 'U0LEAD01', ownerRole: 'lead', dueAt: at(48).toISOString(), score: 1 },
    });
    // Reopened: a new SLA from now by its severity (serious: 24 h), and its breach follow-up moved there.
    const after = (await ticketByReference(db, t.reference))!;
    expect(after.status).toBe('reopened');
    expect(new Date(after.sla_due_at)).toEqual(at(24));
    expect((await followup(t, 'sla_breach')).map((f) => [f.state, f.due_at])).toContainEqual(['scheduled', at(24)]);
    expect((await events(t, 'sla_renewed'))[0].data).toMatchObject({ slaDueAt: at(24).toISOString() });
  });

  it('a claimed ticket is the claimer’s; a score that is not low, or that the survey says is not, opens none', async () => {
    const t = await resolved('rec-claimer');
    await db.transaction((tx) => updateTicket(tx, t.id, { claimed_by: 'U0CLAIM01' }));
    await score(t, 2);
    expect((await recoveryTasksOf(db, t.id)).map((x) => x.owner)).toEqual(['U0CLAIM01']);
    const fine = await resolved('rec-fine');
    await score(fine, 4);
    // The survey's own verdict wins over the default threshold (a deployment whose low score is 1).
    await score(fine, 2, now, { low: false });
    expect(await recoveryTasksOf(db, fine.id)).toEqual([]);
  });

  it('holds the second follow-up until the contact is recorded, then sends it; the reminder is cancelled', async () => {
    const t = await resolved('rec-held');
    await score(t, 1);
    const second = (await followup(t, 'second_followup'))[0];
    // Due before the deadline (pushed there by hand): firing it only moves it to the deadline.
    await db.query('UPDATE followups SET due_at = $2 WHERE id = $1', [second.id, at(1)]);
    expect(await scheduler.fire(second.id, at(2))).toBe('not_due');
    expect((await followup(t, 'second_followup'))[0].due_at).toEqual(at(48));
    // The reminder at 36 h says the contact is due.
    await scheduler.fireDue(at(37));
    expect((await events(t, 'recovery_reminder'))[0].data).toMatchObject({ round: 1, owner: 'U0LEAD01' });
    // Staff record the contact: the second follow-up is due at once and goes out; the breach never fires.
    const recorded = await db.transaction((tx) =>
      recordRecoveryIn(tx, {
        reference: t.reference,
        input: { outcome: 'recovered', note: 'called, refund agreed' },
        actor: 'staff:alice',
        now: at(40),
      }),
    );
    expect(recorded).toMatchObject({ state: 'contacted', outcome: 'recovered', recorded_by: 'staff:alice' });
    expect((await events(t, 'recovery_recorded'))[0]).toMatchObject({
      actor: 'staff:alice',
      data: { outcome: 'recovered', note: 'called, refund agreed', round: 1, late: false },
    });
    await scheduler.fireDue(at(40));
    expect((await events(t, 'followup_sent')).map((e) => (e.data as { kind: string }).kind)).toEqual([
      'second_followup',
    ]);
    await scheduler.fireDue(at(49));
    expect(await events(t, 'recovery_breached')).toEqual([]);
    // Recorded once: a second record is refused.
    await expect(
      db.transaction((tx) =>
        recordRecoveryIn(tx, { reference: t.reference, input: { outcome: 'recovered' }, actor: 'x', now: at(41) }),
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('past the deadline the task is breached and escalated, and the held follow-up goes out', async () => {
    const t = await resolved('rec-breach');
    await score(t, 1);
    const second = (await followup(t, 'second_followup'))[0];
    await db.query('UPDATE followups SET due_at = $2 WHERE id = $1', [second.id, at(1)]);
    await scheduler.fireDue(at(47));
    expect((await followup(t, 'second_followup'))[0].state).toBe('scheduled');
    await scheduler.fireDue(at(48));
    expect((await events(t, 'recovery_breached'))[0].data).toMatchObject({
      round: 1,
      owner: 'U0LEAD01',
      escalation: 'quality-lead',
      escalationSlack: 'CESCALATE',
    });
    expect((await recoveryTasksOf(db, t.id))[0].state).toBe('breached');
    expect((await followup(t, 'second_followup'))[0].state).toBe('sent');
    // A late contact is still recorded, and says it was late.
    await db.transaction((tx) =>
      recordRecoveryIn(tx, {
        reference: t.reference,
        input: { outcome: 'unreachable' },
        actor: 'slack:U0LEAD01',
        now: at(50),
      }),
    );
    expect((await events(t, 'recovery_recorded'))[0].data).toMatchObject({ late: true, wasState: 'breached' });
  });

  it('a round past max_rounds opens escalated, owned by the escalation target', async () => {
    const t = await resolved('rec-rounds');
    await score(t, 1);
    await score(t, 2, at(100));
    await score(t, 1, at(200));
    const tasks = await recoveryTasksOf(db, t.id);
    expect(tasks.map((x) => [x.round, x.state, x.owner])).toEqual([
      [1, 'open', 'U0LEAD01'],
      [2, 'open', 'U0LEAD01'],
      [3, 'escalated', 'CESCALATE'],
    ]);
    expect((await events(t, 'recovery_escalated'))[0].data).toMatchObject({
      round: 3,
      maxRounds: 2,
      ownerRole: 'escalation',
      escalation: 'quality-lead',
    });
  });
});

describe('recovery configuration', () => {
  it('defaults to 48 hours, a reminder 12 hours before and two rounds; a partial section keeps the rest', () => {
    const raw = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
    delete raw.recovery;
    expect(parseRoutingConfig(stringify(raw)).recovery).toEqual({
      deadline_hours: 48,
      reminder_hours: 12,
      max_rounds: 2,
    });
    expect(routingWith({ deadline_hours: 24 }).recovery).toEqual({
      deadline_hours: 24,
      reminder_hours: 12,
      max_rounds: 2,
    });
  });

  it('refuses a lead that is not a Slack user or user group, and zero rounds', () => {
    const raw = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
    raw.departments[0].lead = 'quality-boss';
    raw.recovery = { max_rounds: 0 };
    expect(() => parseRoutingConfig(stringify(raw))).toThrow(/departments\.0\.lead[\s\S]*recovery\.max_rounds/);
  });
});
