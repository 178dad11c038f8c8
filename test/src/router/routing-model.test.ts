import { packFor } from '../../../dialogs/language/index.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { train } from '../../../src/router/training/train.ts';
import { Model } from '../../../dialogs/classifier/model.ts';
import { createRouter } from '../../../dialogs/router.ts';
import { parseRoutingConfig } from '../../../dialogs/routing-config.ts';
import { saveModel } from '../../../src/router/model-file.ts';
import { reassignedExamples } from '../../../src/router/training/ticket-examples.ts';
import { startRedress, type Redress } from '../../../src/main.ts';
import { ADMIN_TOKEN, staffGet, startTestApp, testConfig } from '../../helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'redress-routing-'));
const rows = parse(readFileSync('test/fixtures/router-small.csv'), { columns: true }) as Array<{
  text: string;
  label: string;
}>;
const modelFile = train(
  rows.map((r) => r.text),
  rows.map((r) => r.label),
  { folds: 0 },
);
const modelPath = join(dir, 'model.json');
saveModel(modelPath, modelFile);
const routingYaml = `${readFileSync('dialogs/routing.yaml', 'utf8')}
model:
  file: ${modelPath}
  min_confidence: 0.45
  labels: { transport: delivery_logistics, food: product_quality, electronics: product_quality, fruit: product_quality, hotel: service_attitude, phone: after_sales }
overrides:
  - category: misleading_advertising
    reason: advertising complaints always go to compliance
    keywords: { en: [false advertising], zh: [虚假宣传] }
`;
const routingPath = join(dir, 'routing.yaml');
writeFileSync(routingPath, routingYaml);

describe('the router with a trained model', () => {
  const router = createRouter(parseRoutingConfig(routingYaml), new Model(modelFile));

  it('maps model labels to categories and departments through the configuration', () => {
    const d = router.route('My train was cancelled again and the next one is delayed by an hour');
    expect(d).toMatchObject({ category: 'delivery_logistics', department: 'logistics' });
    expect(d.confidence).toBeGreaterThanOrEqual(0.45);
    expect(d.reasons[0]).toMatch(/^model: "transport" at 0\.\d+ \(/);
  });

  it('sends a text it is unsure about to triage and says why', () => {
    const d = router.route('hmm ok');
    expect(d).toMatchObject({ category: 'general', department: 'triage' });
    expect(d.reasons[0]).toMatch(/^triage: model unsure — best guess "\w+" at 0\.\d+ is below 0\.45$/);
  });

  it('lets an explicit rule override the model', () => {
    const d = router.route('False advertising: the phone screen was nothing like the pictures');
    expect(d.category).toBe('misleading_advertising');
    expect(d.reasons[0]).toMatch(/rule "advertising complaints always go to compliance" overrides the model/);
  });

  it('scores severity separately, each raise with its reason', () => {
    const d = router.route('The phone battery caught fire and I was injured, I will contact my lawyer');
    expect(d.severity).toBe('urgent');
    expect(d.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^urgent: safety risk/),
        expect.stringMatching(/^urgent: injury or health/),
        expect.stringMatching(/^urgent: legal threat/),
      ]),
    );
  });
});

describe('the running bot routes with the model and learns from reassignments', () => {
  let app: Redress;
  beforeAll(async () => {
    app = await startTestApp('pglite', { jobs: false, env: { ROUTING_CONFIG: routingPath } });
  });
  afterAll(async () => app?.stop());

  let n = 0;
  const complain = async (key: string, first: string, verified: { email?: string } = {}) => {
    let r = await app.engine.handle({
      channel: 'test',
      conversationKey: key,
      messageKey: `${key}-${n++}`,
      text: first,
      sender: { id: key },
      verified,
    });
    r = await app.engine.handle({
      channel: 'test',
      conversationKey: key,
      messageKey: `${key}-${n++}`,
      text: 'yes',
      sender: { id: key },
      verified,
    });
    return r.ticketReference!;
  };

  it('shows the routing and severity reasons on the ticket, and raises a repeat complaint', async () => {
    // Both conversations come from an address the channel vouches for (as the email channel does for From): a
    // typed address alone raises nothing (test/src/repeat-customer.test.ts).
    const first = await complain(
      'k1',
      'The kettle I bought from your shop caught fire, order 11223, yesterday. I want a refund. Kim Lee, kim@example.com',
      { email: 'kim@example.com' },
    );
    const t1 = (await staffGet(app, `/api/tickets/${first}`)).body;
    expect(t1.severity).toBe('urgent');
    expect(t1.routingReasons.join('\n')).toMatch(/urgent: safety risk \(.*fire/);
    const second = await complain(
      'k2',
      'My new phone arrived with a cracked screen, order 99812, last Monday. I want a refund. Kim Lee, kim@example.com',
      { email: 'kim@example.com' },
    );
    const t2 = (await staffGet(app, `/api/tickets/${second}`)).body;
    expect(t2.severity).toBe('serious');
    expect(t2.routingReasons.join('\n')).toMatch(
      /serious: repeat complaint by the same customer \(1 earlier ticket in 180 days\)/,
    );
    // The customer is promised the raised ticket's SLA (24 h), not the ordinary one (72 h) the dialog first worked out.
    const said = (
      await app.db.query<{ text: string }>(
        "SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.conversation_key = 'k2' AND m.direction = 'out' AND m.text LIKE '%hear from us%'",
      )
    ).rows;
    expect(said).toHaveLength(1);
    expect(said[0].text).toContain(`You'll hear from us by ${packFor('en').formatDue(t2.slaDueAt)}`);
    expect(new Date(t2.slaDueAt).getTime() - new Date(t2.createdAt).getTime()).toBeLessThanOrEqual(
      24 * 3_600_000 + 5_000,
    );
  });

  it('records reassignments as labelled examples for retraining', async () => {
    const ref = await complain(
      'k3',
      'The hotel room smelled of smoke and the sheets were dirty, booking 55661, last Friday. I want a refund. Ann Wu, ann@example.com',
    );
    const before = (await staffGet(app, `/api/tickets/${ref}`)).body;
    const r = await fetch(`${app.url}/api/tickets/${ref}/reassign`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'after_sales', note: 'booking problem, not attitude' }),
    });
    expect(r.status).toBe(200);
    const after = await r.json();
    expect(after).toMatchObject({ category: 'after_sales', department: 'after_sales' });
    expect(after.events.at(-1)).toMatchObject({
      kind: 'reassigned',
      actor: 'staff-api',
      data: { from: { category: before.category }, to: { category: 'after_sales' } },
    });
    const bad = await fetch(`${app.url}/api/tickets/${ref}/reassign`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{"category":"nope"}',
    });
    expect(bad.status).toBe(400);

    const examples = await reassignedExamples(app.db, parseRoutingConfig(routingYaml));
    // after_sales is the category the model label "phone" maps to, so the example keeps the model's own label.
    expect(examples).toEqual({ texts: [expect.stringContaining('hotel room smelled of smoke')], labels: ['phone'] });
  });
});

describe('redress router train --from-tickets', () => {
  it('retrains from the reassignments in the database, merged with a CSV', async () => {
    const dataDir = join(dir, 'pgdata');
    // The CLI reads the database the bot wrote, so this bot persists under DATA_DIR instead of in memory.
    const live = await startRedress(testConfig({ DATA_DIR: dataDir }), { jobs: false });
    let k = 0;
    const say = (text: string) =>
      live.engine.handle({
        channel: 'test',
        conversationKey: 'ft',
        messageKey: `ft-${k++}`,
        text,
        sender: { id: 'ft' },
      });
    await say(
      'The courier left my new phone in the rain and it was soaked, order 77100, yesterday. I want a refund. Bo Li, bo@example.com',
    );
    const r = await say('yes');
    expect(r.ticketReference).toMatch(/^CMP-/);
    await fetch(`${live.url}/api/tickets/${r.ticketReference}/reassign`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{"category":"service_attitude"}',
    });
    await live.stop();
    const out = join(dir, 'retrained.json');
    const run = await promisify(execFile)(
      'node',
      [
        'bin/redress.mjs',
        'router',
        'train',
        '--from-tickets',
        'test/fixtures/router-small.csv',
        '--text',
        'text',
        '--label',
        'label',
        '--out',
        out,
        '--folds',
        '0',
      ],
      {
        env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      },
    );
    expect(run.stderr).toMatch(/1 example\(s\) from reassigned tickets/);
    const result = JSON.parse(run.stdout);
    expect(result.rows).toBe(211);
    expect(result.labels.service_attitude).toBe(1);
  });
});
