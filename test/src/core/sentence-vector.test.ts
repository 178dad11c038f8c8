import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Model } from '../../../dialogs/classifier/model.ts';
import { createRouter, type Router } from '../../../dialogs/router.ts';
import { Engine } from '../../../src/core/engine.ts';
import { loadEncoder, type Encoder } from '../../../src/router/encoder.ts';
import { train } from '../../../src/router/training/train.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import type { Db } from '../../../src/store/db.ts';
import { DATABASE_URL, testConfig, testDb } from '../../helpers.ts';

// A router model trained on real bank customers' questions (banking77, shared/data) with the sentence encoder blended
// in; its labels map to the shipped categories (card and transfer questions to billing, the rest to customer care).
const rows = (
  parse(readFileSync('test/fixtures/shared-data/banking77-test.csv'), { columns: true }) as Array<{
    text: string;
    category: string;
  }>
).filter((r) => /transfer|top_up|card_arrival|lost_or_stolen/.test(r.category));

describe('a router model with a sentence encoder, in a real turn', () => {
  let db: Db;
  let engine: Engine;
  let router: Router;
  let model: Model;
  const embedded: string[] = [];
  const failures: unknown[] = [];
  let failing = false;
  const NOW = new Date('2026-11-24T10:00:00Z');
  // The real encoder, counted; `failing` makes it throw as a broken install would.
  const counted = async (): Promise<Encoder> => {
    const e = await loadEncoder();
    return {
      name: e.name,
      embed: async (texts) => {
        if (failing) throw new Error('encoder weights unreadable');
        embedded.push(...texts);
        return e.embed(texts);
      },
    };
  };
  beforeAll(async () => {
    const vectors = await (await loadEncoder()).embed(rows.map((r) => r.text));
    model = new Model(
      train(
        rows.map((r) => r.text),
        rows.map((r) => r.category),
        // One word model (softmax, no lemmas): the choice among them is not what this test is about.
        { candidates: ['softmax'], lemmas: false, sentences: { encoder: 'use-lite-en', vectors } },
      ),
    );
    expect(model.encoder).toBe('use-lite-en');
    const routing = loadRoutingConfig('dialogs/routing.yaml');
    const labels = Object.fromEntries(
      model.labels.map((l) => [l, /card|lost/.test(l) ? 'billing_pricing' : 'service_attitude']),
    );
    router = createRouter({ ...routing, model: { min_confidence: 0, labels } }, model);
    db = await testDb(DATABASE_URL ? 'pg' : 'pglite');
    engine = new Engine({
      db,
      router,
      config: testConfig(),
      clock: () => NOW,
      encoder: counted,
      onEncoderError: (e) => failures.push(e),
    });
  }, 120_000);
  afterAll(async () => db?.close());

  const chat = (key: string, n: number, text: string) =>
    engine.handle({ channel: 'test', conversationKey: key, messageKey: `${key}-${n}`, text, sender: { id: key } });
  const stateOf = async (key: string) =>
    (await db.query<{ state: any }>('SELECT state FROM conversations WHERE conversation_key = $1', [key])).rows[0]
      .state;
  /** Confirms the restatement and answers what is asked until the ticket is open (the answers hold no new story). */
  const untilTicket = async (key: string) => {
    for (const [n, answer] of ['yes', 'a refund', 'yes', 'no'].entries()) {
      const r = await chat(key, n + 2, answer);
      if (r.ticketReference) return r;
    }
    throw new Error(`no ticket for ${key}`);
  };
  const story =
    'I sent money to my landlord by bank transfer three days ago and it still has not arrived, this is unacceptable. ' +
    'Order 55120, Ann Lee, ann@example.com. I want it sorted today.';

  it('the story’s vector is computed once, before the turn, kept in the state, and routes the ticket', async () => {
    await chat('sv-a', 1, story);
    expect(embedded).toEqual([story]);
    const state = await stateOf('sv-a');
    expect(state.sentence).toHaveLength(512);
    // A redelivery of the same message, and the answers to the bot's questions, compute nothing.
    await chat('sv-a', 1, story);
    const done = await untilTicket('sv-a');
    expect(embedded).toEqual([story]);
    expect(done.ticketReference).toBeDefined();
    const ticket = (
      await db.query<{ routing: any }>('SELECT routing FROM tickets WHERE reference = $1', [done.ticketReference])
    ).rows[0];
    const after = await stateOf('sv-a');
    expect(after.sentence).toBeUndefined();
    const words = [...after.record.customerWords, after.record.product ?? ''].join('\n');
    const blended = router.route(words, undefined, state.sentence);
    const alone = router.route(words);
    expect(blended.confidence).not.toBe(alone.confidence);
    expect(ticket.routing.reasons.join(' ')).toContain(`at ${blended.confidence}`);
  });

  it('an encoder that fails is reported, and the turn goes on, routed by its words alone', async () => {
    failing = true;
    try {
      const first = await chat('sv-b', 1, story);
      expect(first.replies.length).toBeGreaterThan(0);
      expect(failures).toHaveLength(1);
      expect((await stateOf('sv-b')).sentence).toBeUndefined();
      const done = await untilTicket('sv-b');
      const ticket = (
        await db.query<{ routing: any }>('SELECT routing FROM tickets WHERE reference = $1', [done.ticketReference])
      ).rows[0];
      const after = await stateOf('sv-b');
      const words = [...after.record.customerWords, after.record.product ?? ''].join('\n');
      expect(ticket.routing.reasons.join(' ')).toContain(`at ${router.route(words).confidence}`);
    } finally {
      failing = false;
    }
  });

  it('a model trained on another encoder’s vectors is routed by its words: these vectors would be noise to it', async () => {
    const other = new Model({ ...model.file, encoder: { ...model.file.encoder!, name: 'use-multilingual' } });
    const routing = loadRoutingConfig('dialogs/routing.yaml');
    const seen: unknown[] = [];
    const engine2 = new Engine({
      db,
      router: createRouter({ ...routing, model: { min_confidence: 0, labels: {} } }, other),
      config: testConfig(),
      clock: () => NOW,
      encoder: counted,
      onEncoderError: (e) => seen.push(e),
    });
    const before = embedded.length;
    const r = await engine2.handle({
      channel: 'test',
      conversationKey: 'sv-c',
      messageKey: 'sv-c-1',
      text: story,
      sender: { id: 'sv-c' },
    });
    expect(r.replies.length).toBeGreaterThan(0);
    expect(embedded.length).toBe(before);
    expect(seen).toEqual([expect.objectContaining({ code: 'ENCODER_UNAVAILABLE' })]);
    expect((await stateOf('sv-c')).sentence).toBeUndefined();
  });
});
