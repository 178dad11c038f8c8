import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../../dialogs/router.ts';
import { loadConfig } from '../../../src/core/config.ts';
import { Engine } from '../../../src/core/engine.ts';
import { RETRAIN_QUEUE, startJobs } from '../../../src/jobs/pg-boss.ts';
import { reloadIfChanged, routerFor, routerReloader } from '../../../src/router/load.ts';
import { saveModel } from '../../../src/router/model-file.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import { train } from '../../../src/router/training/train.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, missing, testConfig, testDb } from '../../helpers.ts';

// Two tiny models that disagree: one sends broken appliances to quality and charges to billing, the other the reverse.
const appliances = [
  'my kettle stopped working',
  'the kettle is broken',
  'toaster broke after a week',
  'the blender stopped working',
  'kettle leaks water everywhere',
  'broken toaster, it sparks',
];
const charges = [
  'I was charged twice on my invoice',
  'wrong amount on the bill',
  'my invoice shows a fee I never agreed to',
  'overcharged on my card',
  'the bill is too high',
  'double charge on the invoice',
];
const texts = [...appliances, ...charges];
const model = (applianceLabel: string, chargeLabel: string) =>
  train(texts, [...appliances.map(() => applianceLabel), ...charges.map(() => chargeLabel)], { folds: 0 });
const straight = model('product_quality', 'billing_pricing');
const crossed = model('billing_pricing', 'product_quality');

const dir = mkdtempSync(join(tmpdir(), 'redress-retrain-schedule-'));
const modelPath = join(dir, 'router.json');
const routingPath = join(dir, 'routing.yaml');
writeFileSync(
  routingPath,
  `${readFileSync('dialogs/routing.yaml', 'utf8')}\nmodel:\n  file: ${modelPath}\n  min_confidence: 0.3\n`,
);
const KETTLE = 'My kettle stopped working';

describe('ROUTER_RETRAIN_CRON', () => {
  it('is off when unset and takes a 5-field cron expression', () => {
    expect(loadConfig({}).ROUTER_RETRAIN_CRON).toBeUndefined();
    expect(loadConfig({ ROUTER_RETRAIN_CRON: '' }).ROUTER_RETRAIN_CRON).toBeUndefined();
    expect(loadConfig({ ROUTER_RETRAIN_CRON: ' 30 3 * * SUN ' }).ROUTER_RETRAIN_CRON).toBe('30 3 * * SUN');
    expect(loadConfig({ ROUTER_RETRAIN_CRON: '*/15 1-4 1,15 * MON-FRI' }).ROUTER_RETRAIN_CRON).toBe(
      '*/15 1-4 1,15 * MON-FRI',
    );
  });

  it('refuses a bad expression at start, naming the variable and the problem', () => {
    expect(() => loadConfig({ ROUTER_RETRAIN_CRON: '61 3 * * *' })).toThrow(
      /ROUTER_RETRAIN_CRON: invalid cron expression: .*61 expected range 0-59/,
    );
    expect(() => loadConfig({ ROUTER_RETRAIN_CRON: 'every night' })).toThrow(
      /ROUTER_RETRAIN_CRON: must be a 5-field cron expression/,
    );
    // pg-boss looks at its schedules once a minute: a seconds field (6 fields) or a macro is refused, not half-obeyed.
    expect(() => loadConfig({ ROUTER_RETRAIN_CRON: '0 0 3 * * *' })).toThrow(/must be a 5-field cron expression/);
    expect(() => loadConfig({ ROUTER_RETRAIN_CRON: '@daily' })).toThrow(/must be a 5-field cron expression/);
    expect(() => loadConfig({ ROUTER_RETRAIN_CRON: '0 3 * * 8' })).toThrow(/ROUTER_RETRAIN_CRON: invalid cron/);
  });
});

describe('picking up a swapped model file', () => {
  const config = { ROUTING_CONFIG: routingPath, ROUTER_MODEL: undefined };

  it('returns nothing while the file is unchanged, and a router with the new model after a swap', () => {
    saveModel(modelPath, straight);
    const first = routerFor(config);
    expect(first.route(KETTLE).department).toBe('quality');
    const next = routerReloader(config, first.config);
    expect(next()).toBeUndefined();
    expect(next()).toBeUndefined();
    saveModel(modelPath, crossed);
    const second = next();
    expect(second?.route(KETTLE).department).toBe('billing');
    // The routing configuration is the one the process started with.
    expect(second?.config).toBe(first.config);
    expect(next()).toBeUndefined();
  });

  it('reloadIfChanged compares stamps; a missing or unnamed file gives nothing', () => {
    saveModel(modelPath, straight);
    const routing = loadRoutingConfig(routingPath);
    const a = reloadIfChanged(routing, modelPath, undefined)!;
    expect(a.router.route(KETTLE).department).toBe('quality');
    expect(reloadIfChanged(routing, modelPath, a.stamp)).toBeUndefined();
    expect(reloadIfChanged(routing, join(dir, 'absent.json'), undefined)).toBeUndefined();
    expect(reloadIfChanged(routing, undefined, undefined)).toBeUndefined();
  });

  it('a file that does not load throws (the caller keeps its router) and is tried again next time', () => {
    saveModel(modelPath, straight);
    const next = routerReloader(config, routerFor(config).config);
    writeFileSync(modelPath, '{"format":"something else"}');
    expect(() => next()).toThrow(/not a Redress router model/);
    expect(() => next()).toThrow(/not a Redress router model/);
    saveModel(modelPath, crossed);
    expect(next()?.route(KETTLE).department).toBe('billing');
  });
});

describe('engine.useRouter', () => {
  let db: Db;
  let engine: Engine;
  const routing = loadRoutingConfig(routingPath);
  beforeAll(async () => {
    db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
    saveModel(modelPath, straight);
    engine = new Engine({
      db,
      router: routerFor({ ROUTING_CONFIG: routingPath, ROUTER_MODEL: undefined }),
      config: testConfig(),
    });
  });
  afterAll(async () => db?.close());

  const story = (key: string) =>
    `My kettle from order 70011 stopped working yesterday. I want a refund. Bo Lin, ${key}@example.com`;
  /** Opens a ticket in two turns; the second is the one that routes it. */
  const ticketDepartment = async (key: string, between?: () => void) => {
    await engine.handle({
      channel: 'test',
      conversationKey: key,
      messageKey: `${key}-1`,
      text: story(key),
      sender: { id: key },
    });
    const turn = engine.handle({
      channel: 'test',
      conversationKey: key,
      messageKey: `${key}-2`,
      text: 'yes',
      sender: { id: key },
    });
    between?.();
    const ref = (await turn).ticketReference;
    expect(ref).toMatch(/^CMP-/);
    return (await db.query<{ department: string }>('SELECT department FROM tickets WHERE reference = $1', [ref]))
      .rows[0].department;
  };

  it('routes the turns that start after it with the new router', async () => {
    expect(await ticketDepartment('use-a')).toBe('quality');
    saveModel(modelPath, crossed);
    engine.useRouter(reloadIfChanged(routing, modelPath, undefined)!.router);
    expect(await ticketDepartment('use-b')).toBe('billing');
  });

  it('a turn under way keeps the router it started with', async () => {
    // The swap lands right after the turn started, while it waits for the database: it still routes with the old one.
    engine.useRouter(createRouter(routing, undefined));
    const keywordOnly = await ticketDepartment('use-c');
    saveModel(modelPath, crossed);
    const crossedRouter = routerFor({ ROUTING_CONFIG: routingPath, ROUTER_MODEL: undefined });
    expect(await ticketDepartment('use-d', () => engine.useRouter(crossedRouter))).toBe(keywordOnly);
    expect(keywordOnly).not.toBe('billing');
    expect(await ticketDepartment('use-e')).toBe('billing');
  });
});

describe.skipIf(missing('postgres'))('the retrain schedule on pg-boss', () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb('pg');
  });
  afterAll(async () => db?.close());
  const bossSchema = () => `${db.schema}_boss`;
  const schedules = async () =>
    (
      await db.query<{ name: string; cron: string; timezone: string }>(
        `SELECT name, cron, timezone FROM ${bossSchema()}.schedule`,
      )
    ).rows;

  it('a worker schedules it, runs it when its job comes, and unsetting the variable removes the schedule', async () => {
    let runs = 0;
    const worker = await startJobs(db, DATABASE_URL, undefined);
    try {
      await worker.scheduleRetrain('0 3 * * SUN', 'Europe/London', async () => void runs++);
      expect(await schedules()).toEqual([{ name: RETRAIN_QUEUE, cron: '0 3 * * SUN', timezone: 'Europe/London' }]);
      // What pg-boss's cron does at 03:00 on a Sunday: a job in the queue. The worker takes it.
      await db.query(`INSERT INTO ${bossSchema()}.job (name, data) VALUES ($1, '{}')`, [RETRAIN_QUEUE]);
      await expect.poll(() => runs, { timeout: 10_000 }).toBe(1);
    } finally {
      await worker.stop();
    }
    const restarted = await startJobs(db, DATABASE_URL, undefined);
    try {
      await restarted.scheduleRetrain(undefined, 'UTC', async () => void runs++);
      expect(await schedules()).toEqual([]);
    } finally {
      await restarted.stop();
    }
  });
});
