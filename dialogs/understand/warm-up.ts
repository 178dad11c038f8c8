/**
 * Builds what a turn builds on first use (compiled patterns and functions, chrono's parsers, libphonenumber's metadata,
 * the router's model, OpenCC's tables for Chinese), so that this one-time cost is not charged to a customer's
 * understanding budget: a cold process spent about 100 ms of CPU on its first turn, the whole budget.
 */
import { runDialog, type DialogContext } from '../dialog.ts';

const SAMPLES = {
  latin: ['Hi, my name is Ana Ruiz. My kettle from order #90121 arrived broken yesterday; I paid $45.99 and want a refund. ana@example.com +1 415 555 0132', 'yes'],
  han: ['你好，我叫王芳。我的订单号是 20241103，上周买的洗衣机坏了，花了 120元，希望退款。電話 13800138000', '对'],
};
const warmed = new Set<keyof typeof SAMPLES>();

/** Holds a sample conversation in each script `text` uses (Latin always), without a budget; later calls return at once. */
export function warmUp(text: string, ctx: DialogContext): void {
  const scripts: Array<keyof typeof SAMPLES> = ['latin'];
  if (/\p{Script=Han}/u.test(text)) scripts.push('han');
  for (const script of scripts) {
    if (warmed.has(script)) continue;
    warmed.add(script);
    let state: unknown;
    for (const sample of SAMPLES[script]) state = runDialog(state, { text: sample, receivedAt: ctx.now.toISOString() }, { ...ctx, budget: undefined }).state;
  }
}
