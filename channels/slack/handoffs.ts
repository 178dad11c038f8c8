/**
 * Hand-offs staff must see on the console: a request for a person or a manager, an abuse hand-off, a needed call-back,
 * a legal or regulator threat. Each gets a badge on the card and a thread line that mentions whoever must act.
 */
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { threatReasons } from '../../dialogs/moves/threats.ts';
import { escapeSlack, mention } from './blocks.ts';

/** The kinds of hand-off, in the order the card shows them. */
export const HANDOFF_KINDS = ['legal', 'abuse', 'person', 'callback'] as const;
/** One kind of hand-off. */
export type HandoffKind = (typeof HANDOFF_KINDS)[number];

/** Each kind's badge (mrkdwn of our own, no customer text). */
export const HANDOFF_BADGES: Record<HandoffKind, string> = {
  legal: ':warning: Legal / regulator threat',
  abuse: ':no_entry: Abuse hand-off',
  person: ':raising_hand: Asked for a person',
  callback: ':telephone_receiver: Call-back needed',
};

/** A hand-off as the card draws it: its badge and the routing reasons behind it. */
export interface Handoff {
  kind: HandoffKind;
  badge: string;
  reasons: string[];
}

/** What a ticket says about its hand-offs. */
export interface HandoffFacts {
  /** Reasons of its `handoff` events (the dialog's: "customer asked for a person", "repeated abuse", a call-back). */
  handoffReasons: string[];
  /** Its routing reasons ("urgent: legal threat (court)", "customer handed off to a person"). */
  routingReasons: string[];
  /** A caller who can only be phoned: nobody can write to them, so someone has to call. */
  callback: boolean;
}

/** The kind of a dialog hand-off reason; the dialog's reasons are fixed English phrases (dialogs/dialog.ts). */
function kindOfReason(reason: string): HandoffKind {
  if (/abus/i.test(reason)) return 'abuse';
  if (/call[- ]?back/i.test(reason)) return 'callback';
  return 'person';
}

/** The ticket's hand-offs, one per kind, each with its reasons (none when staff need not be told anything). */
export function handoffsOf(f: HandoffFacts, config: RoutingConfig): Handoff[] {
  const reasons = new Map<HandoffKind, string[]>();
  const add = (kind: HandoffKind, reason: string) => {
    const list = reasons.get(kind) ?? [];
    if (!list.includes(reason)) list.push(reason);
    reasons.set(kind, list);
  };
  for (const r of threatReasons(f.routingReasons, config)) add('legal', r);
  // Hand-offs before the ticket opened are in its routing reasons; later ones are events of their own.
  for (const r of f.routingReasons) if (/handed off|repeated abuse/i.test(r)) add(kindOfReason(r), r);
  // A threat made after the ticket opened comes as a `handoff` event with the rule's reason (dialogs/moves/threats.ts).
  for (const r of f.handoffReasons) add(threatReasons([r], config).length ? 'legal' : kindOfReason(r), r);
  if (f.callback) add('callback', 'phone caller with no email address: call them back');
  return HANDOFF_KINDS.filter((k) => reasons.has(k)).map((kind) => ({
    kind,
    badge: HANDOFF_BADGES[kind],
    reasons: reasons.get(kind)!,
  }));
}

/** True when the ticket came by phone and the customer gave a number but no email address. */
export function needsCallback(t: { channel: string; customer: { email: string[]; phone: string[] } }): boolean {
  return t.channel === 'phone' && t.customer.phone.length > 0 && t.customer.email.length === 0;
}

/**
 * The thread line for an event that is a hand-off (a `handoff` event, or `opened` with hand-off reasons): it
 * mentions the claimer, or the department's on-call group while the ticket is unclaimed. Undefined for other events.
 */
export function handoffLine(
  e: { kind: string; data: Record<string, unknown> },
  ticket: { claimedBy?: string | null; oncall?: string; callback: boolean },
  config: RoutingConfig,
): string | undefined {
  let facts: HandoffFacts;
  if (e.kind === 'handoff')
    facts = { handoffReasons: [String(e.data.reason ?? '')], routingReasons: [], callback: false };
  else if (e.kind === 'opened') {
    const routing = e.data.routing as { reasons?: unknown } | undefined;
    const reasons = Array.isArray(routing?.reasons) ? routing.reasons.map(String) : [];
    facts = { handoffReasons: [], routingReasons: reasons, callback: ticket.callback };
  } else return undefined;
  const handoffs = handoffsOf(facts, config);
  if (!handoffs.length) return undefined;
  const to = ticket.claimedBy ? `${mention(ticket.claimedBy)} ` : ticket.oncall ? `${mention(ticket.oncall)} ` : '';
  const what = handoffs.map((h) => `${h.badge} (${escapeSlack(h.reasons.join('; '))})`).join(' · ');
  return `${to}Hand-off: ${what}. A person should take this ticket over.`;
}
