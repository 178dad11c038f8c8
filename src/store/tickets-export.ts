/** The tickets of a period as managers export them (GET /api/tickets.csv): one flat row each, read by keyset. */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { inPeriod, type ReportPeriod } from './report-period.ts';

/** One ticket of the export, with its customer's name and contact points; `cursor_at` is the keyset's created_at. */
export const ticketExportRowSchema = z.object({
  id: z.number(),
  /** created_at as PostgreSQL's own text: a JavaScript Date would drop the microseconds and read some rows twice. */
  cursor_at: z.string(),
  reference: z.string(),
  created_at: z.date(),
  status: z.string(),
  department: z.string(),
  category: z.string(),
  severity: z.string(),
  channel: z.string(),
  language: z.string(),
  handoff: z.boolean(),
  customer_name: z.string().nullable(),
  customer_email: z.string().nullable(),
  customer_phone: z.string().nullable(),
  order_number: z.string().nullable(),
  sla_due_at: z.date(),
  resolved_at: z.date().nullable(),
  satisfaction: z.number().nullable(),
  claimed_by: z.string().nullable(),
  restatement: z.string(),
});
/** A row of {@link periodTicketsPage}. */
export type TicketExportRow = z.infer<typeof ticketExportRowSchema>;

/** Where a page of the export starts: after the ticket with this created_at (text) and id. */
export interface ExportCursor {
  at: string;
  id: number;
}

/** Up to `limit` tickets of the period after `after` (from the start without it), by creation time and id. */
export function periodTicketsPage(
  db: Queryable,
  q: ReportPeriod,
  after: ExportCursor | undefined,
  limit: number,
): Promise<TicketExportRow[]> {
  return inPeriod<TicketExportRow>(
    db,
    q,
    `SELECT t.id, t.created_at::text AS cursor_at, t.reference, t.created_at, t.status, t.department, t.category, t.severity, t.channel, t.language, t.handoff,
            c.name AS customer_name,
            (SELECT string_agg(value, ' ') FROM contact_points cp WHERE cp.customer_id = t.customer_id AND cp.kind = 'email') AS customer_email,
            (SELECT string_agg(value, ' ') FROM contact_points cp WHERE cp.customer_id = t.customer_id AND cp.kind = 'phone') AS customer_phone,
            t.record->>'orderNumber' AS order_number, t.sla_due_at, t.resolved_at, t.satisfaction, t.claimed_by, t.restatement
       FROM t JOIN customers c ON c.id = t.customer_id
      WHERE $5::timestamptz IS NULL OR (t.created_at, t.id) > ($5::timestamptz, $6::bigint)
      ORDER BY t.created_at, t.id LIMIT $7`,
    [after?.at ?? null, after?.id ?? null, limit],
  );
}
