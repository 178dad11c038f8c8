/** Summary benchmark: /api/summary, /dashboard and the CSV export over 1,000,000 tickets in PostgreSQL. */
import { startRedress } from '../../src/main.ts';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { compactSummaryRollup, drainTicketFacts } from '../../src/store/summary-rollup.ts';
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
// A year of tickets over 5,000 customers, spread over channels, departments, severities and outcomes, inserted 50,000
// at a time as a busy year would be (the roll-up's triggers run on every statement), then the staff and satisfaction
// events. The seed takes minutes: the roll-up is built as it goes.
await db.exec(`INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 5000) g;`);
const CHUNK = 50_000;
for (let lo = 1; lo <= N; lo += CHUNK) {
  const hi = Math.min(N, lo + CHUNK - 1);
  await db.exec(`
  INSERT INTO conversations (channel, conversation_key, customer_id) SELECT (ARRAY['webchat','email','phone','slack'])[1 + g % 4], 'c' || g, 1 + g % 5000 FROM generate_series(${lo}, ${hi}) g;
  INSERT INTO tickets (reference, conversation_id, customer_id, channel, language, department, category, severity, status, record, restatement, sla_due_at, resolved_at, created_at)
  SELECT 'CMP-' || lpad(g::text, 7, '0'), g, 1 + g % 5000, (ARRAY['webchat','email','phone','slack'])[1 + g % 4], 'en',
         (ARRAY['quality','billing','logistics','customer_care','after_sales','compliance'])[1 + g % 6],
         (ARRAY['product_quality','billing_pricing','delivery_logistics','service_attitude','after_sales','misleading_advertising'])[1 + g % 6],
         (ARRAY['ordinary','ordinary','ordinary','serious','urgent'])[1 + g % 5],
         (ARRAY['open','resolved','resolved','in_progress','closed'])[1 + g % 5],
         jsonb_build_object('customerWords', jsonb_build_array('complaint number ' || g), 'declined', '[]'::jsonb), 'restatement ' || g,
         ts + interval '72 hours', CASE WHEN g % 5 IN (1, 2, 4) THEN ts + (g % 100) * interval '1 hour' END, ts
    FROM (SELECT g, timestamptz '2026-01-01' + (g::float / ${N}) * interval '365 days' AS ts FROM generate_series(${lo}, ${hi}) g) s;
  INSERT INTO ticket_events (ticket_id, kind, actor, data, created_at)
  SELECT id, 'claimed', 'staff-api', '{}', created_at + interval '2 hours' FROM tickets WHERE id BETWEEN ${lo} AND ${hi} AND id % 2 = 0;
  INSERT INTO ticket_events (ticket_id, kind, actor, data, created_at)
  SELECT id, 'satisfaction', 'customer', jsonb_build_object('score', 1 + id % 5), resolved_at + interval '7 days' FROM tickets WHERE id BETWEEN ${lo} AND ${hi} AND resolved_at IS NOT NULL AND id % 3 = 0;`);
  // The periodic sweep takes the changes in and folds the roll-up every minute; here, after each chunk.
  await drainTicketFacts(db);
  await compactSummaryRollup(db);
}
await db.exec('VACUUM ANALYZE');
const { rows: size } = await db.query<{ facts: number; rollup: number }>(
  'SELECT (SELECT count(*) FROM ticket_facts)::int AS facts, (SELECT count(*) FROM summary_rollup)::int AS rollup',
);
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
const year = 'from=2026-01-01&to=2027-01-01';
// The floor any figure over the table stands beside: PostgreSQL counting the year's tickets and nothing else.
const countStar = async (runs = 5) => {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    t0 = performance.now();
    await db.query(`SELECT count(*) FROM tickets WHERE created_at >= '2026-01-01' AND created_at < '2027-01-01'`);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)];
};
const results: Record<string, [number, number | undefined]> = {
  'summary, one month': [await time(`/api/summary?${month}`), 300],
  'summary, one month, one department': [await time(`/api/summary?${month}&department=quality`), 300],
  'summary, one month, Asia/Kolkata': [await time(`/api/summary?${month}&tz=Asia/Kolkata`), 300],
  'summary, whole year': [await time(`/api/summary?${year}`), 500],
  'dashboard, one month': [await time(`/dashboard?${month}`), 300],
  'dashboard, whole year': [await time(`/dashboard?${year}`), 500],
  'plain SELECT count(*) of the year': [await countStar(), undefined],
};
await app.stop();
// BENCH_KEEP_SCHEMA=1 keeps the seeded schema, to look at the plans afterwards.
if (!process.env.BENCH_KEEP_SCHEMA) await db.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
else console.log(`kept schema ${schema}`);
await db.close();
console.log(
  `\nSummary: ${N.toLocaleString('en')} tickets in PostgreSQL (seeded with the roll-up in ${seedSeconds.toFixed(0)} s; ` +
    `${size[0].facts.toLocaleString('en')} fact rows, ${size[0].rollup.toLocaleString('en')} roll-up rows); median of 5:`,
);
for (const [k, [v, goal]] of Object.entries(results))
  console.log(
    `| ${k} | ${v.toFixed(0)} ms | ${goal ? `${v < goal ? 'under' : 'OVER'} the ${goal} ms goal` : 'the floor'} |`,
  );
process.exit(0);
