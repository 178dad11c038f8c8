/** The card's line of the customer's earlier tickets (issue #16, item 5): what happened to them before, at a glance. */
import { withoutBidi } from '../../src/text/sanitize.ts';

/** One earlier ticket of the same customer, as the card shows it. */
export interface HistoryEntry {
  reference: string;
  /** When it was opened (ISO). */
  createdAt: string;
  category: string;
  status: string;
  /** Its latest resolution's remedy and root cause (routing.yaml ids); null until resolved. */
  remedy: string | null;
  cause: string | null;
  /** The customer's satisfaction score (1–5), if they gave one. */
  satisfaction: number | null;
}

/** The customer's earlier tickets on a card: the newest few, and how many there are in all. */
export interface CardHistory {
  tickets: HistoryEntry[];
  total: number;
}

/** How many earlier tickets the card lists; the rest are counted ("+N more") and listed in the ticket JSON. */
export const CARD_HISTORY_LIMIT = 5;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Nov" (UTC), with the year when it is not `now`'s. */
function shortDate(iso: string, now: Date): string {
  const d = new Date(iso);
  const year = d.getUTCFullYear() === now.getUTCFullYear() ? '' : ` ${d.getUTCFullYear()}`;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${year}`;
}

const words = (id: string) => id.replace(/_/g, ' ');

/** One entry: reference · date · category · remedy, cause (or the status while unresolved) · score. */
function entry(h: HistoryEntry, now: Date): string {
  const outcome = h.remedy ? `${words(h.remedy)}${h.cause ? `, ${words(h.cause)}` : ''}` : h.status;
  const score = h.satisfaction === null ? [] : [`${h.satisfaction}/5`];
  return [h.reference, shortDate(h.createdAt, now), words(h.category), outcome, ...score].join(' · ');
}

/**
 * The card's history block: one context line "Earlier: CMP-000012 · 3 Nov · delivery · refund, partner or dealer ·
 * 4/5; …", nothing for a first complaint. Plain text: the ids come from routing.yaml, but nothing here may ping.
 */
export function historyBlock(history: CardHistory | undefined, now = new Date()): unknown[] {
  if (!history?.tickets.length) return [];
  const shown = history.tickets.slice(0, CARD_HISTORY_LIMIT);
  const more = history.total - shown.length;
  const text = `Earlier: ${shown.map((h) => entry(h, now)).join('; ')}${more > 0 ? `; +${more} more` : ''}`;
  return [
    {
      type: 'context',
      block_id: 'history',
      elements: [{ type: 'plain_text', text: withoutBidi(text).slice(0, 2000), emoji: false }],
    },
  ];
}
