/** Queries on resolutions (migration 0017): what staff did about a ticket, why it happened, and what the customer was told. */
import { z } from 'zod';
import type { Queryable } from './db.ts';

// numeric comes back as a string from node-postgres and PGlite; the API shows a number.
const money = z
  .union([z.string(), z.number()])
  .nullable()
  .transform((v) => (v === null ? null : Number(v)));

/** A resolution row with the text of the message the customer was sent (null when none could be sent). */
export const resolutionRowSchema = z.object({
  id: z.coerce.number(),
  ticket_id: z.coerce.number(),
  remedy: z.string(),
  amount: money,
  currency: z.string().nullable(),
  cost: money,
  cause: z.string(),
  fault: z.string(),
  message_id: z.coerce.number().nullable(),
  message: z.string().nullable(),
  resolved_by: z.string(),
  created_at: z.coerce.date(),
});
/** A resolution as read back. */
export type ResolutionRow = z.infer<typeof resolutionRowSchema>;

/** A resolution to record. */
export interface NewResolution {
  ticketId: number;
  remedy: string;
  amount?: number;
  currency?: string;
  cost?: number;
  cause: string;
  fault: string;
  messageId: number | null;
  resolvedBy: string;
  at: Date;
}

/** Records a resolution of a ticket; returns its id. */
export async function insertResolution(tx: Queryable, r: NewResolution): Promise<number> {
  const row = await tx.query<{ id: number }>(
    `INSERT INTO resolutions (ticket_id, remedy, amount, currency, cost, cause, fault, message_id, resolved_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      r.ticketId,
      r.remedy,
      r.amount ?? null,
      r.currency ?? null,
      r.cost ?? null,
      r.cause,
      r.fault,
      r.messageId,
      r.resolvedBy,
      r.at,
    ],
  );
  return Number(row.rows[0].id);
}

/** A ticket's resolutions, oldest first, each with the message sent to the customer. */
export async function resolutionsOf(db: Queryable, ticketId: number): Promise<ResolutionRow[]> {
  const r = await db.query(
    `SELECT r.*, m.text AS message FROM resolutions r LEFT JOIN messages m ON m.id = r.message_id
      WHERE r.ticket_id = $1 ORDER BY r.id`,
    [ticketId],
  );
  return r.rows.map((row) => resolutionRowSchema.parse(row));
}
