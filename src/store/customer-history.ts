/**
 * A customer's earlier tickets (issue #16, item 5), for the ticket JSON and the Slack card. Linked by the ticket's
 * customer id only: contact points a customer typed are unverified, and listing tickets by them would show staff (and
 * whatever they forward) someone else's complaints.
 */
import { z } from 'zod';
import type { Queryable } from './db.ts';

/** One earlier ticket: when, what, its latest resolution's remedy and cause (null until resolved), and the score. */
export const historyRowSchema = z.object({
  reference: z.string(),
  created_at: z.coerce.date(),
  category: z.string(),
  status: z.string(),
  remedy: z.string().nullable(),
  cause: z.string().nullable(),
  satisfaction: z.coerce.number().nullable(),
  /** How many earlier tickets there are in all (the list stops at the limit). */
  total: z.coerce.number(),
});
/** An earlier ticket as read back. */
export type HistoryRow = z.infer<typeof historyRowSchema>;

/** The customer's earlier tickets and how many there are in all. */
export interface CustomerHistory {
  tickets: Array<Omit<HistoryRow, 'total'>>;
  total: number;
}

/**
 * The tickets of ticket `ticketId`'s customer opened before it, newest first, at most `limit`. "Before" is by
 * (created_at, id), compared in SQL (a JS Date would drop the microseconds), so tickets opened in the same instant
 * still have an order.
 */
export async function customerHistory(q: Queryable, ticketId: number, limit: number): Promise<CustomerHistory> {
  const r = await q.query(
    `SELECT t.reference, t.created_at, t.category, t.status, t.satisfaction, r.remedy, r.cause,
            count(*) OVER () AS total
       FROM tickets me
       JOIN tickets t ON t.customer_id = me.customer_id AND (t.created_at, t.id) < (me.created_at, me.id)
       LEFT JOIN LATERAL (SELECT remedy, cause FROM resolutions WHERE ticket_id = t.id ORDER BY id DESC LIMIT 1) r
         ON true
      WHERE me.id = $1
      ORDER BY t.created_at DESC, t.id DESC
      LIMIT $2`,
    [ticketId, limit],
  );
  const rows = r.rows.map((row) => historyRowSchema.parse(row));
  return { tickets: rows.map(({ total: _total, ...rest }) => rest), total: rows[0]?.total ?? 0 };
}
