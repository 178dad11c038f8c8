/**
 * Answers "CMP-000123, my email is …" from any channel: the status of a ticket, only when the contact point given is
 * the one on it. A wrong contact point gets the same answer as a reference that does not exist.
 */
import { extractEmails, extractPhones } from '../extract-contact.ts';
import { asksAboutTicket, asksOwnStatus, referenceIn, type LookupResult } from '../ticket-lookup.ts';
import type { TurnOutput } from '../types.ts';
import { lookupText } from '../language/lookup-text.ts';
import { finish, regionsFor, say, type Turn } from './turn.ts';

/** Failed lookups one conversation may make; then it is told to ask staff (guessing references is not a game). */
export const MAX_LOOKUP_FAILURES = 5;

/** The lookup move when `text` asks about another ticket (or gives the contact point just asked for); else undefined. */
export function lookupMove(t: Turn, text: string, knownEmail?: string): TurnOutput | undefined {
  const pending = t.s.lookupPending;
  const named = referenceIn(text);
  const reference = named ?? pending;
  // One question, one answer: a pending lookup is for the very next message only.
  t.s.lookupPending = undefined;
  const own = t.s.ticketReference;
  if (own && t.s.phase === 'ticketed' && (!named || named === own) && asksOwnStatus(text)) return ownStatus(t, own);
  if (!reference || reference === t.s.ticketReference) return undefined;
  if (named && !asksAboutTicket(text)) return undefined;
  const words = lookupText(t.lang);
  if (t.s.lookupFailures >= MAX_LOOKUP_FAILURES) {
    say(t, words.tooMany);
    return finish(t);
  }
  const email = knownEmail ?? extractEmails(text).valid[0];
  const phone = extractPhones(text, regionsFor(t), true, [reference]).valid[0];
  if (!email && !phone) {
    // A reference alone shows nothing: ask for the contact point on it.
    if (pending && !named) return undefined;
    t.s.lookupPending = reference;
    say(t, words.askContact(reference));
    return finish(t);
  }
  const found = t.ctx.lookup;
  if (!found || found.reference !== reference)
    return { ...finish(t), lookupNeeded: { reference, ...(email ? { email } : {}), ...(phone ? { phone } : {}) } };
  if (!found.ticket) {
    t.s.lookupFailures += 1;
    say(t, words.notFound(reference));
    return finish(t);
  }
  say(t, statusLine(t, reference, found));
  return finish(t);
}

/** "Any news?" in the conversation of the ticket: its status, looked up by the conversation, no contact point asked. */
function ownStatus(t: Turn, reference: string): TurnOutput {
  const found = t.ctx.lookup;
  if (!found || found.reference !== reference) return { ...finish(t), lookupNeeded: { reference, own: true } };
  say(t, statusLine(t, reference, found));
  return finish(t);
}

/** The status sentence for a found ticket, the department named in the customer's language. */
function statusLine(t: Turn, reference: string, found: LookupResult): string {
  const ticket = found.ticket!;
  const dept = t.ctx.router.config.departments.find((d) => d.id === ticket.department);
  const department = dept ? dept.name[t.lang === 'en' ? 'en' : 'zh-Hans'] : ticket.department;
  return lookupText(t.lang).status(reference, { ...ticket, department }, t.ctx.now);
}
