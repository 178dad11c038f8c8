/** The customer's tier on the ticket card (issue #16 item 6): a field, a select to change it, and its thread line. */
import { withoutBidi } from '../../src/text/sanitize.ts';

/** The tier as the card shows it: the customer's, its label, and the configured tiers to choose from. */
export interface CardTier {
  id: string;
  label: string;
  choices: Array<{ id: string; label: string }>;
}

// Tier labels come from routing.yaml, not from customers; still plain text, as everything on the card.
// Slack allows 75 characters in an option or a placeholder.
const text = (t: string, max = 75) => ({
  type: 'plain_text' as const,
  text: withoutBidi(t).slice(0, max) || ' ',
  emoji: false,
});

/** The card's "Tier" field (none when the card has no tier). */
export function tierField(tier: CardTier | undefined): unknown[] {
  return tier ? [text(`Tier: ${tier.label}`, 2000)] : [];
}

/** The card's tier select, the customer's tier chosen; its value is `reference|tier`, as the other ticket menus. */
export function tierSelect(reference: string, tier: CardTier | undefined): unknown[] {
  if (!tier?.choices.length) return [];
  const options = tier.choices.slice(0, 100).map((c) => ({ text: text(c.label), value: `${reference}|${c.id}` }));
  const current = options.find((o) => o.value === `${reference}|${tier.id}`);
  return [
    {
      type: 'static_select',
      action_id: 'tier',
      placeholder: text('Customer tier'),
      options,
      ...(current ? { initial_option: current } : {}),
    },
  ];
}

/** The thread line of a `tier_changed` event; `who` is the actor as the thread shows it. */
export function tierLine(who: string, d: Record<string, unknown>, escape: (s: string) => string): string {
  return `${who} changed the customer's tier from ${escape(String(d.from ?? ''))} to ${escape(String(d.to ?? ''))}`;
}
