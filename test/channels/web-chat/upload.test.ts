/**
 * Web Chat's upload button at the Direct Line boundary (issue #18 item 3): a raw multipart POST of a real JPEG and PDF
 * to …/conversations/:id/upload, as botframework-directlinejs sends it (the activity part first, then the files).
 * The files are stored with the message, listed on the ticket and on the Slack card, downloadable only with the staff
 * token; too large (413) and not a photo or PDF (415, found by content) are refused with a bot message in the chat.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redress } from '../../../src/main.ts';
import { ADMIN_TOKEN, staffGet } from '../../helpers.ts';
import { startSlackApp, type SlackApp } from '../slack/slack-harness.ts';

const JPEG = readFileSync('test/fixtures/uploads/kettle.jpg');
const PDF = readFileSync('test/fixtures/uploads/receipt.pdf');
// The limit the tests run with: the fixtures fit, a 30,000-byte file does not (20 KB, as the bot says it).
const LIMIT = 20_480;

let app: Redress;
let slack: SlackApp['slack'];
let harness: SlackApp;
beforeAll(async () => {
  harness = await startSlackApp({ env: { WEB_CHAT_UPLOAD_MAX_BYTES: String(LIMIT) } });
  ({ app, slack } = harness);
});
afterAll(async () => {
  await harness?.stop();
});

const newChat = async () =>
  (await (await fetch(`${app.url}/v3/directline/tokens/generate`, { method: 'POST' })).json()) as {
    conversationId: string;
    token: string;
  };
/** A form as Web Chat builds it: the message activity as a Blob part named "activity", then one "file" part each. */
const form = (clientId: string, files: Array<{ bytes: Buffer; name: string; type: string }>, text?: string) => {
  const f = new FormData();
  const activity = { type: 'message', from: { id: 'customer-u' }, text, channelData: { clientActivityID: clientId } };
  f.append('activity', new Blob([JSON.stringify(activity)], { type: 'application/vnd.microsoft.activity' }));
  for (const x of files) f.append('file', new Blob([new Uint8Array(x.bytes)], { type: x.type }), x.name);
  return f;
};
const upload = (
  chat: { conversationId: string; token: string },
  body: FormData,
  headers: Record<string, string> = {},
) =>
  fetch(`${app.url}/v3/directline/conversations/${chat.conversationId}/upload?userId=customer-u`, {
    method: 'POST',
    headers: { authorization: `Bearer ${chat.token}`, ...headers },
    body,
  });
/** The bot's messages in the chat, as the page reads them. */
const botSaid = async (chat: { conversationId: string; token: string }) => {
  const r = await fetch(`${app.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
    headers: { authorization: `Bearer ${chat.token}` },
  });
  const page = (await r.json()) as { activities: Array<{ from: { role: string }; text: string }> };
  return page.activities.filter((a) => a.from.role === 'bot').map((a) => a.text);
};
const attachmentRows = async () =>
  Number((await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments')).rows[0].n);
let k = 0;
const say = (key: string, text: string) =>
  app.engine.handle({
    channel: 'webchat',
    conversationKey: key,
    messageKey: `${key}-t${k++}`,
    text,
    sender: { id: key },
  });

describe('web chat uploads', () => {
  it('a photo and a PDF: stored, listed on the ticket and the Slack card, downloadable only by staff', async () => {
    const chat = await newChat();
    await say(
      chat.conversationId,
      'My kettle from order 30017 arrived broken yesterday, I want a replacement. Ana Ruiz, ana@example.com',
    );
    const ref = (await say(chat.conversationId, 'yes')).ticketReference!;
    expect(ref).toMatch(/^CMP-/);
    await app.slack!.sync();

    const files = [
      { bytes: JPEG, name: 'kettle.jpg', type: 'image/jpeg' },
      // Declared as a generic file by the browser: the content says PDF, and that is the type stored.
      { bytes: PDF, name: 'receipt.pdf', type: 'application/octet-stream' },
    ];
    const r = await upload(chat, form('up-1', files));
    expect(r.status).toBe(200);
    const { id } = (await r.json()) as { id: string };
    expect(id).toMatch(/^\d+$/);
    // The dialog sees the files as the customer's evidence and acknowledges them.
    expect((await botSaid(chat)).at(-1)).toBe(
      "Thanks for the file; I've kept it with your complaint. Could you also describe what happened in a few words?",
    );

    // Sent again (Web Chat's retry of the same activity): the same message, nothing stored twice.
    const rows = await attachmentRows();
    const again = await upload(chat, form('up-1', files));
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(id);
    expect(await attachmentRows()).toBe(rows);

    const ticket = (await staffGet(app, `/api/tickets/${ref}`)).body;
    expect(ticket.attachments).toEqual([
      { id: expect.any(Number), name: 'kettle.jpg', contentType: 'image/jpeg', size: 843, stored: true, refused: null },
      {
        id: expect.any(Number),
        name: 'receipt.pdf',
        contentType: 'application/pdf',
        size: 587,
        stored: true,
        refused: null,
      },
    ]);
    expect([JPEG.length, PDF.length]).toEqual([843, 587]);

    // The card is drawn again with the files' names (the upload added an event to the ticket).
    await app.slack!.sync();
    const drawn = slack.calls.filter(
      (c) =>
        (c.method === 'chat.update' || (c.method === 'chat.postMessage' && !c.args.thread_ts)) &&
        (c.args.blocks as any[] | undefined)?.[0]?.text?.text?.startsWith(`${ref} `),
    );
    const block = (drawn.at(-1)!.args.blocks as any[]).find((b) => b.block_id === 'attachments');
    expect(block.elements[0].text).toBe('Files: kettle.jpg (JPEG, 843 B); receipt.pdf (PDF, 587 B)');

    // The file itself: never without the staff token; with it, as a download of the bytes sent.
    const [jpeg, pdf] = ticket.attachments as Array<{ id: number }>;
    const anonymous = await fetch(`${app.url}/api/attachments/${jpeg.id}`);
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${app.url}/api/attachments/${jpeg.id}`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    // Nor with the customer's own Direct Line token.
    const customer = await fetch(`${app.url}/api/attachments/${jpeg.id}`, {
      headers: { authorization: `Bearer ${chat.token}` },
    });
    expect(customer.status).toBe(401);
    const staff = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const got = await fetch(`${app.url}/api/attachments/${jpeg.id}`, { headers: staff });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename="kettle.jpg"; filename*=UTF-8''kettle.jpg`,
    );
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await got.arrayBuffer()).equals(JPEG)).toBe(true);
    const gotPdf = await fetch(`${app.url}/api/attachments/${pdf.id}`, { headers: staff });
    expect(gotPdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await gotPdf.arrayBuffer()).equals(PDF)).toBe(true);
    expect((await fetch(`${app.url}/api/attachments/99999999`, { headers: staff })).status).toBe(404);

    // The dashboard's ticket page lists them, each linked to its download behind the dashboard's sign-in.
    const page = await (await fetch(`${app.url}/dashboard/tickets/${ref}`, { headers: staff })).text();
    expect(page).toContain(`<a class="attachment" href="/dashboard/attachments/${jpeg.id}" download>kettle.jpg</a>`);
    expect(page).toContain(`<a class="attachment" href="/dashboard/attachments/${pdf.id}" download>receipt.pdf</a>`);
    const signedOut = await fetch(`${app.url}/dashboard/attachments/${jpeg.id}`, { redirect: 'manual' });
    expect([302, 303, 401]).toContain(signedOut.status);
    expect(Buffer.from(await signedOut.arrayBuffer()).includes(JPEG.subarray(0, 64))).toBe(false);
    const viaPage = await fetch(`${app.url}/dashboard/attachments/${jpeg.id}`, { headers: staff });
    expect(viaPage.status).toBe(200);
    expect(viaPage.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(Buffer.from(await viaPage.arrayBuffer()).equals(JPEG)).toBe(true);
  });

  it('413: a file over the limit is refused, nothing is stored, and the bot says the limit', async () => {
    const chat = await newChat();
    const rows = await attachmentRows();
    // A real JPEG's start, padded past the limit: the type is right, the size is not.
    const big = Buffer.concat([JPEG, Buffer.alloc(30_000 - JPEG.length, 0)]);
    const r = await upload(chat, form('big-1', [{ bytes: big, name: 'big.jpg', type: 'image/jpeg' }]));
    expect(r.status).toBe(413);
    expect(((await r.json()) as any).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await attachmentRows()).toBe(rows);
    expect(await botSaid(chat)).toEqual([
      'Sorry, that file is too large for us to accept: uploads are limited to 20 KB in all. Please send a smaller file.',
    ]);
    // No message was recorded for the customer's side either: only the bot's notice is in the conversation.
    const messages = await app.db.query<{ direction: string }>(
      'SELECT m.direction FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.conversation_key = $1',
      [chat.conversationId],
    );
    expect(messages.rows.map((m) => m.direction)).toEqual(['out']);
  });

  it('413 without a Content-Length: the body is cut off long before its end', async () => {
    const chat = await newChat();
    const boundary = 'x-upload-boundary';
    const preamble = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    const total = 64 * 1024 * 1024;
    const r = await new Promise<{ status: number; written: number }>((resolve, reject) => {
      const req = request(new URL(`/v3/directline/conversations/${chat.conversationId}/upload`, app.url), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${chat.token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'transfer-encoding': 'chunked',
        },
      });
      let written = 0;
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, written }));
      });
      req.on('error', (e) => {
        if (!answered) reject(e);
      });
      const chunk = Buffer.concat([JPEG.subarray(0, 12), Buffer.alloc(64 * 1024 - 12, 0)]);
      const pump = () => {
        while (!answered && written < total) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      req.write(preamble);
      pump();
    });
    expect(r.status).toBe(413);
    expect(r.written).toBeLessThan(total);
    expect(await botSaid(chat)).toEqual([
      'Sorry, that file is too large for us to accept: uploads are limited to 20 KB in all. Please send a smaller file.',
    ]);
  });

  it('415: a text file named .jpg and a program are refused by their content, with the accepted types in the chat', async () => {
    const chat = await newChat();
    const rows = await attachmentRows();
    const text = Buffer.from('This is not a photo of my kettle.\n');
    const r = await upload(chat, form('txt-1', [{ bytes: text, name: 'kettle.jpg', type: 'image/jpeg' }]));
    expect(r.status).toBe(415);
    expect(((await r.json()) as any).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // A Windows program ("MZ"), declared as what it is.
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    const r2 = await upload(chat, form('exe-1', [{ bytes: exe, name: 'setup.exe', type: 'application/x-msdownload' }]));
    expect(r2.status).toBe(415);
    // A good photo with a bad file beside it: the whole upload is refused (nothing half-stored).
    const r3 = await upload(
      chat,
      form('mixed-1', [
        { bytes: JPEG, name: 'kettle.jpg', type: 'image/jpeg' },
        { bytes: text, name: 'notes.pdf', type: 'application/pdf' },
      ]),
    );
    expect(r3.status).toBe(415);
    expect(await attachmentRows()).toBe(rows);
    const refusal = "Sorry, we can't accept that kind of file. You can send JPEG, PNG, GIF, WebP or PDF files.";
    expect(await botSaid(chat)).toEqual([refusal, refusal, refusal]);
  });

  it('a refused upload retried with the same activity (its client id) is told once, a new one again', async () => {
    const chat = await newChat();
    const text = Buffer.from('This is not a photo of my kettle.\n');
    const big = Buffer.concat([JPEG, Buffer.alloc(30_000 - JPEG.length, 0)]);
    const statuses: number[] = [];
    // As a client retries a failed send: the same activity, with the same clientActivityID, three times.
    for (let i = 0; i < 3; i++)
      statuses.push((await upload(chat, form('again-1', [{ bytes: text, name: 'a.jpg', type: 'image/jpeg' }]))).status);
    // Too large (found while reading, after the activity part), retried.
    for (let i = 0; i < 2; i++)
      statuses.push(
        (await upload(chat, form('again-2', [{ bytes: big, name: 'big.jpg', type: 'image/jpeg' }]))).status,
      );
    // Another activity refused the same way is another notice.
    statuses.push((await upload(chat, form('again-3', [{ bytes: text, name: 'b.jpg', type: 'image/jpeg' }]))).status);
    expect(statuses).toEqual([415, 415, 415, 413, 413, 415]);
    const wrongType = "Sorry, we can't accept that kind of file. You can send JPEG, PNG, GIF, WebP or PDF files.";
    const tooLarge =
      'Sorry, that file is too large for us to accept: uploads are limited to 20 KB in all. Please send a smaller file.';
    expect(await botSaid(chat)).toEqual([wrongType, tooLarge, wrongType]);
  });

  it('a refusal before the first turn speaks the browser’s language', async () => {
    const chat = await newChat();
    const text = Buffer.from('plain text');
    const r = await upload(chat, form('zh-1', [{ bytes: text, name: 'a.png', type: 'image/png' }]), {
      'accept-language': 'zh-CN,zh;q=0.9',
    });
    expect(r.status).toBe(415);
    expect(await botSaid(chat)).toEqual([
      '抱歉，我们无法接收这种文件。可以上传的文件类型：JPEG、PNG、GIF、WebP 或 PDF。',
    ]);
  });

  it('another conversation’s token cannot upload to this one', async () => {
    const mine = await newChat();
    const theirs = await newChat();
    const r = await upload(
      { conversationId: theirs.conversationId, token: mine.token },
      form('x-1', [{ bytes: JPEG, name: 'kettle.jpg', type: 'image/jpeg' }]),
    );
    expect(r.status).toBe(403);
    expect(await botSaid(theirs)).toEqual([]);
  });
});
