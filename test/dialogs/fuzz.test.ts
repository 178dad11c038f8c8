import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../channels/phone/parse.ts';
import { runDialog } from '../../dialogs/dialog.ts';
import { extractFromCall } from '../../dialogs/evidence.ts';
import { maskSensitive } from '../../dialogs/mask.ts';
import { createRouter } from '../../dialogs/router.ts';
import { loadRoutingConfig } from '../../src/router/routing-file.ts';
import { isRedressError } from '../../src/core/errors.ts';
import { DIALOG_SETTINGS } from './dialog-settings.ts';

const router = createRouter(loadRoutingConfig('dialogs/routing.yaml'));
const ctx = {
  now: new Date('2026-11-24T10:00:00Z'),
  router,
  ...DIALOG_SETTINGS,
};
// Hostile text: any unicode, control characters, markup, numbers, long runs, mixed scripts.
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '\u0000\u0001\u202e',
    '{"a":',
    '@@@@',
    '我'.repeat(5000),
    'cancel',
    'yes',
    '0'.repeat(40),
    'a@b@c.d',
    '+++++++',
  ),
);

describe('hostile input never crashes the dialog, the parsers or the masking', () => {
  it('the dialog answers every conversation of random messages', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 6 }), (messages) => {
        let state: unknown;
        for (const text of messages) {
          const out = runDialog(state, { text, receivedAt: ctx.now.toISOString() }, ctx);
          expect(out.replies.length).toBeGreaterThan(0);
          for (const r of out.replies) expect(typeof r).toBe('string');
          state = JSON.parse(JSON.stringify(out.state));
        }
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('a transcript of random bytes is parsed or refused with a coded error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
          hostile.map((s) => Buffer.from(s)),
        ),
        fc.constantFrom('text/plain', 'application/json', 'text/vtt', 'application/x-subrip', ''),
        (bytes, type) => {
          try {
            const t = parseTranscript(bytes, type);
            extractFromCall(t.lines, { now: ctx.now, regions: ['US'] });
          } catch (e) {
            expect(isRedressError(e), String(e)).toBe(true);
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('masking keeps the text apart from the masked numbers', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const { text: out } = maskSensitive(text);
        expect(typeof out).toBe('string');
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});
