/**
 * The LLM understander against a stand-in for an OpenAI-compatible chat-completions server, at its HTTP boundary:
 * a real node:http server on 127.0.0.1 that answers as the OpenAI API does, or slowly, or with garbage, 429, 500.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config.ts';
import { chatCompletionsEndpoint, chatJson, understandingMessages } from '../../../src/llm/chat-completions.ts';
import {
  createLlmUnderstander,
  llmCategories,
  type LlmUnderstanderOptions,
} from '../../../src/llm/llm-understander.ts';
import { Metrics } from '../../../src/core/metrics.ts';
import type { Db } from '../../../src/store/db.ts';
import { parseRoutingConfig } from '../../../dialogs/routing-config.ts';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { answers, completion, json, startStandIn, type Handler, type Seen, type StandIn } from './stand-in.ts';

const routing = parseRoutingConfig(readFileSync('dialogs/routing.yaml', 'utf8'));
const categories = llmCategories(routing);

// ---- the stand-in server ----

let standIn: StandIn;
let base: string;
let seen: Seen[];
let handler: Handler;
const later = (ms: number, f: () => void) => standIn.later(ms, f);
/** What the huge-body handler managed to write before the client hung up. */
const huge = { written: 0, finished: false, closed: Promise.resolve() };

beforeAll(async () => {
  standIn = await startStandIn((req, res, body) => handler(req, res, body));
  base = standIn.base;
  seen = standIn.seen;
});

afterAll(() => standIn.close());

beforeEach(() => {
  seen.length = 0;
  handler = answers(GOOD);
});

// ---- what the tests send ----

const TEXT =
  'Hi, my name is Jo Park. My new kettle arrived cracked on 3 March 2025 and leaked all over the counter. Order A-4411. I want a refund, please email jo@example.com.';
const NOW = new Date('2025-03-10T12:00:00Z');
const GOOD = {
  isComplaint: true,
  restatement: 'You told us the kettle we sent you arrived cracked and leaked, and you would like your money back.',
  product: 'kettle',
  whatWentWrong: 'arrived cracked and leaked',
  impact: 'water all over the counter',
  occurredOn: '2025-03-03',
  orderNumber: 'a4411',
  resolution: 'refund',
  name: 'Jo Park',
  email: 'jo@example.com',
  phone: null,
  category: 'product_quality',
  language: 'en',
};

function newMetrics(): Metrics {
  // No database is read: only the LLM counters are looked at, and the SQL gauges are read only on a full scrape.
  return new Metrics({ db: {} as Db, defaultMetrics: false });
}

/** The value of redress_llm_fallbacks_total{reason} (0 when the series does not exist yet). */
async function fallbacks(m: Metrics, reason: string): Promise<number> {
  const text = await m.registry.getSingleMetricAsString('redress_llm_fallbacks_total');
  const line = text.split('\n').find((l) => l.startsWith(`redress_llm_fallbacks_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function answered(m: Metrics): Promise<number> {
  const text = await m.registry.getSingleMetricAsString('redress_llm_answers_total');
  return Number(
    text
      .split('\n')
      .find((l) => l.startsWith('redress_llm_answers_total '))!
      .split(' ')
      .pop(),
  );
}

function understander(over: Partial<LlmUnderstanderOptions> & { env?: Record<string, string> } = {}) {
  const metrics = newMetrics();
  // A generous time-out by default (a loaded machine must not turn a good answer into a timeout); the slow cases set 200 ms.
  const config = loadConfig({
    LLM_URL: `${base}/v1`,
    LLM_MODEL: 'stand-in-model',
    LLM_TIMEOUT_MS: '10000',
    ...over.env,
  });
  const u = createLlmUnderstander({ config, metrics, categories, clock: () => NOW, breaker: false, ...over })!;
  return { u, metrics };
}

// ---- the tests ----

describe('LLM understanding (LLM_URL)', () => {
  it('is off when LLM_URL is unset', () => {
    expect(createLlmUnderstander({ config: loadConfig({}), categories })).toBeUndefined();
  });

  it('asks the chat-completions API for strict JSON, with the key and the customer text', async () => {
    const { u, metrics } = understander({ env: { LLM_API_KEY: 'sk-test-123' } });
    const hint = await u.understand(TEXT, 'en');
    expect(hint).toBeDefined();
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/chat/completions');
    expect(req.authorization).toBe('Bearer sk-test-123');
    expect(req.body).toMatchObject({
      model: 'stand-in-model',
      temperature: 0,
      response_format: { type: 'json_object' },
    });
    expect(req.body.messages).toHaveLength(2);
    expect(req.body.messages[0].role).toBe('system');
    expect(req.body.messages[0].content).toMatch(/JSON/);
    for (const c of ['product_quality', 'delivery_logistics', 'general'])
      expect(req.body.messages[0].content).toContain(`"${c}"`);
    for (const r of ['refund', 'replacement', 'explanation']) expect(req.body.messages[0].content).toContain(`"${r}"`);
    expect(req.body.messages[0].content).toContain('2025-03-10');
    expect(req.body.messages[1]).toEqual({ role: 'user', content: TEXT });
    expect(await answered(metrics)).toBe(1);
  });

  it('sends no Authorization header without LLM_API_KEY, and takes LLM_URL without /v1', async () => {
    const { u } = understander({ env: { LLM_URL: base } });
    await u.understand(TEXT);
    expect(seen[0].url).toBe('/v1/chat/completions');
    expect(seen[0].authorization).toBeUndefined();
  });

  it('cuts the customer text to 4,000 characters', async () => {
    const { u } = understander();
    await u.understand(`${TEXT} ${'and then it broke again. '.repeat(400)}`);
    expect(seen[0].body.messages[1].content.length).toBeLessThanOrEqual(4000);
  });

  it('a good answer becomes a hint with the supported fields', async () => {
    const { u, metrics } = understander();
    const hint = await u.understand(TEXT, 'en');
    expect(hint).toEqual({
      isComplaint: true,
      restatement: GOOD.restatement,
      product: 'kettle',
      whatWentWrong: 'arrived cracked and leaked',
      impact: 'water all over the counter',
      occurredOn: '2025-03-03',
      orderNumber: 'A-4411',
      resolution: 'refund',
      name: 'Jo Park',
      email: 'jo@example.com',
      category: 'product_quality',
      language: 'en',
      dropped: [],
    });
    expect(await answered(metrics)).toBe(1);
    expect(await fallbacks(metrics, 'invalid')).toBe(0);
  });

  it('drops what the text does not support: an invented order number, phone, date, name', async () => {
    handler = answers({
      ...GOOD,
      restatement: 'You told us order 99812 arrived cracked.',
      orderNumber: 'B-99812',
      phone: '+1 415 555 0100',
      occurredOn: '2025-03-04',
      name: 'Joanna Parker',
      product: 'toaster',
    });
    const { u, metrics } = understander();
    const hint = await u.understand(TEXT, 'en');
    expect(hint).toMatchObject({
      isComplaint: true,
      resolution: 'refund',
      email: 'jo@example.com',
      category: 'product_quality',
    });
    for (const f of ['restatement', 'orderNumber', 'phone', 'occurredOn', 'name', 'product'] as const)
      expect(hint![f]).toBeUndefined();
    expect(hint!.dropped.sort()).toEqual(['name', 'occurredOn', 'orderNumber', 'phone', 'product', 'restatement']);
    // A valid answer, reduced, is still an answer.
    expect(await answered(metrics)).toBe(1);
  });

  it('tolerates a ```json fence around the content', async () => {
    handler = answers(`\`\`\`json\n${JSON.stringify(GOOD)}\n\`\`\``);
    const { u } = understander();
    expect((await u.understand(TEXT))?.orderNumber).toBe('A-4411');
  });

  it('a slow answer past LLM_TIMEOUT_MS is a timeout fallback', async () => {
    handler = (_req, res) => later(2000, () => !res.destroyed && json(res, 200, completion(JSON.stringify(GOOD))));
    const { u, metrics } = understander({ env: { LLM_TIMEOUT_MS: '200' } });
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'timeout' });
    expect(await fallbacks(metrics, 'timeout')).toBe(1);
    expect(await answered(metrics)).toBe(0);
  });

  it('an answer whose body stalls after the headers is a timeout fallback too', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"chatcmpl-1","object":"chat.completion","choices":[');
      later(2000, () => !res.destroyed && res.end(']}'));
    };
    const { u, metrics } = understander({ env: { LLM_TIMEOUT_MS: '200' } });
    expect(await u.understand(TEXT)).toBeUndefined();
    expect(await fallbacks(metrics, 'timeout')).toBe(1);
  });

  it.each([
    ['content that is not JSON', answers('The customer seems unhappy about a kettle.')],
    ['JSON that fails the schema', answers({ isComplaint: 'yes', category: 'kettles' })],
    ['a category that is not configured', answers({ ...GOOD, category: 'kitchen_appliances' })],
    ['a resolution that is not allowed', answers({ ...GOOD, resolution: 'free kettle for life' })],
    ['a language that is not allowed', answers({ ...GOOD, language: 'fr' })],
    ['a date that is not YYYY-MM-DD', answers({ ...GOOD, occurredOn: '3 March 2025' })],
    [
      'a restatement of three sentences',
      answers({ ...GOOD, restatement: 'Your kettle broke. It leaked. You want money back.' }),
    ],
    ['null content', answers(null)],
    [
      'an HTML page with status 200',
      ((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>');
      }) as Handler,
    ],
    ['JSON that is not a chat completion', ((_req, res) => json(res, 200, { hello: 'world' })) as Handler],
  ])('%s is an invalid fallback', async (_name, h) => {
    handler = h;
    const { u, metrics } = understander();
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'invalid' });
    expect(await fallbacks(metrics, 'invalid')).toBe(1);
    expect(await answered(metrics)).toBe(0);
  });

  it('429 is an http_429 fallback', async () => {
    handler = (_req, res) => {
      res.setHeader('retry-after', '20');
      json(res, 429, {
        error: {
          message: 'Rate limit reached for requests',
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      });
    };
    const { u, metrics } = understander();
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'http_429' });
    expect(await fallbacks(metrics, 'http_429')).toBe(1);
  });

  it('500 and 503 are http_5xx fallbacks, 401 http_other', async () => {
    const { u, metrics } = understander();
    handler = (_req, res) =>
      json(res, 500, {
        error: {
          message: 'The server had an error while processing your request.',
          type: 'server_error',
          param: null,
          code: null,
        },
      });
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'http_5xx' });
    handler = (_req, res) => json(res, 503, { error: { message: 'overloaded', type: 'server_error' } });
    expect(await u.understand(TEXT)).toBeUndefined();
    expect(await fallbacks(metrics, 'http_5xx')).toBe(2);
    handler = (_req, res) =>
      json(res, 401, {
        error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
      });
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'http_other' });
    expect(await fallbacks(metrics, 'http_other')).toBe(1);
  });

  it('a server that is down is a network fallback', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { u, metrics } = understander({ env: { LLM_URL: `http://127.0.0.1:${port}/v1` } });
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'network' });
    expect(await fallbacks(metrics, 'network')).toBe(1);
  });

  it('a huge body is invalid and is not read to its end', async () => {
    const total = 64 * 1024 * 1024;
    let closed!: () => void;
    huge.written = 0;
    huge.finished = false;
    huge.closed = new Promise<void>((resolve) => (closed = resolve));
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length to refuse it by
      res.on('close', closed);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      res.write(
        '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"',
      );
      const pump = () => {
        while (!res.destroyed && huge.written < total) {
          huge.written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) {
          huge.finished = true;
          res.end('"}}]}');
        }
      };
      pump();
    };
    const { u, metrics } = understander();
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'invalid' });
    expect(await fallbacks(metrics, 'invalid')).toBe(1);
    await huge.closed;
    expect(huge.finished).toBe(false);
    expect(huge.written).toBeLessThan(total);
  });

  it('a declared Content-Length over the cap is refused before reading', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
      res.write('{"choices":');
      // Never finishes: the client must not wait for the rest.
    };
    const { u, metrics } = understander();
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'invalid' });
    expect(await fallbacks(metrics, 'invalid')).toBe(1);
  });

  it('after repeated failures the circuit opens for a while, then one call probes', async () => {
    let t = NOW.getTime();
    handler = (_req, res) => json(res, 500, { error: { message: 'down' } });
    const { u, metrics } = understander({ clock: () => new Date(t), breaker: { failures: 2, openMs: 30_000 } });
    expect((await u.attempt(TEXT)).ok).toBe(false);
    expect((await u.attempt(TEXT)).ok).toBe(false);
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'circuit_open' });
    expect(seen).toHaveLength(2);
    expect(await fallbacks(metrics, 'circuit_open')).toBe(1);
    expect(await fallbacks(metrics, 'http_5xx')).toBe(2);
    t += 31_000;
    handler = answers(GOOD);
    expect((await u.attempt(TEXT)).ok).toBe(true);
    expect(seen).toHaveLength(3);
    expect((await u.attempt(TEXT)).ok).toBe(true);
  });

  it('a failed probe opens the circuit again', async () => {
    let t = NOW.getTime();
    handler = (_req, res) => json(res, 503, { error: { message: 'down' } });
    const { u } = understander({ clock: () => new Date(t), breaker: { failures: 1, openMs: 30_000 } });
    expect((await u.attempt(TEXT)).ok).toBe(false);
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'circuit_open' });
    t += 31_000;
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'http_5xx' });
    expect(await u.attempt(TEXT)).toEqual({ ok: false, reason: 'circuit_open' });
    expect(seen).toHaveLength(2);
  });

  it('empty text makes no call and counts nothing', async () => {
    const { u, metrics } = understander();
    expect(await u.attempt('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(seen).toHaveLength(0);
    expect(await fallbacks(metrics, 'invalid')).toBe(0);
  });
});

describe('chat-completions client', () => {
  it('accepts LLM_URL with or without /v1, or the full endpoint', () => {
    expect(chatCompletionsEndpoint('http://localhost:11434')).toBe('http://localhost:11434/v1/chat/completions');
    expect(chatCompletionsEndpoint('http://localhost:11434/')).toBe('http://localhost:11434/v1/chat/completions');
    expect(chatCompletionsEndpoint('https://api.openai.com/v1')).toBe('https://api.openai.com/v1/chat/completions');
    expect(chatCompletionsEndpoint('http://vllm:8000/v1/')).toBe('http://vllm:8000/v1/chat/completions');
    expect(chatCompletionsEndpoint('https://llm.example.com/openai/chat/completions?api-version=1')).toBe(
      'https://llm.example.com/openai/chat/completions?api-version=1',
    );
  });

  it('chatJson validates any schema and never throws for a bad URL', async () => {
    handler = answers({ n: 2 });
    const o = { url: base, model: 'm', timeoutMs: 1000 };
    expect(await chatJson(o, [{ role: 'user', content: 'x' }], z.object({ n: z.number() }))).toEqual({
      ok: true,
      value: { n: 2 },
    });
    const bad = await chatJson(o, [{ role: 'user', content: 'x' }], z.object({ n: z.string() }));
    expect(bad).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await chatJson({ ...o, url: 'not a url' }, [], z.object({}))).toMatchObject({
      ok: false,
      reason: 'network',
    });
  });

  it('the prompt asks for the restatement in the dialog language', () => {
    const [system] = understandingMessages('我的手机坏了', { categories, language: 'zh-Hant' });
    expect(system.content).toContain('Traditional Chinese');
    expect(system.content).toContain('"product_quality" (product quality)');
  });
});
