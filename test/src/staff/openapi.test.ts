import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Redress } from '../../../src/main.ts';
import { openApiDocument, openApiPath } from '../../../src/staff/openapi-document.ts';
import { apiRoutes } from '../../../src/staff/openapi-routes.ts';
import type { SummaryAnswer, TicketView } from '../../../src/staff/openapi-schemas.ts';
import { summary } from '../../../src/staff/summary.ts';
import { parseSummaryQuery } from '../../../src/staff/summary-query.ts';
import { ticketView } from '../../../src/staff/tickets.ts';
import { ticketByReference } from '../../../src/store/tickets.ts';
import { ADMIN_TOKEN, DATABASE_URL, startTestApp } from '../../helpers.ts';
import { openTicket, scoreAfterResolution, staffPost } from './recovery-fixture.ts';

// GET /api/openapi.json (issue #20 item 2): a valid OpenAPI 3.1 document naming every /api/ route the server mounts,
// and the answers real requests get validate against the schemas it gives them.
const API_TOKEN = 'systems-token-0123456789';
// Bot Framework's endpoint speaks Microsoft's protocol (its own documentation); the other routes outside /api/
// (Direct Line, Slack, the dashboard's pages, probes, metrics) are not part of this API and are not compared.
const NOT_DESCRIBED = new Set(['post /api/messages']);
const doc = openApiDocument() as any;
const addFormats = addFormatsModule as unknown as (a: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
ajv.addSchema(doc, 'openapi');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

let app: Redress;
beforeAll(async () => {
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    jobs: false,
    env: { API_TOKEN, SATISFACTION_CHECK_DAYS: '1', SECOND_FOLLOWUP_DAYS: '1' },
  });
});
afterAll(async () => app?.stop());

/** The answers seen, by "method path" (as the registry writes the path): checked after the samples. */
const seen = new Map<string, Array<{ status: number; media: string; body: unknown }>>();
async function call(
  method: 'get' | 'post' | 'patch',
  path: string,
  route: string,
  body?: unknown,
  token = ADMIN_TOKEN,
) {
  // What the test sends is what the document asks for.
  if (body && typeof body === 'object') {
    const at = pointer('paths', openApiPath(route), method, 'requestBody', 'content', 'application/json', 'schema');
    const asked = ajv.compile({ $ref: `openapi#/${at}` });
    expect(asked(body), `${method} ${route} body: ${JSON.stringify(asked.errors)}`).toBe(true);
  }
  const r = await fetch(app.url + path, {
    method: method.toUpperCase(),
    headers: {
      authorization: `Bearer ${token}`,
      ...(typeof body === 'string'
        ? { 'content-type': 'text/vtt' }
        : body
          ? { 'content-type': 'application/json' }
          : {}),
    },
    body: typeof body === 'string' ? body : body ? JSON.stringify(body) : undefined,
  });
  const media = (r.headers.get('content-type') ?? '').split(';')[0];
  const answer = media === 'application/json' ? await r.json() : await r.text();
  const key = `${method} ${route}`;
  seen.set(key, [...(seen.get(key) ?? []), { status: r.status, media, body: answer }]);
  return { status: r.status, body: answer as any };
}

/** Problems of `body` against the document's schema for `status` of the route (its `default` for an error). */
function problems(key: string, status: number, media: string, body: unknown) {
  const [method, route] = key.split(' ');
  const responses = doc.paths[openApiPath(route)][method].responses;
  const at = String(status) in responses ? String(status) : 'default';
  expect(responses[at].content, `${key} ${status}: no ${media} answer`).toHaveProperty([media]);
  const contentSchema = ajv.compile({
    $ref: `openapi#/${pointer('paths', openApiPath(route), method, 'responses', at, 'content', media, 'schema')}`,
  });
  return contentSchema(body) ? [] : contentSchema.errors;
}

describe.skipIf(!DATABASE_URL && !process.env.CI)('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1 and is what GET /api/openapi.json serves, without a token', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
    const r = await fetch(`${app.url}/api/openapi.json`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual(doc);
    // A broken document is told apart: the check can fail.
    expect((await new Validator().validate({ ...doc, paths: { '/api/x': { get: { responses: 1 } } } })).valid).toBe(
      false,
    );
  });

  it('names every /api/ route the server mounts, and no other', () => {
    const mounted = Object.values(
      app.server.router.getRoutes() as unknown as Record<string, { method: string; path: string }>,
    )
      .filter((r) => String(r.path).startsWith('/api/'))
      .map((r) => `${r.method.toLowerCase()} ${r.path}`)
      .filter((k) => !NOT_DESCRIBED.has(k));
    const described = apiRoutes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(described).size).toBe(described.length);
    expect(described.sort()).toEqual(mounted.sort());
    for (const r of apiRoutes) expect(doc.paths[openApiPath(r.path)]).toHaveProperty(r.method);
  });

  it('the answer of every route validates against its schema', async () => {
    const key = 'oa-1';
    const ref = await openTicket(app, key);
    await call('get', '/api/openapi.json', '/api/openapi.json');
    await call('get', '/api/tickets?limit=5', '/api/tickets');
    const logged = await call('post', '/api/tickets', '/api/tickets', {
      source: 'letter',
      text: 'My desk lamp from order 41123 arrived broken last Tuesday. I want a replacement.',
      customer: { name: 'Lena Fox', email: 'lena@example.com' },
      loggedBy: 'alice',
      externalId: 'oa-letter-1',
    });
    expect(logged.status).toBe(201);
    await call('post', '/api/tickets', '/api/tickets', { source: 'letter', text: 'Thanks!', loggedBy: 'alice' });
    await call('get', `/api/tickets/${ref}`, '/api/tickets/:reference');
    const department = app.routing.departments.at(-1)!.id;
    await call('post', `/api/tickets/${ref}/reassign`, '/api/tickets/:reference/reassign', { department });
    await call('post', `/api/tickets/${ref}/tier`, '/api/tickets/:reference/tier', { tier: 'core', by: 'alice' });
    await call('post', '/api/customers/tier', '/api/customers/tier', {
      email: 'ana@example.com',
      tier: 'core',
      by: 'a',
    });
    const volume = { day: '2026-12-01', department, kind: 'orders', count: 120 };
    await call('post', '/api/volumes', '/api/volumes', { rows: [volume], by: 'alice' });
    await call('post', `/api/tickets/${ref}/status`, '/api/tickets/:reference/status', { status: 'in_progress' });
    await scoreAfterResolution(app, ref, key, '1');
    await call('get', `/api/tickets/${ref}/recovery`, '/api/tickets/:reference/recovery');
    const outcome = { outcome: 'recovered', note: 'called', by: 'bob' };
    await call('post', `/api/tickets/${ref}/recovery`, '/api/tickets/:reference/recovery', outcome);
    const action = { title: 'Check the kettles', owner: 'U0123', due: '2026-12-31', cause: 'product_defect', by: 'a' };
    const opened = await call('post', '/api/actions', '/api/actions', { ...action, tickets: [ref] });
    expect(opened.status).toBe(201);
    await call('get', '/api/actions?show=open', '/api/actions');
    await call('get', `/api/actions/${opened.body.id}?days=7`, '/api/actions/:id');
    await call('patch', `/api/actions/${opened.body.id}`, '/api/actions/:id', { state: 'done', by: 'a' });
    await call('post', '/api/actions', '/api/actions', { ...action, cause: 'no_such_cause' });
    await call('get', '/api/summary', '/api/summary');
    await call('get', '/api/tickets.csv', '/api/tickets.csv');
    const vtt = readFileSync('test/fixtures/transcripts/call.vtt', 'utf8');
    await call('post', '/api/transcripts?callId=oa-call-1', '/api/transcripts', vtt, API_TOKEN);
    // Errors are described too (their default answer).
    await call('get', '/api/tickets/CMP-999999', '/api/tickets/:reference');
    await call('get', '/api/attachments/999999', '/api/attachments/:id');
    await call('get', '/api/summary', '/api/summary', undefined, 'wrong-token');

    for (const r of apiRoutes) expect(seen.get(`${r.method} ${r.path}`), `${r.method} ${r.path}`).toBeDefined();
    for (const [k, answers] of seen)
      for (const a of answers) {
        expect(a.status, `${k}: ${JSON.stringify(a.body).slice(0, 300)}`).toBeLessThan(500);
        expect(problems(k, a.status, a.media, a.body), `${k} ${a.status}`).toEqual([]);
      }
    const statuses = [...seen.values()].flat().map((a) => a.status);
    expect(statuses).toEqual(expect.arrayContaining([200, 201, 401, 404]));
    // A sample missing a field the schema requires fails: the check can fail.
    const { tickets: _, ...noTickets } = seen.get('get /api/tickets')![0].body as Record<string, unknown>;
    expect(problems('get /api/tickets', 200, 'application/json', noTickets)).not.toEqual([]);
  });

  it('ticketView’s and summary’s answers are of the schemas’ types, the phone ticket with its call too', async () => {
    const now = new Date();
    const figures: SummaryAnswer = await summary(app.db, parseSummaryQuery({}, 731, { now }), now);
    expect(problems('get /api/summary', 200, 'application/json', JSON.parse(JSON.stringify(figures)))).toEqual([]);
    const refs = (await app.db.query<{ reference: string }>('SELECT reference FROM tickets ORDER BY id')).rows;
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const { reference } of refs) {
      const view: TicketView = await ticketView(app.db, (await ticketByReference(app.db, reference))!);
      expect(
        problems('get /api/tickets/:reference', 200, 'application/json', JSON.parse(JSON.stringify(view))),
      ).toEqual([]);
    }
  });

  it('a webhook payload as docs/webhooks.md shows it validates against the document’s WebhookPayload', () => {
    const md = readFileSync('docs/webhooks.md', 'utf8');
    const example = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(md)![1].replaceAll('"…"', '"2026-12-04T09:12:03.120Z"'));
    const validate = ajv.compile({ $ref: 'openapi#/components/schemas/WebhookPayload' });
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...example, type: 'ticket.exploded' })).toBe(false);
    expect(Object.keys(doc.webhooks).sort()).toEqual(
      [
        'followup.sent',
        'message.received',
        'message.sent',
        'satisfaction.answered',
        'ticket.created',
        'ticket.resolved',
        'ticket.updated',
      ].sort(),
    );
  });
});
