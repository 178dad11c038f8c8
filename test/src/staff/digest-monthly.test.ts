/**
 * The monthly voice-of-customer digest (issue #17 item 3): the previous calendar month in DIGEST_TZ, its content
 * hand-computed from seeded tickets and actions, and sent once per department across two processes sweeping the same
 * database at the same moment, by email (a real SMTP server) and Slack (the Web API stand-in at its HTTP boundary).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startRedress, type Redress } from '../../../src/main.ts';
import { monthlyPeriod } from '../../../src/staff/digest-monthly.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, testConfig, testDb } from '../../helpers.ts';
import { startSink } from '../../channels/email/mail-harness.ts';
import { startFakeSlack } from '../../channels/slack/fake-slack.ts';
import { causeTicket } from './actions-fixture.ts';

describe('the monthly period', () => {
  it('is the previous calendar month in DIGEST_TZ', () => {
    // 30 November 23:59 in Shanghai is still November there: the month reported is October.
    expect(monthlyPeriod(new Date('2026-11-30T15:59:00Z'), 'Asia/Shanghai')).toEqual({
      from: '2026-10-01',
      to: '2026-11-01',
    });
    expect(monthlyPeriod(new Date('2026-11-30T16:00:00Z'), 'Asia/Shanghai')).toEqual({
      from: '2026-11-01',
      to: '2026-12-01',
    });
    expect(monthlyPeriod(new Date('2026-11-30T16:00:00Z'), 'UTC')).toEqual({ from: '2026-10-01', to: '2026-11-01' });
    expect(monthlyPeriod(new Date('2027-01-01T00:00:00Z'), 'UTC')).toEqual({ from: '2026-12-01', to: '2027-01-01' });
  });
});

describe('the monthly digest is sent once per month and department, even with two bot processes', () => {
  const NOW = new Date('2026-11-30T16:30:00Z'); // 1 December 00:30 in Shanghai: November is over
  let db: Db;
  let a: Redress;
  let b: Redress;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let slack: Awaited<ReturnType<typeof startFakeSlack>>;
  const ref: Record<string, string> = {};

  beforeAll(async () => {
    sink = await startSink();
    slack = await startFakeSlack();
    const routing = parse(readFileSync('dialogs/routing.yaml', 'utf8'));
    const dept = (id: string) => routing.departments.find((d: any) => d.id === id);
    dept('quality').managers = ['qm@shop.example'];
    dept('quality').slack_channel = 'CQUALITY';
    dept('billing').managers = ['bm@shop.example'];
    slack.members('CQUALITY', []);
    const dir = mkdtempSync(join(tmpdir(), 'redress-monthly-'));
    writeFileSync(join(dir, 'routing.yaml'), stringify(routing));
    db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
    const env = {
      ...(DATABASE_URL ? { DATABASE_URL } : {}),
      ROUTING_CONFIG: join(dir, 'routing.yaml'),
      SMTP_URL: sink.url,
      MAIL_FROM: 'Redress <redress@shop.example>',
      DIGEST_TZ: 'Asia/Shanghai',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-for-tests',
      SLACK_API_URL: slack.url,
    };
    a = await startRedress(testConfig(env), { db, jobs: false, clock: () => NOW });
    b = await startRedress(testConfig(env), { db, jobs: false, clock: () => NOW });
    // Quality's November in Shanghai (UTC+8): Q1–Q4; its October: Q5, Q6; Q7 is already December there.
    const seed: Array<[string, string, string, string[], string]> = [
      ['Q1', '2026-10-31T16:10:00Z', 'product_quality', ['product_defect'], 'The kettle <!channel> caught\nfire'],
      ['Q2', '2026-11-10T12:00:00Z', 'product_quality', ['product_defect'], 'Handle cracked'],
      ['Q3', '2026-11-20T12:00:00Z', 'service_attitude', ['staff_error'], 'Rude on the phone'],
      ['Q4', '2026-11-30T15:59:00Z', 'product_quality', [], 'Lid loose'],
      ['Q5', '2026-10-31T15:59:00Z', 'product_quality', ['product_defect'], 'October kettle'],
      ['Q6', '2026-10-15T00:00:00Z', 'delivery_logistics', [], 'Late parcel'],
      ['Q7', '2026-11-30T16:00:00Z', 'product_quality', ['product_defect'], 'December kettle'],
    ];
    for (const [k, created, category, causes, words] of seed)
      ref[k] = (await causeTicket(db, `monthly-${k}`, { created, category, causes, words })).reference;
    const billing = { created: '2026-11-05T00:00:00Z', department: 'billing', category: 'billing_pricing' };
    await causeTicket(db, 'monthly-B1', { ...billing, causes: ['process_gap'], words: 'Charged twice' });
    // Actions: quality's two open (both overdue on 1 December), one done; one of no department; one of billing.
    const actions: Array<[string, string, string, string | null, string, string | null]> = [
      ['Train the phone team', 'U024BE7LH', '2026-11-25', 'quality', 'open', 'staff_error'],
      ['Recall batch 7', 'Quinn', '2026-11-20', 'quality', 'in_progress', 'product_defect'],
      ['Old fix', 'Quinn', '2026-10-01', 'quality', 'done', null],
      ['Rewrite the returns policy', 'Pat', '2026-12-15', null, 'open', 'process_gap'],
      ['Explain the tariff', 'Bea', '2026-12-20', 'billing', 'open', 'process_gap'],
    ];
    for (const [title, owner, due, department, state, cause] of actions)
      await db.query(
        `INSERT INTO improvement_actions (title, owner, due_on, department, state, cause, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'test')`,
        [title, owner, due, department, state, cause],
      );
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await sink?.close();
    await slack?.close();
    await db?.close();
  });

  it('two processes at the same moment send each department’s digest once; running again sends nothing', async () => {
    const [x, y] = await Promise.all([a.monthlyDigest.run(NOW), b.monthlyDigest.run(NOW)]);
    // Quality (email and Slack) and billing (email) have somewhere to send; the other departments do not.
    expect(x + y).toBe(2);
    await expect.poll(() => sink.mails.length, { timeout: 5000 }).toBe(2);
    expect(await a.monthlyDigest.run(NOW)).toBe(0);
    expect(await b.monthlyDigest.run(new Date('2026-12-31T15:00:00Z'))).toBe(0); // still December in Shanghai
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((p) => p.args.channel)).toEqual(['CQUALITY']);

    const quality = sink.mails.find(
      (m) => m.subject === 'Monthly voice of the customer — Product Quality team — November 2026',
    )!;
    expect(quality.to && 'value' in quality.to ? quality.to.value.map((v) => v.address) : []).toEqual([
      'qm@shop.example',
    ]);
    const expected = [
      'Product Quality team, 2026-11-01 to 2026-11-30 (Asia/Shanghai)',
      'Received: 4 (previous month: 2, +2)',
      'By category (this month, previous month, change):',
      '  product quality: 3, 1, +2',
      '  service attitude: 1, 0, +1',
      '  delivery and logistics: 0, 1, -1',
      'Top issues, in customers’ own words:',
      '  product quality (3)',
      `    “Lid loose” (${ref.Q4})`,
      `    “Handle cracked” (${ref.Q2})`,
      `    “The kettle <!channel> caught fire” (${ref.Q1})`,
      '  service attitude (1)',
      `    “Rude on the phone” (${ref.Q3})`,
      'Top root causes: Product defect (2), Staff error or conduct (1)',
      'Open improvement actions (overdue first):',
      '  OVERDUE Recall batch 7 — Quinn — due 2026-11-20 — In progress — Product defect',
      '  OVERDUE Train the phone team — U024BE7LH — due 2026-11-25 — Open — Staff error or conduct',
      '  Rewrite the returns policy — Pat — due 2026-12-15 — Open — Process or policy gap — all departments',
    ];
    expect(quality.text!.trim().split('\n')).toEqual(expected);
    // Slack gets the same digest, its markup characters escaped: the customer's <!channel> pings nobody.
    expect(posts[0].args.text).toBe(
      `*Monthly voice of the customer — Product Quality team — November 2026*\n${expected.join('\n').replace('<!channel>', '&lt;!channel&gt;')}`,
    );

    const billing = sink.mails.find(
      (m) => m.subject === 'Monthly voice of the customer — Billing team — November 2026',
    )!;
    expect(billing.text).toContain('Received: 1 (previous month: 0, +1)');
    expect(billing.text).toContain('Top root causes: Process or policy gap (1)');
    expect(billing.text).toContain('  Explain the tariff — Bea — due 2026-12-20 — Open — Process or policy gap');
    expect(billing.text).not.toContain('Recall batch 7');
  });
});
