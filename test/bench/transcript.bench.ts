/**
 * Transcript benchmark: a one-hour call (about 10,000 words, built from the real support threads in shared/data)
 * uploaded to POST /api/transcripts until the ticket comes back, next to parsing the same file only.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { parseTranscript } from '../../channels/phone/parse.ts';
import { startRedress } from '../../src/main.ts';
import { openDb } from '../../src/store/db.ts';
import { testConfig } from '../helpers.ts';

const DATABASE_URL = process.env.DATABASE_URL;
const threads = parse(readFileSync(new URL('../../../shared/data/twcs-support-threads-sample.csv', import.meta.url)), {
  columns: true,
}) as Array<{ inbound: string; text: string }>;
const lines: string[] = [
  'Agent: Thank you for calling, how can I help?',
  'Customer: My name is Miriam Cole and my booking number is A B seven seven one two. My train was cancelled yesterday and I want a refund.',
];
let words = 0;
for (let i = 0; words < 10_000; i++) {
  const t = threads[i % threads.length];
  const text = t.text
    .replace(/@\w+/g, '')
    .replace(/https?:\/\/\S+/g, '')
    .trim();
  const minute = Math.floor(lines.length / 3);
  lines.push(
    `[${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00] ${t.inbound === 'True' ? 'Customer' : 'Agent'}: ${text}`,
  );
  words += text.split(/\s+/).length;
}
const file = Buffer.from(`${lines.join('\n')}\n`);

const time = async (fn: () => Promise<unknown> | unknown, runs: number) => {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)];
};
const parseMs = await time(() => parseTranscript(file, 'text/plain'), 20);

const schema = `bench_call_${Date.now()}`;
const db = await openDb(DATABASE_URL ? { databaseUrl: DATABASE_URL, schema } : { schema });
const app = await startRedress(
  testConfig({ ...(DATABASE_URL ? { DATABASE_URL } : {}), API_TOKEN: 'bench-token-0123456789' }),
  { db, jobs: false },
);
let n = 0;
const ingestMs = await time(async () => {
  const r = await fetch(`${app.url}/api/transcripts?callId=bench-${n++}`, {
    method: 'POST',
    headers: { authorization: 'Bearer bench-token-0123456789', 'content-type': 'text/plain' },
    body: file,
  });
  if (r.status !== 201) throw new Error(`upload answered ${r.status}: ${await r.text()}`);
}, 10);
await app.stop();
if (DATABASE_URL)
  await db.query(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`).catch(() => {});
await db.close();
console.log(
  `\nTranscript: a ${words}-word call (${lines.length} lines, ${(file.length / 1024).toFixed(0)} KB) on ${DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
);
console.log(
  `parse only: ${parseMs.toFixed(1)} ms (median of 20); upload to ticket: ${ingestMs.toFixed(1)} ms (median of 10); ratio ${(ingestMs / parseMs).toFixed(1)} (goal <= 3)`,
);
process.exit(0);
