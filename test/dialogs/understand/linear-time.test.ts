/**
 * Every extractor and every channel's entry into the dialog is linear in its input: at ten times the length the time
 * stays under twenty times, a ceiling only super-linear growth breaks (quadratic is 100×). Measured as CPU time, and
 * as one call on the long text against ten calls on the short one, so both sides do the same amount of work when the
 * code is linear and share whatever disturbs the machine. Absolute times are the bench's business
 * (test/bench/hostile.bench.ts), not these tests'.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newText } from '../../../channels/email/quotes.ts';
import { parseTranscript } from '../../../channels/phone/parse.ts';
import { runDialog } from '../../../dialogs/dialog.ts';
import { extractFromCall } from '../../../dialogs/evidence.ts';
import * as x from '../../../dialogs/extract.ts';
import * as contact from '../../../dialogs/extract-contact.ts';
import * as intent from '../../../dialogs/intents.ts';
import { detectLanguage, toSimplified, toTraditional } from '../../../dialogs/language/detect.ts';
import { productPhraseZh } from '../../../dialogs/understand/chinese-nlp.ts';
import { maskSensitive } from '../../../dialogs/mask.ts';
import { describe as describeStory } from '../../../dialogs/restate.ts';
import { createRouter } from '../../../dialogs/router.ts';
import { loadRoutingConfig } from '../../../src/router/routing-file.ts';
import { unspeak } from '../../../dialogs/spoken.ts';
import { boundText } from '../../../dialogs/understand/bounded-text.ts';
import { toSecondPersonEn } from '../../../dialogs/language/second-person-en.ts';
import { detectComplaint } from '../../../dialogs/understand/complaint-detector.ts';
import { supportedOnly, type LlmAnswer } from '../../../dialogs/understand/llm-understanding.ts';
import { splitSentences } from '../../../dialogs/understand/sentences.ts';
import { storyCore, tidyStory } from '../../../dialogs/understand/story-text.ts';
import { build, cpuTime, recipes, type Recipe } from './adversarial.ts';

// An answer claiming every field, so supportedOnly looks for each in the text.
const LLM_ANSWER = {
  isComplaint: true,
  restatement: 'We sent you a broken kettle, and you would like a refund.',
  product: 'kettle',
  whatWentWrong: 'arrived broken',
  occurredOn: '2026-11-20',
  orderNumber: 'A1A1',
  resolution: 'refund',
  name: 'Ann Lee',
  email: 'a@a.aa',
  phone: '+1 415 555 0132',
} as LlmAnswer;

const router = createRouter(loadRoutingConfig('dialogs/routing.yaml'));
const now = new Date('2026-11-24T10:00:00Z');
const ctx = {
  now,
  router,
  defaultLanguage: 'en' as const,
  phoneRegion: 'US' as const,
  maxChars: 4000,
  ackDelayMinutes: 60,
  slaReminderFraction: 0.8,
  secondFollowupDays: 3,
};
// Below this a timing is noise (a timer tick, a minor GC), not growth.
const FLOOR_MS = 5;

/** Asserts that `f` grows at most linearly from `small` to 10 × `small` characters on every generated text. */
function linear(name: string, f: (text: string) => unknown, small: number, numRuns = 6) {
  it(`${name}: 10× the text takes under 20× the time`, () => {
    // Warm up the parsers and converters once, so the first timing does not carry their start-up.
    f(build({ prefix: 'order', unit: '我 1. ', suffix: '' }, 200));
    fc.assert(
      fc.property(recipes, (r: Recipe) => {
        const shortTen = cpuTime(f, new Array<string>(10).fill(build(r, small)));
        const long = cpuTime(f, [build(r, small * 10)]);
        expect(
          long,
          `${JSON.stringify(r)}: ${(shortTen / 10).toFixed(2)} ms at ${small}, ${long.toFixed(2)} ms at ${small * 10}`,
        ).toBeLessThan(2 * shortTen + FLOOR_MS);
      }),
      { numRuns, seed: 13, endOnFailure: true },
    );
  });
}

describe('every extractor is linear in its input', () => {
  const N = 2_000;
  linear('boundText', (t) => boundText(t, 1_000_000), N);
  linear('extractEmails', (t) => contact.extractEmails(t), N);
  linear('extractPhones', (t) => contact.extractPhones(t, ['US', 'CN'], true), N);
  linear('extractOrderNumber', (t) => x.extractOrderNumber(t, true), N);
  linear('extractDate', (t) => x.extractDate(t, now), N);
  linear('extractAmount', (t) => x.extractAmount(t), N);
  linear('extractName', (t) => x.extractName(t, true), N);
  linear('extractResolution', (t) => x.extractResolution(t), N);
  linear('extractProduct', (t) => x.extractProduct(t), N);
  linear('describe (the restated story)', (t) => describeStory(t), N);
  linear('splitSentences', (t) => splitSentences(t), N);
  linear('tidyStory and storyCore', (t) => [storyCore(tidyStory(t), false), storyCore(t, true)], N);
  linear('toSecondPersonEn', (t) => toSecondPersonEn(t), N);
  linear('detectComplaint', (t) => detectComplaint(t), N);
  // The LLM path reads text already cut to 4,000 characters: measured over that range.
  linear('supportedOnly (an LLM answer checked against the text)', (t) => supportedOnly(LLM_ANSWER, t, { now }), 400);
  linear('unspeak (spoken forms)', (t) => unspeak(t), N);
  linear('maskSensitive', (t) => maskSensitive(t), N);
  linear('detectLanguage', (t) => detectLanguage(t), N);
  linear('toSimplified and toTraditional (OpenCC on flat maps)', (t) => toTraditional(toSimplified(t)), N);
  linear('productPhraseZh (jieba)', (t) => productPhraseZh(toSimplified(t)), N);
  linear(
    'intents',
    (t) => [
      intent.isYes(t),
      intent.isNo(t),
      intent.wantsHuman(t),
      intent.isAbusive(t),
      intent.hasContentBesidesAbuse(t),
      intent.isQuestion(t),
      intent.parseScore(t),
    ],
    N,
  );
  linear('router', (t) => router.route(t), N);
});

describe('every channel entry into the dialog is linear, up to 100 KB', () => {
  const N = 10_000;
  // Web chat, /api/messages and Slack DMs hand the engine the text as is; the dialog is where it is read.
  linear(
    'a chat message (first turn)',
    (t) => runDialog(undefined, { text: t, receivedAt: now.toISOString() }, ctx),
    N,
  );
  const collecting = runDialog(
    runDialog(undefined, { text: 'My parcel never arrived and I want a refund', receivedAt: now.toISOString() }, ctx)
      .state,
    { text: 'no', receivedAt: now.toISOString() },
    ctx,
  ).state;
  linear(
    'a chat message (a later turn)',
    (t) => runDialog(collecting, { text: t, receivedAt: now.toISOString() }, ctx),
    N,
  );
  linear(
    'an email body (quotes stripped, read as a letter)',
    (t) => runDialog(undefined, { text: newText(t), receivedAt: now.toISOString(), style: 'letter' }, ctx),
    N,
  );
  linear(
    'a call transcript, one long line',
    (t) =>
      extractFromCall(
        parseTranscript(Buffer.from(`Agent: how can I help?\nCustomer: ${t.replace(/\n/g, ' ')}`), 'text/plain').lines,
        { now, regions: ['US'] },
      ),
    N,
  );
  linear(
    'a call transcript, many lines',
    (t) => {
      const lines = t.match(/.{1,80}/gs) ?? [];
      const text = lines.map((l, i) => `${i % 2 ? 'Agent' : 'Customer'}: ${l.replace(/\n/g, ' ')}x`).join('\n');
      return extractFromCall(parseTranscript(Buffer.from(text), 'text/plain').lines, { now, regions: ['US'] });
    },
    N,
  );
});
