import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { ADMIN_TOKEN, DATABASE_URL, startTestApp } from '../../helpers.ts';

const API_TOKEN = 'systems-token-0123456789';
const DIR = 'test/fixtures/transcripts/';
let app: Redress;
beforeAll(async () => {
  app = await startTestApp(DATABASE_URL ? 'pg' : 'pglite', {
    jobs: false,
    env: { API_TOKEN, TRANSCRIPT_MAX_BYTES: String(5 * 1024 * 1024) },
  });
});
afterAll(async () => app?.stop());

const upload = (body: BodyInit, type: string, query = '', token = API_TOKEN) =>
  fetch(`${app.url}/api/transcripts${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(type ? { 'content-type': type } : {}) },
    body,
  });
const count = async () => Number((await app.db.query<{ n: number }>('SELECT count(*) AS n FROM messages')).rows[0].n);

describe('POST /api/transcripts', () => {
  it('turns an uploaded call into a routed ticket with evidence and the full transcript; the same call again is 200', async () => {
    const r = await upload(readFileSync(`${DIR}call.vtt`), 'text/vtt', '?callId=call-1001');
    expect(r.status).toBe(201);
    const t = await r.json();
    expect(t).toMatchObject({
      channel: 'phone',
      status: 'open',
      customer: { name: 'Miriam Cole', email: ['miriam.cole@gmail.com'], phone: ['+14155550132'] },
    });
    expect(t.record).toMatchObject({
      orderNumber: 'AB7712',
      resolution: 'refund',
      occurredOn: expect.stringMatching(/^\d{4}-11-14$/),
    });
    // Retold in our words: the cancelled train, and the voicemails and dead-end number as no answer from us.
    expect(t.restatement).toMatch(
      /^Your train \(order AB7712\) was cancelled and you have not been able to get a proper answer from us\./,
    );
    expect(t.call.format).toBe('webvtt');
    expect(t.call.evidence.orderNumber).toMatchObject({ value: 'AB7712', line: 5, source: 'customer' });
    expect(t.call.transcript).toHaveLength(10);
    expect(t.call.transcript[0]).toMatchObject({ role: 'agent', label: 'Agent' });
    const again = await upload(readFileSync(`${DIR}call.srt`), 'application/x-subrip', '?callId=call-1001');
    expect(again.status).toBe(200);
    expect((await again.json()).reference).toBe(t.reference);
  });

  it('the same file uploaded twice without a call id is the same call', async () => {
    const a = await upload(readFileSync(`${DIR}call.google.json`), 'application/json');
    const b = await upload(readFileSync(`${DIR}call.google.json`), 'application/json');
    expect([a.status, b.status]).toEqual([201, 200]);
    expect((await b.json()).reference).toBe((await a.json()).reference);
  });

  it('takes multipart/form-data with caller details; a Chinese call is answered in Chinese', async () => {
    const form = new FormData();
    form.set('file', new Blob([readFileSync(`${DIR}call-zh.txt`)], { type: 'text/plain' }), 'call-zh.txt');
    form.set('callId', 'zh-2002');
    form.set('callerEmail', 'wangfang@example.cn');
    const r = await fetch(`${app.url}/api/transcripts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}` },
      body: form,
    });
    expect(r.status).toBe(201);
    const t = await r.json();
    expect(t).toMatchObject({
      language: 'zh-Hans',
      customer: { email: ['wangfang@example.cn'], phone: ['+8613800138000'] },
    });
    expect(t.record).toMatchObject({ orderNumber: '12345678', name: '王芳' });
    const replies = await app.db.query<{ text: string }>(
      "SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.conversation_key = 'call:zh-2002' AND m.direction = 'out'",
    );
    expect(replies.rows.map((x) => x.text).join('\n')).toMatch(/感谢您的来电/);
  });

  it('a call with no contact point is flagged for a staff call-back', async () => {
    const text =
      'Agent: Thanks for calling, how can I help?\nCustomer: My heater from order 55112 is leaking water since yesterday and I want a repair.\n';
    const r = await upload(text, 'text/plain', '?callId=noc-1');
    const t = await r.json();
    expect(r.status).toBe(201);
    expect(t.handoff).toBe(true);
    expect(t.events.find((e: any) => e.kind === 'handoff').data.reason).toMatch(/call-back/);
  });

  it('a call with no complaint in it opens no ticket and says so', async () => {
    const r = await upload(
      'Agent: Thanks for calling.\nCustomer: Hi.\nAgent: Goodbye.\n',
      'text/plain',
      '?callId=empty-1',
    );
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ticket: null, reason: expect.stringMatching(/no complaint/) });
  });

  it('a call in which the customer only asks questions opens no ticket, in English or Chinese', async () => {
    for (const file of ['question-call.txt', 'question-call-zh.txt']) {
      const r = await upload(readFileSync(`${DIR}${file}`), 'text/plain', `?callId=${file}`);
      expect(r.status, file).toBe(200);
      expect(await r.json(), file).toMatchObject({ ticket: null, reason: expect.stringMatching(/no complaint/) });
    }
  });

  it('refuses bad uploads with the right status and writes nothing', async () => {
    const before = await count();
    expect((await upload('Customer: hi', 'text/plain', '', 'wrong-token-wrong-token')).status).toBe(401);
    expect((await upload('Customer: hi', 'text/plain', '', ADMIN_TOKEN)).status).toBe(401);
    const big = await upload(Buffer.alloc(50 * 1024 * 1024, 65), 'text/plain');
    expect(big.status).toBe(413);
    const png = await upload(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    expect(png.status).toBe(415);
    const fake = await upload('{"results": [', 'application/json');
    expect(fake.status).toBe(422);
    expect((await fake.json()).error).toMatchObject({
      code: 'TRANSCRIPT_INVALID',
      message: expect.stringMatching(/not a valid JSON transcript/),
    });
    const badField = await upload('Customer: my kettle broke', 'text/plain', '?callerEmail=not-an-email');
    expect(badField.status).toBe(400);
    expect(await count()).toBe(before);
  });
});
