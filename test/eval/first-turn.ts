/**
 * First-turn restatements on every complaint in the shared data (not a sample of 54): the English tweets labelled
 * complaints and the Chinese reviews, each sent as a chat's first message straight to the dialog (no server). Prints,
 * per language, how many were restated, the median share of the restatement copied in runs (the measure of
 * dialog-quality.ts), how many copy more than half, and how many have a pronoun error; SHOW=n lists n of the worst.
 * Most of these stories fit no kind of problem, so this measures the retelling the 54-case report rarely reaches.
 *
 *   npm run eval:first-turn            SHOW=10 npm run eval:first-turn
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { runDialog, type DialogContext } from '../../dialogs/dialog.ts';
import type { Language } from '../../dialogs/types.ts';
import { createRouter } from '../../dialogs/router.ts';
import { loadRoutingConfig } from '../../src/router/routing-file.ts';
import { copiedShare, median, pronounErrors } from './metrics.ts';
import { DIALOG_SETTINGS } from '../dialogs/dialog-settings.ts';

const DATA = process.env.REDRESS_DATA_DIR ?? 'test/fixtures/shared-data';
const now = new Date('2026-12-03T10:00:00Z');
const ctx: DialogContext = {
  now,
  router: createRouter(loadRoutingConfig('dialogs/routing.yaml')),
  ...DIALOG_SETTINGS,
};
const rows = (file: string) =>
  parse(readFileSync(`${DATA}/${file}`), { columns: true }) as Array<Record<string, string>>;
const sets: Array<[Language, string[]]> = [
  [
    'en',
    rows('en-twitter-complaints.csv')
      .filter((r) => r.complaint === '1')
      .map((r) => r.text),
  ],
  ['zh-Hans', rows('zh-shopping-complaints.csv').map((r) => r.review)],
];
// The restatement between the pack's lead-in and its question ("Let me check I've understood: … Have I got that right?").
const BODY = /(?:understood:|我确认一下：)([^]*?)(?:Have I got that right|我理解得对吗)/;
const show = Number(process.env.SHOW ?? 0);

for (const [language, texts] of sets) {
  const shares: number[] = [];
  let withPronounErrors = 0;
  let shown = 0;
  for (const raw of texts) {
    // A tweet's leading @handles address the brand; nobody types them into a chat box (as the 54-case report does).
    const text = raw.replace(/@\w+/g, '').trim();
    const replies = runDialog(undefined, { text, receivedAt: now.toISOString() }, ctx).replies.join('\n');
    const body = BODY.exec(replies)?.[1];
    if (!body) continue;
    const copied = copiedShare(body, [text], language);
    const pronouns = pronounErrors(body, [text], language);
    shares.push(copied.share);
    if (pronouns.length) withPronounErrors++;
    if (shown < show && (copied.share > 0.5 || pronouns.length)) {
      shown++;
      console.log(
        `${language} copied ${copied.share.toFixed(2)} ${pronouns.join('; ')}\n  customer: ${text.slice(0, 200)}\n  bot:      ${body.trim().slice(0, 200)}`,
      );
    }
  }
  console.log(
    `${language}: ${texts.length} complaints, ${shares.length} restated, median copied share ${median(shares).toFixed(2)}, copied over half ${shares.filter((s) => s > 0.5).length}, with a pronoun error ${withPronounErrors}`,
  );
}
