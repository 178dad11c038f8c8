/**
 * The details a problem frame names (problem-frames.ts): the damage ("a cracked screen"), what was cancelled, and for
 * money that has not come through (a transfer, a top-up, a salary) its cues and what to call the money.
 */

// As problem-frames.ts reads: a complaint says what went wrong early.
const READ_CHARS = 1200;

// Money sent, paid in or topped up that has not reached the account it was for ("I sent money to my landlord by bank
// transfer and it still has not arrived"): a missing payment, not a parcel. A money word, then within a clause a
// denial of what money does (credited, come through, showing); or a transfer, then its non-arrival.
export const MONEY_EN =
  /\b(?:(?:transfer|payment|deposit|top[- ]?up|money|funds|cheque|salary|wages|cash)s?\b[^.!?]{0,40}?\b(?:(?:has|have|had)n't|(?:has|have|had) not|not yet|never|still not|isn't|is not|wasn't|was not|aren't|are not|didn't|did not)\s(?:yet\s|been\s)?(?:credited|come through|gone through|go through|cleared|reflected|landed|show(?:ing|n)?)|(?:transferred|transfer|sent (?:money|cash|funds|£|\$|€|\d)|wired)\b[^.!?]{0,80}?\b(?:(?:has|have|had)n't|(?:has|have|had) not|not yet|never|still not|didn't|did not)\s(?:yet\s|been\s)?(?:arrived|received|come|got it|get it))\b/i;
/** Words of a delivery: with them, "has not arrived" next to a refund is a parcel too. */
export const DELIVERY_WORD = /\b(?:order|parcel|package|delivery|courier|shipment)\b|订单|包裹|快递|物流|发货/i;
/** 没到账, 未入账: money that has not reached the account. */
export const MONEY_ZH = /(?:没|没有|还没|还没有|未|不)(?:到账|入账)/;

const MONEY_THING_EN: Array<[RegExp, string]> = [
  [/\btop(?:ped)?[- ]?up/i, 'your top-up'],
  [/\b(?:transferred|transfer|sent|wired)\b/i, 'the money you sent'],
  [/\bcheque/i, 'your cheque'],
  [/\bdeposit/i, 'your deposit'],
  [/\b(?:salary|wages)\b/i, 'your pay'],
  [/\bpayment/i, 'your payment'],
];
const MONEY_THING_ZH: Array<[RegExp, string]> = [
  [/充值|充了/, '您充值的钱'],
  [/转账|转了|转给|汇款|汇了/, '您转出的钱'],
  [/工资/, '您的工资'],
  [/付款|付了|支付/, '您的付款'],
];

/** What money a story with a missing payment is about ("the money you sent", "your top-up"); undefined: say "the money". */
export function moneyThing(story: string): string | undefined {
  const text = story.length > READ_CHARS ? story.slice(0, READ_CHARS) : story;
  const table = /\p{Script=Han}/u.test(text) ? MONEY_THING_ZH : MONEY_THING_EN;
  return table.find(([cue]) => cue.test(text))?.[1];
}

// "arrived with a cracked screen": the damage itself, said back as a short quoted detail.
const DAMAGE_DETAIL =
  /\b(?:a |an |the )?(?:cracked|broken|smashed|shattered|dented|scratched|torn|bent|leaking|ripped|chipped) (?!and\b|or\b|on\b|in\b|into\b|to\b|up\b|by\b|at\b|from\b|with\b|after\b|when\b|yesterday\b|today\b)[a-z]{3,20}\b/i;

/** The damage a story names ("a cracked screen"), lower case, for the damaged kind; undefined when none. */
export function damageDetail(story: string): string | undefined {
  const m = DAMAGE_DETAIL.exec(story.length > READ_CHARS ? story.slice(0, READ_CHARS) : story);
  if (!m) return undefined;
  const d = m[0].toLowerCase();
  return /^(?:a|an|the) /.test(d) ? d.replace(/^the /, 'a ') : `a ${d}`;
}

// What was cancelled, for the cancelled kind: "the technician cancelled the appointment" → "appointment".
const CANCELLED_THING =
  /\bcancell?ed (?:my |our |the )?(flight|train|booking|order|appointment|reservation|trip|event|class|show|visit|delivery|subscription)\b|\b(flight|train|booking|order|appointment|reservation|trip|event|class|show|visit|delivery|subscription) (?:was |were |has been |had been |got )?cancell?ed\b/i;

/** The thing a story says was cancelled, lower case, or undefined. */
export function cancelledThing(story: string): string | undefined {
  const m = CANCELLED_THING.exec(story.length > READ_CHARS ? story.slice(0, READ_CHARS) : story);
  return (m?.[1] ?? m?.[2])?.toLowerCase();
}
