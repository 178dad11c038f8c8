/** English: every sentence Redress says to a customer. */
import type { LanguagePack } from './pack.ts';
import { zonedTime } from './zoned-time.ts';
import { toSecondPersonEn } from './second-person-en.ts';
import { agree, wishEn } from './en-grammar.ts';

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The English pack. */
export const en: LanguagePack = {
  greeting:
    "Hello, I'm here to take your complaint and make sure it reaches the right team. Please tell me what went wrong, in your own words.",
  apology: {
    ordinary: [
      "I'm sorry this happened — that's not the experience you should have had.",
      "I'm really sorry about this, and thank you for taking the time to tell us.",
      "I'm sorry for the trouble this has caused you.",
    ],
    serious: [
      "I'm very sorry — this is a serious problem and I understand why you're upset.",
      "I'm truly sorry. This clearly should not have happened, and I want to get it put right.",
      "I'm so sorry about this; it's frustrating, and you deserve better from us.",
    ],
    urgent: [
      "I'm deeply sorry — what you describe is serious and I'm treating it as urgent.",
      "I'm so sorry. This is serious, and I'm making it our top priority.",
    ],
  },
  urgentSafety: 'If anyone is in danger or hurt right now, please contact the emergency services first.',
  restate: (p) => {
    const extras = [
      p.subject && `this is about ${p.subject}`,
      p.when && `it happened ${p.when}`,
      p.amount && `the amount involved is ${p.amount}`,
      p.want && `you would like ${p.want}`,
    ].filter(Boolean);
    // A retold question keeps its "?", a story cut short its "…": no full stop after either.
    return `${cap(p.what)}${/[.?!…]$/.test(p.what) ? '' : '.'}${extras.length ? ` ${cap(en.list(extras as string[]))}.` : ''}`;
  },
  problems: {
    unsafe: (s, d) => `${s ?? 'what we supplied'} put your safety at risk${d ? `, with ${d}` : ''}`,
    cannot_cancel: (s) => `you have not been able to cancel ${s ?? 'with us'}`,
    account_access: (s) => `you cannot get into ${s ?? 'your account'}`,
    out_of_stock: (s) => `we have not been able to offer you ${s ?? 'the item you wanted'}`,
    damaged: (s, d) => `${s ?? 'what you received'} arrived damaged${d ? `, with ${d}` : ''}`,
    not_arrived: (s) => `${s ?? 'your order'} ${agree(s, 'has', 'have')} not reached you`,
    delayed: (s) => (s ? `${s} ${agree(s, 'was', 'were')} held up` : 'you were kept waiting'),
    wrong_item: (s) => `we sent you the wrong item${s ? ` for ${s}` : ''}`,
    missing_item: (s) => `something was missing from ${s ?? 'your order'}`,
    not_working: (s) => `${s ?? 'something'} ${agree(s, 'is', 'are')} not working properly`,
    slow: (s) => `${s ?? 'it'} ${agree(s, 'is', 'are')} far slower than ${agree(s, 'it', 'they')} should be`,
    outage: (s) => (s ? `${s} ${agree(s, 'has', 'have')} been down` : 'you have been left without service'),
    missed_appointment: () => 'we did not turn up for the visit we arranged',
    poor_quality: (s) => `${s ?? 'what you got from us'} fell short of what you expected`,
    not_genuine: (s) => `you doubt that ${s ?? 'what you received'} ${agree(s, 'is', 'are')} genuine`,
    not_as_described: (s) =>
      `${s ?? 'what you received'} ${agree(s, 'was', 'were')} not as we described ${agree(s, 'it', 'them')}`,
    size_fit: (s) => `${s ?? 'what you ordered'} did not fit as expected`,
    poor_condition: (s) => `${s ?? 'what we provided'} ${agree(s, 'was', 'were')} not in an acceptable state`,
    double_charged: (s) => `we charged you twice${s ? ` for ${s}` : ''}`,
    charged_wrong: (s) => `we charged you incorrectly${s ? ` for ${s}` : ''}`,
    refund_pending: () => 'your refund has not come through',
    money_missing: (_s, d) => `${d ?? 'the money'} has not come through`,
    price: (s) => `you are unhappy with what ${s ?? 'it'} ${agree(s, 'costs', 'cost')}`,
    cancelled: (s, d) => `${s ?? `your ${d ?? 'booking'}`} ${agree(s, 'was', 'were')} cancelled`,
    staff_rude: () => 'our staff did not treat you as they should',
    no_response: () => 'you have not been able to get a proper answer from us',
  },
  and: ' and ',
  checkUnderstood: (r) => `Let me check I've understood: ${lowerFirstWord(r)}`,
  confirmQuestion: 'Have I got that right? If not, just tell me what to change.',
  askWhatWrong: 'Please tell me what went wrong — what happened, and when?',
  askCorrection: 'Sorry I got that wrong. What should I change?',
  thanksConfirmed: 'Thank you for confirming.',
  ask: {
    description: 'Could you tell me what happened?',
    product: 'Which product or service is this about?',
    occurredOn: 'When did this happen? A date is fine, or something like "last Tuesday".',
    orderNumber: 'Do you have an order, booking or account number? If not, just say "none".',
    resolution:
      'What would you like us to do to put this right — for example a refund, a replacement, a repair or an apology?',
    name: 'May I have your name, please?',
    contact: 'What is the best email address or phone number to reach you on?',
  },
  askContactForHandoff:
    "Of course — I'll pass this to a member of our team. What email address or phone number should they contact you on?",
  invalidEmail: (v) =>
    `"${v}" doesn't look like a complete email address — could you check it? It should look like name@example.com.`,
  invalidPhone: (v) =>
    `I couldn't read "${v}" as a phone number — could you send it again, with the country code if you're outside the US (for example +44 20 7946 0000)?`,
  invalidDate:
    'I couldn\'t work out the date from that — could you give it as a date, such as "3 March" or "last Friday"?',
  unknownAnswer: (f) => `Sorry, I didn't catch that. ${en.ask[f]}`,
  updated: (fields) => `Thanks — I've updated the ${en.list(fields)}.`,
  noted: (fields, name) => `Thanks${name ? `, ${name}` : ''} — I've noted your ${en.list(fields)}.`,
  fieldNames: {
    description: 'description',
    product: 'product',
    occurredOn: 'date',
    orderNumber: 'order number',
    resolution: 'preferred outcome',
    name: 'name',
    contact: 'contact details',
    email: 'email address',
    phone: 'phone number',
    amount: 'amount',
  },
  ticketOpened: (p) =>
    `Thank you. I've recorded your complaint as ${p.reference} and passed it to our ${p.department}. What I've recorded: ${p.summary} You'll hear from us by ${p.due}. If anything changes, just write here and I'll add it to your complaint.`,
  handoffOpened: (p) =>
    `I've asked a member of our team to take over. Your reference is ${p.reference}, and someone will contact you by ${p.due}.`,
  handoffNoted: (r) => `I've flagged ${r} for a member of our team to contact you personally.`,
  cancelled: "All right, I've stopped here and nothing has been filed. If you change your mind, just write again.",
  restarted: "No problem, let's start again. Please tell me what went wrong.",
  withdrawConfirm: (r) => `Do you want to withdraw complaint ${r}? Please answer yes or no.`,
  withdrawn: (r) => `Complaint ${r} is withdrawn. Thank you for letting us know, and sorry again for the trouble.`,
  keepTicket: (r) => `Okay, complaint ${r} stays open.`,
  offTopic: "I'm the complaints assistant, so I can't help with that here, I'm afraid.",
  botAnswer:
    "I'm an automated assistant: I take down your complaint and pass it straight to the team that handles it; if you'd rather speak to a person, just say so.",
  sorryIfMissed: "Sorry if I missed it — I couldn't find it in what you wrote.",
  processAnswer:
    "Once I have a few details, I'll pass your complaint to the team that can fix it. They can offer a refund, a replacement, a repair or an apology, whichever is right, and I'll tell you when to expect them.",
  abuse:
    'I can hear how frustrated you are, and I want to help. Please keep the conversation respectful so I can sort this out.',
  abuseHandoff: "I'm going to ask a member of our team to pick this up with you personally.",
  empty: "I didn't receive any text — could you type your message?",
  attachmentOnly:
    "Thanks for the file; I've kept it with your complaint. Could you also describe what happened in a few words?",
  tooLong: (max) =>
    `That message was very long, so I've read the first ${max} characters. If something important came later, please send it separately.`,
  ticketUpdate: (p) =>
    `Thank you — I've added that to complaint ${p.reference}. Our team will be in touch by ${p.due}.`,
  ticketStands: (p) =>
    `Thank you. Your complaint ${p.reference} is with our team, who will be in touch by ${p.due}. If there is anything to add, just write it here.`,
  ticketNext: (p) =>
    `Your complaint ${p.reference} is with the team that can put it right. They will look into it and contact you by ${p.due}, and can offer a refund, a replacement, a repair or an apology, whichever is right.`,
  welcomeBack: (r) => `Welcome back. Your complaint ${r} is still with us.`,
  newComplaintHint: 'If this is about something new, say "new complaint".',
  acknowledgement: (p) =>
    `This is to confirm we have received complaint ${p.reference}. It is with our ${p.department}, who will contact you by ${p.due}.`,
  satisfactionCheck: (r, qs) =>
    `We recently resolved your complaint ${r}, and we'd like to know how we did. You can answer in one message, in any order:\n${qs}`,
  secondFollowup: (r, qs) =>
    `We're checking in again about complaint ${r}, to see whether it is now put right. You can answer in one message, in any order:\n${qs}`,
  satisfactionThanks: (r) => `Thank you — I'm glad ${r} was put right. We appreciate your feedback.`,
  satisfactionNeutral: (r) => `Thank you for the feedback on ${r}; I've passed it on so we can do better.`,
  satisfactionSorry: (r) =>
    `I'm sorry we didn't get this right. I've reopened ${r} and asked the team to look at it again; we'll check back with you.`,
  scoreUnclear: (q) => `Sorry, I didn't catch that. ${q}`,
  surveyAskScore: (q) => `Thank you, I've noted that. One more thing: ${q}`,
  surveyNoted: (r) => `Thank you — I've noted your answers on ${r}.`,
  resolutions: {
    refund: 'a refund',
    replacement: 'a replacement',
    repair: 'a repair',
    apology: 'an apology',
    compensation: 'compensation',
    cancellation: 'to cancel',
    delivery: 'your order delivered',
    explanation: 'an explanation',
  },
  detailNames: {
    description: 'what happened',
    product: 'the product or service concerned',
    occurredOn: 'when it happened',
    orderNumber: 'your order, booking or account number (or "none")',
    resolution: 'what you would like us to do to put it right',
    name: 'your name',
    contact: 'a phone number or email address we can reach you on',
  },
  letterUnderstood: (r) => `Here is what I understood: ${r}`,
  letterOpened: (p) =>
    `I have recorded your complaint as ${p.reference} and passed it to our ${p.department}, who will contact you by ${p.due}.`,
  letterMissing: (items) =>
    `To help us resolve this quickly, please reply with:\n${items.map((i) => `- ${i}`).join('\n')}`,
  letterCorrections: 'If anything above is wrong, simply reply with the correction.',
  letterUpdated: (p) =>
    `Thank you — I have added this to complaint ${p.reference}. Our team will contact you by ${p.due}.`,
  letterComplete: 'We now have everything we need.',
  attachmentRefused: (name, mb) =>
    `Your attachment "${name}" (${mb} MB) was too large for us to keep. Please send a smaller file (under 10 MB) or a link to it.`,
  callUnderstood: (r) => `Thank you for your call. Here is what we understood: ${r}`,
  callNoComplaint: 'We could not find a complaint in this call, so no ticket was opened.',
  formatDate: (iso, now) => {
    const [y, m, d] = iso.split('-').map(Number);
    return `on ${d} ${months[m - 1]}${y !== now.getUTCFullYear() ? ` ${y}` : ''}`;
  },
  formatApproxDate: (iso, now) => en.formatDate(iso, now).replace(/^on /, 'around '),
  formatDue: (iso, timeZone) => {
    const z = zonedTime(iso, timeZone);
    return `${pad(z.hour)}:${pad(z.minute)} ${z.zone} on ${days[z.weekday]} ${z.day} ${months[z.month - 1]}`;
  },
  list: (items) =>
    items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`,
  toSecondPerson: toSecondPersonEn,
  wish: (text) => wishEn(toSecondPersonEn(text)),
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
// Only a common word loses its capital after the colon: "BBVA closed…" and "Ana's order…" keep theirs.
const LOWERABLE =
  /^(?:what|something|you|your|you're|you've|we|our|the|a|an|this|that|these|it|it's|there|they|their|when|after|since|on|in|at|last|yesterday|today|some|my|i've|i'm)\b/i;
function lowerFirstWord(s: string): string {
  return LOWERABLE.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}
function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
