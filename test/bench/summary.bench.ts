/** Summary benchmark: /api/summary, /dashboard and the CSV export over 1,000,000 tickets in PostgreSQL. */
import { startRedress } from '../../src/main.ts';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { ADMIN_TOKEN, testConfig } from '../helpers.ts';

const DATABASE_URL = process.env.DATABASE_URL;
const N = Number(process.env.BENCH_TICKETS ?? 1_000_000);
if (!DATABASE_URL) {
  console.log('\nSummary benchmark skipped: it needs DATABASE_URL (a million tickets is a PostgreSQL job).');
  process.exit(0);
}
const schema = `bench_sum_${Date.now()}`;
const db = await openDb({ databaseUrl: DATABASE_URL, schema });
await migrate(db);
let t0 = performance.now();
// A year of tickets over 5,000 customers, spread over channels, departments, severities and outcomes.
await db.exec(`
  INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 5000) g;
  INSERT INTO conversations (channel, conversation_key, customer_id) SELECT (ARRAY['webchat','email','phone','slack'])[1 + g % 4], 'c' || g, 1 + g % 5000 FROM generate_series(1, ${N}) g;
  INSERT INTO tickets (reference, conversation_id, customer_id, channel, language, department, category, severity, status, record, restatement, sla_due_at, resolved_at, created_at)
  SELECT 'CMP-' || lpad(g::text, 7, '0'), g, 1 + g % 5000, (ARRAY['webchat','email','phone','slack'])[1 + g % 4], 'en',
         (ARRAY['quality','billing','logistics','customer_care','after_sales','compliance'])[1 + g % 6],
         (ARRAY['product_quality','billing_pricing','delivery_logistics','service_attitude','after_sales','misleading_advertising'])[1 + g % 6],
         (ARRAY['ordinary','ordinary','ordinary','serious','urgent'])[1 + g % 5],
         (ARRAY['open','resolved','resolved','in_progress','closed'])[1 + g % 5],
         jsonb_build_object('customerWords', jsonb_build_array('complaint number ' || g), 'declined', '[]'::jsonb), 'restatement ' || g,
         ts + interval '72 hours', CASE WHEN g % 5 IN (1, 2, 4) THEN ts + (g % 100) * interval '1 hour' END, ts
    FROM (SELECT g, timestamptz '2026-01-01' + (g::float / ${N}) * interval '365 days' AS ts FROM generate_series(1, ${N}) g) s;
  INSERT INTO ticket_events (ticket_id, kind, actor, data, created_at)
  SELECT id, 'claimed', 'staff-api', '{}', created_at + interval '2 hours' FROM tickets WHERE id % 2 = 0;
  INSERT INTO ticket_events (ticket_id, kind, actor, data, created_at)
  SELECT id, 'satisfaction', 'customer', jsonb_build_object('score', 1 + id % 5), resolved_at + interval '7 days' FROM tickets WHERE resolved_at IS NOT NULL AND id % 3 = 0;
  ANALYZE;`);
const seedSeconds = (performance.now() - t0) / 1000;
const app = await startRedress(testConfig({ DATABASE_URL }), {
  db,
  jobs: false,
  clock: () => new Date('2026-12-31T00:00:00Z'),
});
const time = async (path: string, runs = 5) => {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    t0 = performance.now();
    const r = await fetch(app.url + path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)];
};
const month = 'from=2026-11-01&to=2026-12-01';
const results = {
  'summary, one month': await time(`/api/summary?${month}`),
  'summary, one month, one department': await time(`/api/summary?${month}&department=quality`),
  'summary, whole year': await time('/api/summary?from=2026-01-01&to=2027-01-01'),
  'dashboard, one month': await time(`/dashboard?${month}`),
};
await app.stop();
await db.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
await db.close();
console.log(
  `\nSummary: ${N.toLocaleString('en')} tickets in PostgreSQL (seeded in ${seedSeconds.toFixed(0)} s); median of 5 requests:`,
);
for (const [k, v] of Object.entries(results))
  console.log(`| ${k} | ${v.toFixed(0)} ms | ${v < 300 ? 'under' : 'OVER'} the 300 ms goal |`);
process.exit(0);
