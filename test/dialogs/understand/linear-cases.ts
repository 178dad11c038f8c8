/**
 * What must be linear in its input, shared by the linear-growth tests (linear-time.test.ts, which count the work) and
 * the bench that times the same growth (test/bench/understand-linear.bench.ts): every extractor, and every channel's
 * entry into the dialog up to 100 KB.
 */
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
import { DIALOG_SETTINGS } from '../dialog-settings.ts';

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
  ...DIALOG_SETTINGS,
};

/** One function that must be linear: its name, the call, and the short length (the long one is ten times that). */
export interface LinearCase {
  name: string;
  f: (text: string) => unknown;
  small: number;
}

const N = 2_000;
/** Every extractor, each from 2,000 to 20,000 characters. */
export const EXTRACTORS: LinearCase[] = [
  { name: 'boundText', f: (t) => boundText(t, 1_000_000), small: N },
  { name: 'extractEmails', f: (t) => contact.extractEmails(t), small: N },
  { name: 'extractPhones', f: (t) => contact.extractPhones(t, ['US', 'CN'], true), small: N },
  { name: 'extractOrderNumber', f: (t) => x.extractOrderNumber(t, true), small: N },
  { name: 'extractDate', f: (t) => x.extractDate(t, now), small: N },
  { name: 'extractAmount', f: (t) => x.extractAmount(t), small: N },
  { name: 'extractName', f: (t) => x.extractName(t, true), small: N },
  { name: 'extractResolution', f: (t) => x.extractResolution(t), small: N },
  { name: 'extractProduct', f: (t) => x.extractProduct(t), small: N },
  { name: 'describe (the restated story)', f: (t) => describeStory(t), small: N },
  { name: 'splitSentences', f: (t) => splitSentences(t), small: N },
  { name: 'tidyStory and storyCore', f: (t) => [storyCore(tidyStory(t), false), storyCore(t, true)], small: N },
  { name: 'toSecondPersonEn', f: (t) => toSecondPersonEn(t), small: N },
  { name: 'detectComplaint', f: (t) => detectComplaint(t), small: N },
  // The LLM path reads text already cut to 4,000 characters: measured over that range.
  {
    name: 'supportedOnly (an LLM answer checked against the text)',
    f: (t) => supportedOnly(LLM_ANSWER, t, { now }),
    small: 400,
  },
  { name: 'unspeak (spoken forms)', f: (t) => unspeak(t), small: N },
  { name: 'maskSensitive', f: (t) => maskSensitive(t), small: N },
  { name: 'detectLanguage', f: (t) => detectLanguage(t), small: N },
  { name: 'toSimplified and toTraditional (OpenCC on flat maps)', f: (t) => toTraditional(toSimplified(t)), small: N },
  { name: 'productPhraseZh (jieba)', f: (t) => productPhraseZh(toSimplified(t)), small: N },
  {
    name: 'intents',
    f: (t) => [
      intent.isYes(t),
      intent.isNo(t),
      intent.wantsHuman(t),
      intent.isAbusive(t),
      intent.hasContentBesidesAbuse(t),
      intent.isQuestion(t),
      intent.parseScore(t),
    ],
    small: N,
  },
  { name: 'router', f: (t) => router.route(t), small: N },
];

const collecting = runDialog(
  runDialog(undefined, { text: 'My parcel never arrived and I want a refund', receivedAt: now.toISOString() }, ctx)
    .state,
  { text: 'no', receivedAt: now.toISOString() },
  ctx,
).state;
const C = 10_000;
/** Every channel's entry into the dialog, each from 10,000 to 100,000 characters. */
export const CHANNEL_ENTRIES: LinearCase[] = [
  // Web chat, /api/messages and Slack DMs hand the engine the text as is; the dialog is where it is read.
  {
    name: 'a chat message (first turn)',
    f: (t) => runDialog(undefined, { text: t, receivedAt: now.toISOString() }, ctx),
    small: C,
  },
  {
    name: 'a chat message (a later turn)',
    f: (t) => runDialog(collecting, { text: t, receivedAt: now.toISOString() }, ctx),
    small: C,
  },
  {
    name: 'an email body (quotes stripped, read as a letter)',
    f: (t) => runDialog(undefined, { text: newText(t), receivedAt: now.toISOString(), style: 'letter' }, ctx),
    small: C,
  },
  {
    name: 'a call transcript, one long line',
    f: (t) =>
      extractFromCall(
        parseTranscript(Buffer.from(`Agent: how can I help?\nCustomer: ${t.replace(/\n/g, ' ')}`), 'text/plain').lines,
        { now, regions: ['US'] },
      ),
    small: C,
  },
  {
    name: 'a call transcript, many lines',
    f: (t) => {
      const lines = t.match(/.{1,80}/gs) ?? [];
      const text = lines.map((l, i) => `${i % 2 ? 'Agent' : 'Customer'}: ${l.replace(/\n/g, ' ')}x`).join('\n');
      return extractFromCall(parseTranscript(Buffer.from(text), 'text/plain').lines, { now, regions: ['US'] });
    },
    small: C,
  },
];
