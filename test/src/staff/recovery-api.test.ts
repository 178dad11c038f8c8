import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { DATABASE_URL, staffGet, startTestApp } from '../../helpers.ts';
import { eraseCustomer } from '../../../src/privacy/erase.ts';
import { KETTLE, openTicket, scoreAfterResolution, staffPost } from './recovery-fixture.ts';

// Recovering unhappy customers through the staff API (issue #16 item 4): staff record the personal contact a low score
// owes the customer, as a ticket event with the acting staff member, and that releases the second follow-up.
let app: Redress;
beforeAll(async () => {
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    jobs: false,
    env: { SATISFACTION_CHECK_DAYS: '1', SECOND_FOLLOWUP_DAYS: '1' },
  });
});
afterAll(async () => {
  await app?.stop();
});

describe('POST /api/tickets/:reference/recovery', () => {
  it('records the contact and outcome as the staff member, and the second follow-up goes out', async () => {
    const ref = await openTicket(app, 'api-rec-1');
    await scoreAfterResolution(app, ref, 'api-rec-1', '1');
    const open = await staffGet(app, `/api/tickets/${ref}/recovery`);
    expect(open.body.recovery).toMatchObject([{ round: 1, state: 'open', score: 1, outcome: null }]);
    const due = Date.parse(open.body.recovery[0].dueAt);
    expect(due - Date.now()).toBeGreaterThan(47 * 3_600_000);
    expect(due - Date.now()).toBeLessThanOrEqual(48 * 3_600_000);
    // The second follow-up, due in a day, waits for the contact: firing it then moves it to the task's deadline.
    await app.scheduler.fireDue(new Date(Date.now() + 25 * 3_600_000));
    expect((await staffGet(app, `/api/tickets/${ref}`)).body.followups).toContainEqual(
      expect.objectContaining({ kind: 'second_followup', state: 'scheduled', dueAt: open.body.recovery[0].dueAt }),
    );

    const bad = await staffPost(app, `/api/tickets/${ref}/recovery`, { outcome: 'fine', by: 'alice' });
    expect(bad.status).toBe(400);
    expect(bad.body.message ?? JSON.stringify(bad.body)).toMatch(/outcome/);
    expect((await staffPost(app, `/api/tickets/${ref}/recovery`, { outcome: 'recovered' })).status).toBe(400);
    expect(
      (await staffPost(app, `/api/tickets/${ref}/recovery`, { outcome: 'recovered', by: 'a' }, 'wrong')).status,
    ).toBe(401);

    const r = await staffPost(app, `/api/tickets/${ref}/recovery`, {
      outcome: 'not_recovered',
      note: 'Called her; she wants a refund, not a replacement.',
      by: 'alice',
    });
    expect(r.status).toBe(200);
    expect(r.body.recovery[0]).toMatchObject({
      state: 'contacted',
      outcome: 'not_recovered',
      recordedBy: 'staff:alice',
    });
    expect(r.body.events.filter((e: any) => e.kind === 'recovery_recorded')).toEqual([
      expect.objectContaining({
        actor: 'staff:alice',
        data: expect.objectContaining({ outcome: 'not_recovered', round: 1, late: false }),
      }),
    ]);
    // Released: due now, it goes out at the next sweep.
    expect(await app.scheduler.fireDue()).toBeGreaterThanOrEqual(1);
    const after = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(after.followups).toContainEqual(expect.objectContaining({ kind: 'second_followup', state: 'sent' }));
    expect(after.followups.filter((f: any) => f.kind.startsWith('recovery_')).map((f: any) => f.state)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect((await staffPost(app, `/api/tickets/${ref}/recovery`, { outcome: 'recovered', by: 'bob' })).status).toBe(
      409,
    );
  });

  it('is a 409 on a ticket with no low score and a 404 on no ticket', async () => {
    const ref = await openTicket(app, 'api-rec-2');
    expect((await staffPost(app, `/api/tickets/${ref}/recovery`, { outcome: 'recovered', by: 'bob' })).status).toBe(
      409,
    );
    expect((await staffPost(app, '/api/tickets/CMP-999999/recovery', { outcome: 'recovered', by: 'bob' })).status).toBe(
      404,
    );
  });

  it('a ticket reopened by staff gets a new SLA from now, its breach moved there', async () => {
    const ref = await openTicket(app, 'api-rec-3');
    expect((await staffPost(app, `/api/tickets/${ref}/status`, { status: 'resolved' })).status).toBe(200);
    const before = Date.now();
    const t = await staffPost(app, `/api/tickets/${ref}/status`, { status: 'reopened', note: 'customer called' });
    expect(t.status).toBe(200);
    const hours = { urgent: 4, serious: 24, ordinary: 72 }[t.body.severity as 'ordinary'];
    expect(Date.parse(t.body.slaDueAt)).toBeGreaterThanOrEqual(before + hours * 3_600_000);
    expect(t.body.followups).toContainEqual(
      expect.objectContaining({ kind: 'sla_breach', state: 'scheduled', dueAt: t.body.slaDueAt }),
    );
    expect(t.body.events.find((e: any) => e.kind === 'sla_renewed')).toMatchObject({
      actor: 'staff-api',
      data: { slaDueAt: t.body.slaDueAt },
    });
  });

  it("erasing the customer erases the contact's note and keeps its outcome", async () => {
    const ref = await openTicket(app, 'api-rec-4', KETTLE.replace('ana@', 'zoe.erased@'));
    await scoreAfterResolution(app, ref, 'api-rec-4', '1');
    const note = 'Zoe said her neighbour, Mr Brand, saw the courier drop it.';
    expect(
      (await staffPost(app, `/api/tickets/${ref}/recovery`, { outcome: 'recovered', note, by: 'bo' })).status,
    ).toBe(200);
    await eraseCustomer(app.db, { email: 'zoe.erased@example.com' }, { actor: 'dpo', now: new Date() });
    const t = (await staffGet(app, `/api/tickets/${ref}/recovery`)).body;
    expect(t.recovery[0]).toMatchObject({ outcome: 'recovered', note: '[erased]', recordedBy: 'staff:bo' });
    expect(JSON.stringify((await staffGet(app, `/api/tickets/${ref}`)).body)).not.toContain('Mr Brand');
  });
});
