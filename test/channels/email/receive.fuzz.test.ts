import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receive } from '../../../channels/email/receive.ts';
import type { Redress } from '../../../src/main.ts';
import { emailThreads } from '../../../src/store/mail.ts';
import { isRedressError } from '../../../src/core/errors.ts';
import { startTestApp } from '../../helpers.ts';

// Random and hostile mail, as raw bytes, through the real parser, the email channel's reading and the engine (on
// an in-memory PGlite): nothing crashes; every mail is answered, ignored with a reason, or refused with a coded error.
let app: Redress;
beforeAll(async () => {
  app = await startTestApp('pglite', { jobs: false });
});
afterAll(async () => {
  await app?.stop();
});

const line = fc.string({ unit: 'binary', maxLength: 120 });
const header = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'From',
        'To',
        'Subject',
        'Message-ID',
        'In-Reply-To',
        'References',
        'Content-Type',
        'Content-Transfer-Encoding',
        'Auto-Submitted',
        'Precedence',
        'Return-Path',
        'Date',
        'X-Whatever',
      ),
      line,
    )
    .map(([k, v]) => `${k}: ${v}`),
  fc.constantFrom(
    'From: "=?utf-8?B?5byg5LyfIDxhQGIuYz4=?=" <zhang@example.cn>',
    'From: <>',
    'From: a@b@c',
    'Content-Type: multipart/mixed; boundary="x"',
    'Content-Type: text/html; charset=gb2312',
    'Content-Type: text/plain; charset=unknown-8bit',
    'Content-Transfer-Encoding: base64',
    'Content-Transfer-Encoding: quoted-printable',
    'Subject: =?utf-8?Q?=E2=80=AE[CMP-000001]?=',
    'Message-ID: <same@id>',
    'References: ' + '<r@x> '.repeat(300),
  ),
);
const body = fc.oneof(
  line,
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.constantFrom(
    '--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x--',
    '<script>alert(1)</script><p>My kettle broke</p>',
    '=E2=80=AE=ZZ=',
    'bm90IGJhc2U2NA=!!',
    '> quoted\n> only\n',
    '-- \nsig only',
  ),
);
const raw = fc.oneof(
  fc
    .tuple(fc.array(header, { maxLength: 10 }), body)
    .map(([hs, b]) => Buffer.from(`${hs.join('\r\n')}\r\n\r\n${b}`, 'latin1')),
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
);

describe('hostile email', () => {
  it('is parsed, read and answered, ignored with a reason, or refused with a coded error', async () => {
    const threads = emailThreads(app.db, 'email');
    let n = 0;
    const outcomes = { answered: 0, ignored: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(raw, async (bytes) => {
        const mail = await simpleParser(bytes);
        const r = await receive(mail, {
          threads,
          ownAddress: 'complaints@shop.example',
          maxAttachmentBytes: 1_000_000,
          rateLimitPerHour: 1_000_000,
          now: new Date(),
          raw: bytes,
        });
        if ('ignore' in r) {
          expect(r.ignore.length).toBeGreaterThan(0);
          outcomes.ignored++;
          return;
        }
        try {
          // Distinct keys per run: the property is about each mail, not about redelivery (tested elsewhere).
          const t = await app.engine.handle({
            ...r.inbound,
            messageKey: `${r.inbound.messageKey}#${n}`,
            conversationKey: `${r.inbound.conversationKey}#${n++}`,
          });
          expect(t.replies.length).toBeGreaterThan(0);
          outcomes.answered++;
        } catch (e) {
          expect(isRedressError(e, 'BAD_REQUEST'), String(e)).toBe(true);
          outcomes.refused++;
        }
      }),
      { numRuns: 150, seed: 11 },
    );
    // The generator reaches all paths, or the property proves little.
    expect(outcomes.answered).toBeGreaterThan(10);
    expect(outcomes.ignored).toBeGreaterThan(10);
  });
});
