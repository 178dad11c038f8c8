/**
 * Builds what a turn builds on first use (compiled patterns and functions, chrono's English and Chinese parsers,
 * libphonenumber's metadata, the router's model, OpenCC's tables), so that this one-time cost is not charged to a
 * customer's understanding budget: a cold process spent 100-500 ms on its first turns, more than the whole budget.
 */
import { runDialog, type DialogContext } from '../dialog.ts';
import { toSimplified, toTraditional } from '../language/detect.ts';
import { productPhrase } from './english-nlp.ts';

// One conversation per script, and text with non-ASCII punctuation: OpenCC builds its tables on the first text that
// is not plain ASCII (about 80 ms), whatever its language.
const SAMPLES = [
  [
    'Hi, my name is Ana Ruiz. My kettle from order #90121 arrived broken yesterday; I paid $45.99 and want a refund. ana@example.com +1 415 555 0132',
    'yes',
  ],
  [
    'Last Monday my card •••• 1111 was charged twice — “customer service” hung up on me! I expect compensation. Call me at (212) 555-0199.',
    'no, it was on 3 March',
    'yes',
  ],
  ['你好，我叫王芳。我的订单号是 20241103，上周买的洗衣机坏了，花了 120元，希望退款。電話 13800138000', '对'],
  ['我上個月在你們網站買的筆電螢幕壞了，客服一直不回覆，要求換貨。', '是的'],
];
let warmed = false;

/** Holds one sample conversation in each script, without a budget; later calls return at once. */
export function warmUp(ctx: DialogContext): void {
  if (warmed) return;
  warmed = true;
  toTraditional(toSimplified('繁體中文與简体中文'));
  // The English tagger's model (about 200 ms to load) is read only when no listed product is named.
  productPhrase('The espresso machine I bought stopped working.');
  // With a ticket to open, as the engine's second run of a turn has: the samples go all the way to the ticket.
  const newTicket = { reference: 'CMP-000000', earlierTickets: 0, windowDays: 1 };
  for (const conversation of SAMPLES) {
    let state: unknown;
    for (const text of conversation)
      state = runDialog(
        state,
        { text, receivedAt: ctx.now.toISOString() },
        { ...ctx, budget: undefined, newTicket },
      ).state;
  }
}
