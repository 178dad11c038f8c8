/**
 * Five tickets with hand-computed figures (test/src/staff/summary.test.ts explains them), shared by the summary and
 * dashboard tests: two customers with two tickets each, one with a hostile name, over three departments.
 */
import type { Db } from '../../../src/store/db.ts';

/** The clock of the apps these tickets are read by. */
export const NOW = new Date('2026-11-05T00:00:00Z');
const H = 3_600_000;

/** Seeds one ticket with fixed times and events; returns its id. */
async function seed(
  db: Db,
  t: {
    ref: string;
    customer: number;
    created: string;
    channel: string;
    department: string;
    category: string;
    severity: string;
    slaHours: number;
    status: string;
    resolvedAfterHours?: number;
    events?: Array<[string, string, number, Record<string, unknown>?]>;
    name?: string;
    restatement?: string;
  },
) {
  const created = new Date(t.created);
  const conv = (
    await db.query<{ id: number }>(
      'INSERT INTO conversations (channel, conversation_key, customer_id) VALUES ($1, $2, $3) RETURNING id',
      [t.channel, `seed-${t.ref}`, t.customer],
    )
  ).rows[0].id;
  const id = (
    await db.query<{ id: number }>(
      `INSERT INTO tickets (reference, conversation_id, customer_id, channel, language, department, category, severity, status, record, restatement, sla_due_at, resolved_at, created_at)
       VALUES ($1, $2, $3, $4, 'en', $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        t.ref,
        conv,
        t.customer,
        t.channel,
        t.department,
        t.category,
        t.severity,
        t.status,
        JSON.stringify({ customerWords: [`words of ${t.ref}`], declined: [] }),
        t.restatement ?? `restatement of ${t.ref}`,
        new Date(created.getTime() + t.slaHours * H),
        t.resolvedAfterHours ? new Date(created.getTime() + t.resolvedAfterHours * H) : null,
        created,
      ],
    )
  ).rows[0].id;
  for (const [kind, actor, afterHours, data] of t.events ?? []) {
    await db.query('INSERT INTO ticket_events (ticket_id, kind, actor, data, created_at) VALUES ($1, $2, $3, $4, $5)', [
      id,
      kind,
      actor,
      JSON.stringify(data ?? {}),
      new Date(created.getTime() + afterHours * H),
    ]);
  }
  return id;
}

/** Seeds the five tickets CMP-900001 to CMP-900005 (and their customers and events) into `db`. */
export async function seedSummaryTickets(db: Db): Promise<void> {
  const customer = async (name: string) =>
    (await db.query<{ id: number }>('INSERT INTO customers (name) VALUES ($1) RETURNING id', [name])).rows[0].id;
  const ann = await customer('=HYPERLINK("http://evil.example","click")');
  const bob = await customer('Bob');
  const cy = await customer('@Cy');
  await db.query("INSERT INTO contact_points (customer_id, kind, value) VALUES ($1, 'email', 'ann@example.com')", [
    ann,
  ]);
  await seed(db, {
    ref: 'CMP-900001',
    customer: ann,
    created: '2026-11-01T01:00:00Z',
    channel: 'webchat',
    department: 'quality',
    category: 'product_quality',
    severity: 'ordinary',
    slaHours: 72,
    status: 'resolved',
    resolvedAfterHours: 10,
    restatement: '+1 call me now',
    events: [
      ['claimed', 'staff-api', 2],
      ['status_resolved', 'staff-api', 5],
      ['satisfaction', 'customer', 6, { score: 2 }],
      ['status_reopened', 'customer', 6],
      ['status_resolved', 'staff-api', 10],
      ['satisfaction', 'customer', 11, { score: 5 }],
    ],
  });
  await seed(db, {
    ref: 'CMP-900002',
    customer: bob,
    created: '2026-10-31T17:00:00Z',
    channel: 'email',
    department: 'billing',
    category: 'billing_pricing',
    severity: 'serious',
    slaHours: 24,
    status: 'resolved',
    resolvedAfterHours: 30,
    restatement: '-2 pounds charged',
    events: [
      ['claimed', 'slack:U1', 4],
      ['status_resolved', 'slack:U1', 30],
      ['satisfaction', 'customer', 31, { score: 4 }],
    ],
  });
  await seed(db, {
    ref: 'CMP-900003',
    customer: ann,
    created: '2026-11-02T23:30:00Z',
    channel: 'webchat',
    department: 'quality',
    category: 'product_quality',
    severity: 'urgent',
    slaHours: 4,
    status: 'open',
  });
  await seed(db, {
    ref: 'CMP-900004',
    customer: bob,
    created: '2026-11-03T16:30:00Z',
    channel: 'webchat',
    department: 'logistics',
    category: 'delivery_logistics',
    severity: 'ordinary',
    slaHours: 72,
    status: 'open',
  });
  await seed(db, {
    ref: 'CMP-900005',
    customer: cy,
    created: '2026-11-02T02:00:00Z',
    channel: 'email',
    department: 'logistics',
    category: 'delivery_logistics',
    severity: 'ordinary',
    slaHours: 72,
    status: 'withdrawn',
  });
  // CMP-900001's remedy and cause, for the ticket page.
  await db.query(
    `INSERT INTO resolutions (ticket_id, remedy, amount, currency, cost, cause, fault, resolved_by, created_at)
     SELECT id, 'refund', 20, 'GBP', 20, 'product_defect', 'product', 'staff-api', created_at + interval '10 hours'
       FROM tickets WHERE reference = 'CMP-900001'`,
  );
}
