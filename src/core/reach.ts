/**
 * How a message sent outside a turn (a follow-up, a staff reply, a resolution) reaches the customer: on the
 * conversation's own channel when it can; by email to the address they gave when it cannot (a web chat they left, a
 * call); else as a call-back task for staff when all we have is a phone number.
 */
import type { DialogState } from '../../dialogs/types.ts';
import type { ConversationRow } from '../store/conversations.ts';
import type { Queryable } from '../store/db.ts';
import { viaThread } from '../store/email-copies.ts';
import { recordOutbound } from '../store/messages.ts';
import { addEvent } from '../store/tickets.ts';
import type { Deliver, Outbound } from './ports.ts';

/** The subject line of email copies, in the conversation's language (the sender adds the ticket reference). */
const SUBJECT: Record<string, string> = { en: 'Your complaint', 'zh-Hans': '您的投诉', 'zh-Hant': '您的投訴' };

/** What sending outside a turn needs: the channels, with the fallback, and the time. */
export interface ReachDeps {
  deliver?: Deliver;
  now: Date;
}

/**
 * How the customer was reached: 'own' channel (for a pull channel: waiting on its page), an 'email' copy, a
 * 'callback' task for staff, or 'none'.
 */
export type Reached = 'own' | 'email' | 'callback' | 'none';

/**
 * Records `texts` in the conversation and sends them the way that reaches the customer. Returns the recorded messages
 * and how; an email copy or a call-back task is also a ticket event (staff see how the customer was told).
 */
export async function sendOutsideTurn(
  tx: Queryable,
  deps: ReachDeps,
  conv: ConversationRow,
  ticket: { id: number } | undefined,
  texts: string[],
  link: { followupId?: number; purpose: string },
): Promise<{ replies: Outbound[]; reached: Reached }> {
  const own = deps.deliver?.pushes(conv.channel);
  const record = (conv.state as DialogState | null)?.record;
  // A push channel reaches the customer unless the address lacks what it needs (a caller who gave no email).
  if (own && (own.reaches?.(conv.address) ?? true))
    return { replies: await recordOutbound(tx, conv, texts, link, own), reached: 'own' };
  // A pull channel's page (web chat) marks when it last read the conversation: read lately, the customer sees it there.
  const fallback = deps.deliver?.fallbackChannel();
  const seen = conv.seen_at ? new Date(conv.seen_at).getTime() : undefined;
  const page = !own && seen !== undefined;
  if (page && (!fallback || deps.now.getTime() - seen < fallback.awaySeconds * 1000))
    return { replies: await recordOutbound(tx, conv, texts, link), reached: 'own' };
  const email = record?.email ?? (typeof conv.address.email === 'string' ? conv.address.email : undefined);
  if (fallback && email) {
    // One thread per conversation: each copy answers the one before it.
    const thread = await viaThread(tx, conv.id, fallback.channel);
    const address = {
      email,
      ...(record?.name ? { name: record.name } : {}),
      subject: SUBJECT[conv.language] ?? SUBJECT.en,
      ...(thread.length ? { lastMessageId: thread.at(-1), references: thread } : {}),
    };
    const replies = await recordOutbound(tx, conv, texts, link, fallback.push, { channel: fallback.channel, address });
    if (ticket)
      await addEvent(tx, ticket.id, 'sent_by_email', 'bot', {
        purpose: link.purpose,
        messages: replies.map((r) => r.id),
        reason: own ? `the ${conv.channel} address cannot be written to` : `the customer left the ${conv.channel}`,
      });
    return { replies, reached: 'email' };
  }
  const replies = await recordOutbound(tx, conv, texts, link);
  // A page keeps it for the customer's return (the chat shows what was sent meanwhile).
  if (page) return { replies, reached: 'own' };
  const phone = record?.phone ?? (typeof conv.address.phone === 'string' ? conv.address.phone : undefined);
  if (!ticket) return { replies, reached: 'none' };
  if (phone) {
    // Nobody can write to this customer: someone has to phone them and say it (the Slack thread mentions who).
    await addEvent(tx, ticket.id, 'callback_task', 'bot', {
      purpose: link.purpose,
      phone,
      say: texts.join('\n\n').slice(0, 2000),
      messages: replies.map((r) => r.id),
    });
    return { replies, reached: 'callback' };
  }
  await addEvent(tx, ticket.id, 'customer_unreachable', 'bot', {
    purpose: link.purpose,
    messages: replies.map((r) => r.id),
  });
  return { replies, reached: 'none' };
}
