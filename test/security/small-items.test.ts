/**
 * The smaller hostile inputs of issue 13, each through the real server: lone UTF-16 surrogates, uploads streamed past
 * the size limit without a Content-Length, Slack requests stamped in the future, and bidi controls in customer text
 * reaching the CSV export, the Slack card and the dashboard.
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../src/main.ts';
import { ADMIN_TOKEN, staffGet } from '../helpers.ts';
import { directLine, startSecurityApp } from './support.ts';
import type { startFakeSlack } from '../channels/slack/fake-slack.ts';

const SLACK_SECRET = 'slack-signing-secret-for-small-items';
const API_TOKEN = 'systems-token-small-items-0123';
const UPLOAD_LIMIT = 1024 * 1024;
const BODY_LIMIT = 64 * 1024;
/** Every bidi control the product strips: embeddings, overrides, isolates and the marks. */
const BIDI = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C';
const BIDI_RE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
/** A few days around now (the app runs on the real clock here), as a query string. */
const period = () =>
  new URLSearchParams({
    from: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10),
    to: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
  }).toString();

let app: Redress;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let stopAll: () => Promise<void>;
let dl: ReturnType<typeof directLine>;

beforeAll(async () => {
  ({
    app,
    slack,
    stop: stopAll,
  } = await startSecurityApp({
    env: { API_TOKEN, TRANSCRIPT_MAX_BYTES: String(UPLOAD_LIMIT), MAX_BODY_BYTES: String(BODY_LIMIT) },
    slackSecret: SLACK_SECRET,
  }));
  dl = directLine(app);
});
afterAll(async () => {
  await stopAll?.();
});

const staffPost = (path: string, body: string) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body,
  });

describe('a lone UTF-16 surrogate', () => {
  it('in a Direct Line message is stored as U+FFFD, and the chat goes on', async () => {
    const c = await dl.open();
    // JSON.stringify writes a lone surrogate as the escape "\ud800", which is what a hostile client sends.
    await dl.say(c, 'My kettle \ud800 from order 4411 broke \udfff yesterday');
    const mine = (await dl.activities(c)).find((a) => a.from.role === 'user')!;
    expect(mine.text).toBe('My kettle \uFFFD from order 4411 broke \uFFFD yesterday');
    const stored = await app.db.query<{ text: string }>(
      "SELECT text FROM messages WHERE direction = 'in' AND text LIKE 'My kettle %4411%'",
    );
    expect(stored.rows.map((r) => r.text)).toEqual(['My kettle \uFFFD from order 4411 broke \uFFFD yesterday']);
    await dl.say(c, 'yes');
    expect((await dl.activities(c)).filter((a) => a.from.role === 'bot').length).toBeGreaterThan(1);
  });

  it('in any JSON body (a staff note) is replaced too; a well-formed pair is kept', async () => {
    const { reference } = await dl.complain(
      'My toaster from order 7781 arrived broken yesterday. I want a refund. Bo Chan, bo.chan@example.com',
    );
    const r = await staffPost(
      `/api/tickets/${reference}/status`,
      JSON.stringify({ status: 'in_progress', note: 'called \ud83d\ude00 back \udc00' }),
    );
    expect(r.status).toBe(200);
    const events = await app.db.query<{ data: { note?: string } }>(
      "SELECT e.data FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.reference = $1 AND e.data ? 'note'",
      [reference],
    );
    expect(events.rows.map((e) => e.data.note)).toEqual(['called \u{1F600} back \uFFFD']);
  });

  it('in a JSON call transcript (not a JSON request body) is replaced at the engine entry', async () => {
    const transcript = JSON.stringify({
      results: [
        {
          alternatives: [{ transcript: 'Customer: my washing machine \ud800 from order 5512 leaks, I want a repair' }],
        },
      ],
    });
    const r = await fetch(`${app.url}/api/transcripts?callId=surrogate-1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: transcript,
    });
    expect(r.status, await r.clone().text()).toBeLessThan(300);
    const stored = await app.db.query<{ text: string }>(
      "SELECT text FROM messages WHERE channel = 'phone' AND text LIKE '%washing machine%'",
    );
    expect(stored.rows.length).toBe(1);
    expect(stored.rows[0].text).toContain('washing machine \uFFFD from order');
  });
});

/**
 * Streams a chunked body (no Content-Length) of up to `total` bytes, `preamble` first, with backpressure, and stops
 * writing when the answer arrives. Returns the answer and how much had been written by then.
 */
function streamUntilAnswered(path: string, headers: Record<string, string>, preamble: string, total: number) {
  return new Promise<{ status: number; body: string; written: number; finished: boolean }>((resolve, reject) => {
    const url = new URL(path, app.url);
    const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } });
    let written = 0;
    let answered = false;
    let finished = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), written, finished }),
      );
      res.on('error', reject);
    });
    // Once the server has answered and closed, further writes fail (EPIPE, reset): that is the point.
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) {
        finished = true;
        req.end();
      }
    };
    req.write(preamble);
    written += Buffer.byteLength(preamble);
    pump();
  });
}

describe('a body streamed past its limit without a Content-Length', () => {
  const TOTAL = 64 * 1024 * 1024;

  it('a chunked multipart transcript upload is answered 413 while the client is still sending', async () => {
    const boundary = 'xXsmallItemsBoundaryXx';
    const preamble = `--${boundary}\r\nContent-Disposition: form-data; name="callId"\r\n\r\nbig-1\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="call.txt"\r\nContent-Type: text/plain\r\n\r\nCustomer: `;
    const r = await streamUntilAnswered(
      '/api/transcripts',
      { authorization: `Bearer ${API_TOKEN}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      preamble,
      TOTAL,
    );
    expect(r.status, r.body).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    // The answer came before the client had sent it all: the server stopped reading at the limit.
    expect(r.finished).toBe(false);
    expect(r.written).toBeLessThan(TOTAL);
  });

  it('so is a multipart upload whose file part is small but whose other parts are not', async () => {
    const boundary = 'xXsmallItemsBoundaryXx';
    // A second file part: busboy ignores it (files: 1) but would read every byte of it.
    const preamble = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="call.txt"\r\nContent-Type: text/plain\r\n\r\nCustomer: my kettle broke\r\n--${boundary}\r\nContent-Disposition: form-data; name="other"; filename="junk.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const r = await streamUntilAnswered(
      '/api/transcripts',
      { authorization: `Bearer ${API_TOKEN}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      preamble,
      TOTAL,
    );
    expect(r.status).toBe(413);
    expect(r.finished).toBe(false);
  });

  it('a chunked raw transcript upload, and a chunked Direct Line activity, likewise', async () => {
    const raw = await streamUntilAnswered(
      '/api/transcripts',
      { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/plain' },
      'Customer: ',
      TOTAL,
    );
    expect(raw.status).toBe(413);
    expect(raw.finished).toBe(false);
    const c = await dl.open();
    const chat = await streamUntilAnswered(
      `/v3/directline/conversations/${c.conversationId}/activities`,
      { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      '{"type":"message","text":"',
      TOTAL,
    );
    expect(chat.status).toBe(413);
    expect(JSON.parse(chat.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(chat.finished).toBe(false);
    // The server is still serving.
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

describe('Slack request timestamps', () => {
  const post = (ts: number, challenge: string) => {
    const body = JSON.stringify({ type: 'url_verification', token: 'legacy', challenge });
    const sig = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    return fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sig,
      },
      body,
    });
  };
  const now = () => Math.floor(Date.now() / 1000);

  it('a correctly signed request stamped an hour (or six minutes) ahead is refused', async () => {
    for (const ahead of [3600, 360]) {
      const r = await post(now() + ahead, `future-${ahead}`);
      expect(r.status, `${ahead} s ahead`).toBe(401);
      expect((await r.json()).error.code).toBe('UNAUTHORIZED');
    }
  });

  it('one stamped a minute ago, or a minute ahead (clock skew), is accepted; one ten minutes old is not', async () => {
    for (const offset of [-60, 60]) {
      const r = await post(now() + offset, `ok${offset}`);
      expect(r.status, `${offset} s`).toBe(200);
      expect(await r.json()).toEqual({ challenge: `ok${offset}` });
    }
    expect((await post(now() - 600, 'stale')).status).toBe(401);
  });
});

describe('bidi controls in customer text', () => {
  let reference: string;
  let conversation: { conversationId: string; token: string };
  beforeAll(async () => {
    ({ reference, conversation } = await dl.complain(
      `My kettle ${BIDI}gnp from order 6621 made a strange sound yesterday ${BIDI}. I want a refund. Ana Ruiz, ana.ruiz@example.com`,
    ));
  });

  it('are kept in storage (the ticket says what the customer wrote)', async () => {
    const t = (await staffGet(app, `/api/tickets/${reference}`)).body;
    expect(t.record.customerWords[0]).toContain(BIDI);
    expect(t.restatement).toMatch(BIDI_RE);
  });

  it('are gone from the CSV export, whose cells keep the words around them', async () => {
    const r = await fetch(`${app.url}/api/tickets.csv?${period()}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(r.status).toBe(200);
    const csv = await r.text();
    const line = csv.split('\r\n').find((l) => l.startsWith(`"${reference}"`))!;
    expect(line).toMatch(/kettle gnp/);
    expect(csv).not.toMatch(BIDI_RE);
  });

  it('are gone from the Slack card (every block and the notification text)', async () => {
    await app.slack!.sync();
    const post = slack.calls.find(
      (c) =>
        c.method === 'chat.postMessage' && !c.args.thread_ts && JSON.stringify(c.args.blocks ?? '').includes(reference),
    );
    expect(post, 'the ticket was posted').toBeDefined();
    const shown = JSON.stringify(post!.args);
    expect(shown).toMatch(/kettle gnp/);
    expect(JSON.parse(shown).text).not.toMatch(BIDI_RE);
    expect(shown).not.toMatch(BIDI_RE);
  });

  it("are gone from the customer's next message in the ticket's Slack thread", async () => {
    await dl.say(conversation, `Also ${BIDI}it sparks`);
    await app.slack!.sync();
    const line = slack.calls.find(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts && /^Customer wrote: Also/.test(c.args.text),
    );
    expect(line, 'the message was posted in the thread').toBeDefined();
    expect(line!.args.text).toBe('Customer wrote: Also it sparks');
  });

  it('are gone from the dashboard', async () => {
    const r = await fetch(`${app.url}/dashboard?${period()}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const html = await r.text();
    expect(html).toContain(reference);
    expect(html).not.toMatch(BIDI_RE);
  });
});
