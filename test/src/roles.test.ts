import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../src/main.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { main } from '../../src/cli/index.ts';
import { ADMIN_TOKEN, DATABASE_URL, schemaName, startTestApp } from '../helpers.ts';

// Two processes on one database, one web and one worker, as a deployment would run them.
describe('process roles', () => {
  let db: Db | undefined;
  let web: Redress;
  let worker: Redress;
  beforeAll(async () => {
    db = DATABASE_URL ? undefined : await openDb({ schema: schemaName() });
    const schema = schemaName();
    const kind = DATABASE_URL ? 'pg' : 'pglite';
    web = await startTestApp(kind, { db, schema, env: { ROLE: 'web' } });
    worker = await startTestApp(kind, { db, schema, env: { ROLE: 'worker' } });
  });
  afterAll(async () => {
    await web?.stop();
    await worker?.stop();
    await db?.close();
  });

  it('web serves the chat and the staff API; worker only health and metrics', async () => {
    const token = await fetch(`${web.url}/v3/directline/tokens/generate`, { method: 'POST' });
    expect(token.status).toBe(200);
    expect(
      (await fetch(`${web.url}/api/tickets`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status,
    ).toBe(200);
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/v3/directline/tokens/generate`, { method: 'POST' })).status).toBe(404);
    expect(
      (await fetch(`${worker.url}/api/tickets`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status,
    ).toBe(404);
    expect((await fetch(`${worker.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(
      200,
    );
  });

  it('a ticket opened on the web process is seen by the worker (all state is in the database)', async () => {
    await web.engine.handle({
      channel: 'webchat',
      conversationKey: 'roles-1',
      messageKey: 'r1',
      text: 'My kettle from order 99120 arrived broken yesterday. I want a refund. Ana Li, ana@example.com',
      sender: { id: 'r' },
    });
    const done = await web.engine.handle({
      channel: 'webchat',
      conversationKey: 'roles-1',
      messageKey: 'r2',
      text: 'yes',
      sender: { id: 'r' },
    });
    const metrics = await (
      await fetch(`${worker.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).text();
    expect(done.ticketReference).toMatch(/^CMP-/);
    expect(metrics).toMatch(/redress_open_tickets\{department="quality",severity="ordinary"\} 1/);
  });

  it('serve refuses an unknown --role', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (m: string) => errors.push(String(m));
    try {
      await main(['serve', '--role', 'janitor']);
    } finally {
      console.error = original;
    }
    expect(errors.join()).toContain('USAGE: --role must be all, web or worker (got janitor)');
    expect(process.exitCode).toBe(2);
    process.exitCode = 0;
  });
});
