import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/store/db.ts';
import { migrate } from '../../../src/store/migrate.ts';
import { earlierTickets, saveVerifiedContacts } from '../../../src/store/verified-contacts.ts';
import { DATABASE_URL, schemaName } from '../../helpers.ts';

// The database as it was before contact points were verified: migrations up to 0012 only.
const before = mkdtempSync(join(tmpdir(), 'redress-migrations-'));
for (const f of readdirSync('migrations').filter((f) => f < '0013')) cpSync(join('migrations', f), join(before, f));

let db: Db;
beforeAll(async () => {
  db = await openDb(DATABASE_URL ? { databaseUrl: DATABASE_URL, schema: schemaName() } : { schema: schemaName() });
  await migrate(db, before);
});
afterAll(async () => db?.close());

let n = 0;
/** A customer with one conversation, one inbound message and one open ticket, written as the old code wrote them. */
async function legacy(
  channel: string,
  address: Record<string, unknown>,
  payload: Record<string, unknown>,
  typed?: string,
): Promise<number> {
  const customer = (await db.query<{ id: number }>('INSERT INTO customers DEFAULT VALUES RETURNING id')).rows[0].id;
  const conv = (
    await db.query<{ id: number }>(
      'INSERT INTO conversations (channel, conversation_key, customer_id, address) VALUES ($1, $2, $3, $4) RETURNING id',
      [channel, `k${++n}`, customer, JSON.stringify(address)],
    )
  ).rows[0].id;
  await db.query(
    "INSERT INTO messages (conversation_id, direction, channel, message_key, text, payload) VALUES ($1, 'in', $2, $3, 'hello', $4)",
    [conv, channel, `m${n}`, JSON.stringify(payload)],
  );
  await db.query(
    `INSERT INTO tickets (reference, conversation_id, customer_id, channel, language, department, category, severity, status, record, restatement, sla_due_at)
     VALUES ($1, $2, $3, $4, 'en', 'quality', 'product_quality', 'ordinary', 'open', '{}', 'x', now() + interval '3 days')`,
    [`CMP-${String(900000 + n)}`, conv, customer, channel],
  );
  if (typed)
    await db.query("INSERT INTO contact_points (customer_id, kind, value) VALUES ($1, 'email', $2)", [customer, typed]);
  return customer;
}

describe('verified contact points', () => {
  it('the migration verifies what the channels had vouched for, and nothing that was only typed', async () => {
    await legacy('email', { email: 'ann@example.com' }, {}, 'Ann@Example.com');
    await legacy('webchat', {}, {}, 'ann@example.com');
    await legacy('slack', { channel: 'D0ANN' }, { slackUser: 'U0ANN' });
    await migrate(db);
    const points = await db.query<{ kind: string; value: string; verified: boolean }>(
      'SELECT kind, value, verified FROM contact_points ORDER BY id',
    );
    expect(points.rows).toEqual([
      { kind: 'email', value: 'Ann@Example.com', verified: false },
      { kind: 'email', value: 'ann@example.com', verified: false },
      { kind: 'email', value: 'ann@example.com', verified: true },
      { kind: 'channel', value: 'slack:U0ANN', verified: true },
    ]);
    // A new complaint from ann@example.com counts the email ticket, not the web-chat one where it was only typed.
    const newcomer = (await db.query<{ id: number }>('INSERT INTO customers DEFAULT VALUES RETURNING id')).rows[0].id;
    expect(await earlierTickets(db, newcomer, { email: 'ANN@example.com' }, 180)).toBe(1);
    expect(await earlierTickets(db, newcomer, { account: 'slack:U0ANN' }, 180)).toBe(1);
    expect(await earlierTickets(db, newcomer, { account: 'phone:+14155550100' }, 180)).toBe(0);
    expect(await earlierTickets(db, newcomer, {}, 180)).toBe(0);
  });

  it('saving a verified point upgrades the same point typed before, once', async () => {
    const web = await legacy('webchat', {}, {}, 'bo@example.com');
    const other = (await db.query<{ id: number }>('INSERT INTO customers DEFAULT VALUES RETURNING id')).rows[0].id;
    expect(await earlierTickets(db, other, { email: 'bo@example.com' }, 180)).toBe(0);
    await saveVerifiedContacts(db, web, { email: 'Bo@Example.com' });
    await saveVerifiedContacts(db, web, { email: 'bo@example.com' });
    expect((await db.query('SELECT 1 FROM contact_points WHERE customer_id = $1', [web])).rowCount).toBe(1);
    expect(await earlierTickets(db, other, { email: 'bo@example.com' }, 180)).toBe(1);
    // Its own tickets count for the same customer whatever it vouches for; outside the window nothing does.
    expect(await earlierTickets(db, web, {}, 180)).toBe(1);
    await db.query("UPDATE tickets SET created_at = now() - interval '181 days' WHERE customer_id = $1", [web]);
    expect(await earlierTickets(db, other, { email: 'bo@example.com' }, 180)).toBe(0);
  });
});
