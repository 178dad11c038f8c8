/** Block Kit for the staff console: one message per ticket, customer text always escaped so it can ping no one. */
import { severitySchema } from '../../src/domain/severity.ts';
import { withoutBidi } from '../../src/text/sanitize.ts';
import { historyBlock, type CardHistory } from './history-block.ts';
import { attachmentsBlock, type CardAttachment } from './attachments-block.ts';
import { tierField, tierLine, tierSelect, type CardTier } from './tier.ts';

/** What the console shows of a ticket. */
export interface TicketCard {
  reference: string;
  severity: string;
  category: string;
  department: string;
  channel: string;
  language: string;
  status: string;
  claimedBy: string | null;
  customer: { name: string | null; email: string[]; phone: string[] };
  restatement: string;
  slaDueAt: string;
  /** The customer's own messages, shown beside the restatement when they did not write in English. */
  customerWords?: string[];
  oncall?: string;
  /** Hand-offs staff must see (channels/slack/handoffs.ts): a badge each, with the routing reasons behind it. */
  handoffs?: Array<{ badge: string; reasons: string[] }>;
  /** The same customer's earlier tickets (channels/slack/history-block.ts). */
  history?: CardHistory;
  /** The customer's tier and the tiers staff may choose (channels/slack/tier.ts). */
  tier?: CardTier;
  /** The files the customer sent in the ticket's conversation (channels/slack/attachments-block.ts). */
  attachments?: CardAttachment[];
}

/** How a Slack id is mentioned: a user, a user group, or a channel link. */
export function mention(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : id.startsWith('C') || id.startsWith('G') ? `<#${id}>` : `<@${id}>`;
}

const languageNames: Record<string, string> = { 'zh-Hans': 'Chinese, simplified', 'zh-Hant': 'Chinese, traditional' };

/**
 * Escapes text for Slack: `&`, `<`, `>` so "<!channel>" or "<@U123>" from a customer is shown, never acted on; and
 * drops bidi controls, which would draw the rest of a line (the reference, the next field) reversed.
 */
export function escapeSlack(text: string): string {
  return withoutBidi(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack escapes &, <, > in message text; staff replies go to customers, and customers' words to the engine, as typed. */
export function unescapeSlack(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)(\|[^>]+)?>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const plain = (text: string) => ({
  type: 'plain_text' as const,
  text: withoutBidi(text).slice(0, 2000) || ' ',
  emoji: false,
});
const option = (text: string, value: string) => ({ text: plain(text), value });

/** The ticket's console message: facts, restatement, state, and the Claim / Resolve / Reassign / Severity controls. */
export function ticketMessage(
  t: TicketCard,
  departments: Array<{ id: string; name: string }>,
): { text: string; blocks: unknown[] } {
  const contact =
    [t.customer.name, ...t.customer.email, ...t.customer.phone].filter(Boolean).join(' · ') || 'no contact point';
  const state = t.claimedBy ? `${t.status} — claimed by <@${t.claimedBy}>` : `${t.status} — unclaimed`;
  return {
    text: escapeSlack(`${t.reference} (${t.severity}) ${t.category}: ${t.restatement}`).slice(0, 3000),
    blocks: [
      { type: 'header', text: plain(`${t.reference} · ${t.severity} · ${t.category.replace(/_/g, ' ')}`) },
      {
        type: 'section',
        fields: [
          plain(`Department: ${t.department}`),
          plain(`Channel: ${t.channel} · ${t.language}`),
          plain(`Customer: ${contact}`),
          plain(`SLA due: ${t.slaDueAt}`),
          ...tierField(t.tier),
        ],
      },
      // The restatement holds the customer's words: plain text, never mrkdwn.
      { type: 'section', text: plain(t.restatement) },
      // Staff who do not read the customer's language still see exactly what was written, untranslated.
      ...(t.language !== 'en' && t.customerWords?.length
        ? [
            {
              type: 'section',
              text: plain(`Original text (${languageNames[t.language] ?? t.language}): ${t.customerWords.join('\n')}`),
            },
          ]
        : []),
      ...handoffBadges(t.handoffs),
      ...historyBlock(t.history),
      ...attachmentsBlock(t.attachments),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${escapeSlack(state).replace(/&lt;@(U[A-Z0-9]+)&gt;/, '<@$1>')}${t.severity === 'urgent' && t.oncall ? ` · <!subteam^${t.oncall}>` : ''}`,
          },
        ],
      },
      {
        type: 'actions',
        block_id: `ticket:${t.reference}`,
        elements: [
          { type: 'button', action_id: 'claim', text: plain('Claim'), value: t.reference },
          { type: 'button', action_id: 'reply', text: plain('Reply to customer'), value: t.reference },
          { type: 'button', action_id: 'resolve', text: plain('Resolve'), style: 'primary', value: t.reference },
          {
            type: 'static_select',
            action_id: 'reassign',
            placeholder: plain('Reassign'),
            options: departments.map((d) => option(d.name, `${t.reference}|${d.id}`)),
          },
          {
            type: 'static_select',
            action_id: 'severity',
            placeholder: plain('Change severity'),
            options: severitySchema.options.map((s) => option(s, `${t.reference}|${s}`)),
          },
          ...tierSelect(t.reference, t.tier),
        ],
      },
    ],
  };
}

/** The card's hand-off badges, one context element each; the badge is ours, the reasons are escaped. */
function handoffBadges(handoffs: TicketCard['handoffs']): unknown[] {
  if (!handoffs?.length) return [];
  const elements = handoffs.slice(0, 10).map((h) => ({
    type: 'mrkdwn',
    text: `*${h.badge}* — ${escapeSlack(h.reasons.join('; '))}`.slice(0, 3000),
  }));
  return [{ type: 'context', block_id: 'handoffs', elements }];
}

/** The Reply to customer modal for ticket `reference`; the reference travels in private_metadata. */
export function replyModal(reference: string, restatement: string) {
  return {
    type: 'modal',
    callback_id: 'reply_to_customer',
    private_metadata: reference,
    title: plain('Reply to customer'),
    submit: plain('Send'),
    close: plain('Cancel'),
    blocks: [
      { type: 'context', elements: [plain(`${reference}: ${restatement}`.slice(0, 1900))] },
      {
        type: 'input',
        block_id: 'reply',
        label: plain("Your reply (sent on the customer's own channel)"),
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 3000 },
      },
    ],
  };
}

/** A remedy or root cause to choose in the Resolve modal (routing.yaml's remedies and root_causes). */
export interface ResolveChoice {
  id: string;
  label: { en: string };
}

/** The Resolve modal for ticket `reference`: remedy, amount, currency, cost, root cause and the message to the customer. */
export function resolveModal(
  reference: string,
  restatement: string,
  remedies: ResolveChoice[],
  causes: Array<ResolveChoice & { fault: string }>,
) {
  const input = (block: string, label: string, element: Record<string, unknown>, optional = false) => ({
    type: 'input',
    block_id: block,
    optional,
    label: plain(label),
    element: { action_id: 'value', ...element },
  });
  const money = { type: 'number_input', is_decimal_allowed: true, min_value: '0' };
  return {
    type: 'modal',
    callback_id: 'resolve_ticket',
    private_metadata: reference,
    title: plain('Resolve'),
    submit: plain('Resolve'),
    close: plain('Cancel'),
    blocks: [
      { type: 'context', elements: [plain(`${reference}: ${restatement}`.slice(0, 1900))] },
      input('remedy', 'Remedy', {
        type: 'static_select',
        options: remedies.slice(0, 100).map((r) => option(r.label.en, r.id)),
      }),
      input('amount', 'Amount to the customer', money, true),
      input('currency', 'Currency (ISO code, e.g. EUR)', { type: 'plain_text_input', max_length: 3 }, true),
      input('cost', 'Cost to the company', money, true),
      input('cause', 'Root cause', {
        type: 'static_select',
        options: causes.slice(0, 100).map((c) => option(`${c.label.en} (${c.fault})`, c.id)),
      }),
      input('message', "Message to the customer (sent at once, on the customer's own channel)", {
        type: 'plain_text_input',
        multiline: true,
        max_length: 3000,
      }),
    ],
  };
}

/** The mention of whoever must act on a ticket: its claimer, else the department's on-call group (with a space). */
function actor(ticket: { claimedBy?: string | null; oncall?: string }): string {
  return ticket.claimedBy ? `<@${ticket.claimedBy}> ` : ticket.oncall ? `<!subteam^${ticket.oncall}> ` : '';
}

/** What a message sent outside a turn was, in words (follow-up kinds, a resolution, a staff reply). */
function purposeWords(purpose: unknown): string {
  return String(purpose ?? 'message').replaceAll('_', ' ');
}

/** One line in the ticket's thread for an event (customer words escaped). */
export function eventLine(
  e: { kind: string; actor: string; data: Record<string, unknown> },
  ticket: { claimedBy?: string | null; oncall?: string; escalation?: string } = {},
): string | undefined {
  const who = e.actor.startsWith('slack:') ? `<@${e.actor.slice(6)}>` : escapeSlack(e.actor);
  const d = e.data;
  switch (e.kind) {
    case 'customer_message':
      return `Customer wrote: ${escapeSlack(String(d.text ?? ''))}`;
    case 'followup_sent':
      return `Follow-up sent to the customer: ${escapeSlack(String(d.kind ?? ''))}`;
    case 'satisfaction':
      return `Satisfaction score: ${Number(d.score)}${d.comment ? ` — ${escapeSlack(String(d.comment))}` : ''}`;
    case 'sla_reminder':
      // The person who claimed it is reminded; an unclaimed ticket reminds the department's group.
      return `${actor(ticket)}SLA warning: due ${escapeSlack(String(d.slaDueAt ?? ''))}`;
    case 'callback_task':
      // Nobody can write to this customer: whoever owns the ticket phones them and says what the bot would have sent.
      return `${actor(ticket)}:telephone_receiver: Call-back task (${escapeSlack(purposeWords(d.purpose))}): phone ${escapeSlack(String(d.phone ?? ''))} and tell them: ${escapeSlack(String(d.say ?? ''))}`;
    case 'sent_by_email':
      return `The ${escapeSlack(purposeWords(d.purpose))} went to the customer by email (${escapeSlack(String(d.reason ?? ''))})`;
    case 'customer_unreachable':
      return `${actor(ticket)}The ${escapeSlack(purposeWords(d.purpose))} could not reach the customer: no channel, email or phone number to use`;
    case 'sla_breached': {
      const to = ticket.escalation
        ? `${mention(ticket.escalation)} `
        : ticket.oncall
          ? `<!subteam^${ticket.oncall}> `
          : '';
      return `${to}SLA breached (was due ${escapeSlack(String(d.slaDueAt ?? ''))}): escalated to ${escapeSlack(String(d.escalation ?? 'the department lead'))}`;
    }
    case 'erased':
      return "The customer's personal data was erased (on request or by retention): the bot's messages in this thread are deleted and the ticket's figures remain. Delete any message you typed here that quotes the customer.";
    case 'claimed':
      return `${who} claimed this ticket`;
    case 'reassigned':
      return `${who} reassigned it to ${escapeSlack(String((d.to as { department?: string })?.department ?? ''))}`;
    case 'severity_changed':
      return `${who} changed severity to ${escapeSlack(String(d.to ?? ''))}`;
    case 'staff_reply':
      // A reply typed in the thread is already there; one sent from the modal is shown.
      return d.via === 'thread'
        ? `${who}'s reply was sent to the customer`
        : `${who} replied to the customer: ${escapeSlack(String(d.text ?? ''))}`;
    case 'status_resolved': {
      // The remedy and cause are ids from routing.yaml; the message to the customer is shown as sent.
      if (!d.remedy) return `${who} set the status to resolved`;
      const money = (n: unknown) =>
        n === null || n === undefined ? '' : ` ${Number(n)} ${escapeSlack(String(d.currency ?? ''))}`;
      const said = d.text ? ` — told the customer: ${escapeSlack(String(d.text))}` : '';
      return `${who} resolved it: ${escapeSlack(String(d.remedy))}${money(d.amount)} (cost${money(d.cost) || ' none'}), cause ${escapeSlack(String(d.cause))} (${escapeSlack(String(d.fault ?? ''))})${said}`;
    }
    case 'tier_changed':
      return tierLine(who, d, escapeSlack);
    case 'logged_by_staff':
      return `${who} logged this complaint (${escapeSlack(String(d.source ?? '').replace(/_/g, ' '))})`;
    case 'delivery_failed':
      return `Delivery to the customer failed, retrying: ${escapeSlack(String(d.error ?? ''))}`;
    default:
      return e.kind.startsWith('status_') ? `${who} set the status to ${escapeSlack(e.kind.slice(7))}` : undefined;
  }
}
