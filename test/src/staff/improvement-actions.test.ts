/**
 * Improvement actions (issue #17 item 4) through the staff API and the dashboard's forms: create, list, change, the
 * append-only history, validation errors with their codes, a department manager's reach, and the effect on complaints
 * of the linked root cause before and after the action was opened (hand-computed counts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { StaffSessions } from '../../../src/staff/auth/sessions.ts';
import { actionStateSchema } from '../../../src/store/improvement-actions.ts';
import { DATABASE_URL, startTestApp } from '../../helpers.ts';
import { api, causeTicket } from './actions-fixture.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';
const OPENED = '2026-11-01T00:00:00.000Z';
let now = new Date(OPENED);
let app: Redress;
const ref: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp(kind, { jobs: false, clock: () => now, env: { DIGEST_TZ: 'UTC' } });
  // Tickets resolved with the root cause product_defect, received around 1 November 00:00 UTC (when the actions open).
  const tickets: Array<[string, string, string[], string?]> = [
    ['A', '2026-10-05T00:00:00Z', ['product_defect']], // 27 days before: week -4
    ['B', '2026-10-25T10:00:00Z', ['product_defect']], // 6.6 days before: week -1
    ['C', '2026-10-28T00:00:00Z', ['product_defect']], // 4 days before: week -1
    ['D', '2026-09-15T00:00:00Z', ['product_defect']], // 47 days before: in no period
    ['E', '2026-11-03T00:00:00Z', ['product_defect', 'product_defect']], // resolved twice, counted once: week +1
    ['F', '2026-11-20T00:00:00Z', ['product_defect']], // 19 days after: week +3
    ['G', '2026-11-10T00:00:00Z', ['process_gap']], // another cause
    ['H', '2026-11-05T00:00:00Z', ['product_defect'], 'billing'], // billing's: week +1 when no department is set
    ['I', '2026-10-30T00:00:00Z', []], // no resolution
  ];
  for (const [k, created, causes, department] of tickets)
    ref[k] = (await causeTicket(app.db, `act-${k}`, { created, causes, department })).reference;
});
afterAll(async () => app?.stop());

describe(`improvement actions through the staff API (${kind})`, () => {
  let id: number;

  it('opens an action linked to a cause and tickets, and records its creation', async () => {
    const r = await api(app.url, 'POST', '/api/actions', {
      title: 'Inspect the kettle batch',
      owner: 'U024BE7LH',
      due: '2026-11-15',
      cause: 'product_defect',
      tickets: [ref.B, ref.C, ref.B],
      by: 'alice',
    });
    expect(r.status).toBe(201);
    id = r.body.id;
    expect(r.body).toMatchObject({
      title: 'Inspect the kettle batch',
      owner: 'U024BE7LH',
      due: '2026-11-15',
      department: null,
      cause: 'product_defect',
      state: 'open',
      overdue: false,
      tickets: [ref.B, ref.C].sort(),
      createdBy: 'alice',
      createdAt: OPENED,
    });
    expect(r.body.history).toEqual([
      {
        at: OPENED,
        actor: 'alice',
        change: {
          created: {
            title: 'Inspect the kettle batch',
            owner: 'U024BE7LH',
            due: '2026-11-15',
            department: null,
            cause: 'product_defect',
            tickets: [ref.B, ref.C].sort(),
          },
        },
      },
    ]);
  });

  it('refuses bad input with BAD_REQUEST naming the field, unknown causes and tickets included', async () => {
    const good = { title: 'x', owner: 'bob', due: '2026-12-01', by: 'alice' };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, title: '' }, /^title: /],
      [{ ...good, due: '2026-13-01' }, /^due: /],
      [{ ...good, cause: 'bad_luck' }, /cause: unknown root cause "bad_luck"/],
      [{ ...good, department: 'moon_base' }, /department: unknown department "moon_base"/],
      [{ ...good, tickets: ['CMP-999999', ref.A] }, /tickets: no such ticket CMP-999999$/],
      [{ ...good, tickets: ['kettle'] }, /^tickets\.0: a ticket reference looks like CMP-000123/],
      [{ ...good, colour: 'red' }, /colour/],
      [{ title: 'x', owner: 'bob', due: '2026-12-01' }, /^by: /],
    ];
    for (const [body, message] of cases) {
      const r = await api(app.url, 'POST', '/api/actions', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('BAD_REQUEST');
      expect(r.body.error.message).toMatch(message);
    }
    // Nothing was opened by any of them.
    expect((await api(app.url, 'GET', '/api/actions')).body.actions).toHaveLength(1);
    const p = await api(app.url, 'PATCH', `/api/actions/${id}`, { by: 'alice' });
    expect(p.body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'body: nothing to change' });
    const unknown = await api(app.url, 'PATCH', `/api/actions/${id}`, { link: ['CMP-999998'], by: 'alice' });
    expect(unknown.body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'link: no such ticket CMP-999998' });
    expect((await api(app.url, 'PATCH', '/api/actions/99999', { state: 'done', by: 'a' })).status).toBe(404);
    expect((await api(app.url, 'GET', '/api/actions/abc')).body.error.code).toBe('NOT_FOUND');
    const anonymous = await fetch(`${app.url}/api/actions`);
    expect(anonymous.status).toBe(401);
  });

  it('changes state, owner and tickets, each change in the history with who and when', async () => {
    now = new Date('2026-11-11T00:00:00Z');
    const r = await api(app.url, 'PATCH', `/api/actions/${id}`, {
      state: 'in_progress',
      owner: 'U999',
      link: [ref.A],
      unlink: [ref.C, ref.F], // F was never linked: nothing to record for it
      by: 'bob',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'in_progress', owner: 'U999', tickets: [ref.A, ref.B].sort() });
    expect(r.body.history[1]).toEqual({
      at: '2026-11-11T00:00:00.000Z',
      actor: 'bob',
      change: {
        state: { from: 'open', to: 'in_progress' },
        owner: { from: 'U024BE7LH', to: 'U999' },
        linked: [ref.A],
        unlinked: [ref.C],
      },
    });
    // The same change again changes nothing and adds no line.
    const again = await api(app.url, 'PATCH', `/api/actions/${id}`, { state: 'in_progress', by: 'bob' });
    expect(again.body.history).toHaveLength(2);
    // The history is append-only in the database too.
    await expect(app.db.query("UPDATE improvement_action_history SET actor = 'mallory'")).rejects.toThrow(
      /append-only/,
    );
  });

  it('shows the effect: complaints of the cause in the days before the action against as many days after', async () => {
    // Ten days after opening: both periods are ten days, 22 Oct – 1 Nov and 1 Nov – 11 Nov.
    const short = (await api(app.url, 'GET', `/api/actions/${id}`)).body.effect;
    expect(short).toMatchObject({
      days: 10,
      before: { from: '2026-10-22T00:00:00.000Z', to: OPENED, count: 2 }, // B, C
      after: { from: OPENED, to: '2026-11-11T00:00:00.000Z', count: 2 }, // E (twice resolved), H
    });
    expect(short.weeks.map((w: any) => [w.week, w.count])).toEqual([
      [-2, 0], // 22–25 Oct
      [-1, 2], // 25 Oct – 1 Nov: B, C
      [0, 2], // 1–8 Nov: E, H
      [1, 0], // 8–11 Nov
    ]);
    expect(short.weeks[0]).toMatchObject({ from: '2026-10-22T00:00:00.000Z', to: '2026-10-25T00:00:00.000Z' });

    // Forty days after: 30 days each side, 2 Oct – 1 Nov and 1 Nov – 1 Dec.
    now = new Date('2026-12-10T00:00:00Z');
    const long = (await api(app.url, 'GET', `/api/actions/${id}`)).body;
    expect(long.overdue).toBe(true); // in progress, due 15 November
    expect(long.effect.days).toBe(30);
    expect(long.effect.before).toMatchObject({ from: '2026-10-02T00:00:00.000Z', count: 3 }); // A, B, C
    expect(long.effect.after).toMatchObject({ to: '2026-12-01T00:00:00.000Z', count: 3 }); // E, H, F
    expect(long.effect.weeks.map((w: any) => w.count)).toEqual([0, 1, 0, 0, 2, 2, 0, 1, 0, 0]);
    const week = (await api(app.url, 'GET', `/api/actions/${id}?days=7`)).body.effect;
    expect([week.before.count, week.after.count]).toEqual([2, 2]);
    expect((await api(app.url, 'GET', `/api/actions/${id}?days=0`)).status).toBe(400);
  });

  it("counts only the action's department when it has one", async () => {
    now = new Date(OPENED);
    const r = await api(app.url, 'POST', '/api/actions', {
      title: 'Retrain quality inspectors',
      owner: 'Quinn',
      due: '2027-01-31',
      department: 'quality',
      cause: 'product_defect',
      by: 'alice',
    });
    now = new Date('2026-12-10T00:00:00Z');
    const effect = (await api(app.url, 'GET', `/api/actions/${r.body.id}`)).body.effect;
    expect([effect.before.count, effect.after.count]).toEqual([3, 2]); // H is billing's
  });

  it('lists open actions by due date, and done ones apart', async () => {
    const quick = await api(app.url, 'POST', '/api/actions', { title: 'Q', owner: 'o', due: '2026-12-01', by: 'a' });
    await api(app.url, 'PATCH', `/api/actions/${quick.body.id}`, { state: 'done', by: 'a' });
    const open = (await api(app.url, 'GET', '/api/actions?show=open')).body.actions;
    expect(open.map((a: any) => [a.title, a.overdue])).toEqual([
      ['Inspect the kettle batch', true],
      ['Retrain quality inspectors', false],
    ]);
    const done = (await api(app.url, 'GET', '/api/actions?show=done')).body.actions;
    expect(done.map((a: any) => a.title)).toEqual(['Q']);
    const quality = (await api(app.url, 'GET', '/api/actions?department=quality')).body.actions;
    expect(quality.map((a: any) => a.title)).toEqual(['Retrain quality inspectors']);
    expect((await api(app.url, 'GET', '/api/actions?show=later')).status).toBe(400);
  });
});

describe(`the migrations' checks (${kind})`, () => {
  const allowed = async (table: string, constraint: string) => {
    const r = await app.db.query<{ def: string }>(
      'SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = to_regclass($1) AND conname = $2',
      [table, constraint],
    );
    return [...r.rows[0].def.matchAll(/'([^']*)'::text/g)].map((m) => m[1]).sort();
  };
  it('allow the states the code knows, and the monthly digest kind', async () => {
    expect(await allowed('improvement_actions', 'improvement_actions_state_check')).toEqual(
      [...actionStateSchema.options].sort(),
    );
    expect(await allowed('digests', 'digests_kind_check')).toEqual(['daily', 'monthly', 'weekly']);
  });
});

describe(`a department manager's actions on the dashboard (${kind})`, () => {
  const form = (cookie: string, body: Record<string, string>, path = '/dashboard/actions') =>
    fetch(app.url + path, {
      method: 'POST',
      headers: { cookie, origin: app.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
      redirect: 'manual',
    });

  it('sees, opens and changes only actions of their departments', async () => {
    const sessions = new StaffSessions({ db: app.db, clock: () => now, idleSeconds: 3600, maxSeconds: 3600 });
    const bob = await sessions.start({
      subject: 'bob',
      name: 'Bob Billing',
      role: 'manager',
      departments: ['billing'],
      via: 'oidc',
    });
    const cookie = `redress_session=${bob.cookie}`;
    const quality = (await api(app.url, 'GET', '/api/actions?department=quality')).body.actions[0];

    const opened = await form(cookie, {
      csrf: bob.csrf,
      title: 'Explain the new tariff',
      owner: 'Bea',
      due: '2026-12-31',
      department: 'billing',
      cause: 'process_gap',
      tickets: ref.H.toLowerCase(),
    });
    expect(opened.status).toBe(303);
    const billingId = Number(opened.headers.get('location')!.split('/').pop());
    const billing = (await api(app.url, 'GET', `/api/actions/${billingId}`)).body;
    expect(billing).toMatchObject({ department: 'billing', createdBy: 'Bob Billing', tickets: [ref.H] });

    // The list holds billing's action only (not quality's, not the company-wide ones).
    const list = await (await fetch(`${app.url}/dashboard/actions`, { headers: { cookie } })).text();
    expect(list).toContain('Explain the new tariff');
    expect(list).not.toContain('Retrain quality inspectors');
    expect(list).not.toContain('Inspect the kettle batch');
    // Quality's action is missing for him, to read and to change.
    expect((await fetch(`${app.url}/dashboard/actions/${quality.id}`, { headers: { cookie } })).status).toBe(404);
    const change = await form(cookie, { csrf: bob.csrf, state: 'cancelled' }, `/dashboard/actions/${quality.id}`);
    expect(change.status).toBe(404);
    expect((await api(app.url, 'GET', `/api/actions/${quality.id}`)).body.state).toBe('open');
    // He cannot open one for another department, nor link another department's ticket.
    const base = { csrf: bob.csrf, title: 'T', owner: 'o', due: '2026-12-31' };
    const other = await form(cookie, { ...base, department: 'quality' });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('department: you may open actions for billing');
    const foreign = await form(cookie, { ...base, department: 'billing', tickets: ref.A });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain(`no such ticket ${ref.A}`);
    // Without the session's token the form is refused.
    const forged = await form(cookie, { csrf: 'guessed', state: 'done' }, `/dashboard/actions/${billingId}`);
    expect(forged.status).toBe(403);
    expect((await api(app.url, 'GET', `/api/actions/${billingId}`)).body.state).toBe('open');
  });
});
