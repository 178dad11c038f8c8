/** A ticket found by its reference and a contact point on it, for a customer asking about it from any channel. */
import { lookupResultSchema, type LookupRequest, type LookupResult } from '../../dialogs/ticket-lookup.ts';
import type { Queryable } from './db.ts';

/**
 * The status of ticket `reference` when `email` or `phone` is a contact point on it (the complaint's own, or its
 * customer's), or, asked as `own`, when it is conversation `conversationId`'s ticket; nothing otherwise, so a wrong contact point tells no more than a reference that does not exist.
 * An erased ticket has no contact point left and matches nothing.
 */
export async function lookupTicket(db: Queryable, q: LookupRequest, conversationId: number): Promise<LookupResult> {
  // The conversation's own ticket is its own to ask about; any other needs a contact point on it.
  const r = await db.query<{ status: string; department: string; sla_due_at: Date; resolved_at: Date | null }>(
    `SELECT t.status, t.department, t.sla_due_at, t.resolved_at FROM tickets t
      WHERE t.reference = $1
        AND (($4::boolean AND t.conversation_id = $5)
             OR (lower(t.record->>'email') = lower($2)) OR (t.record->>'phone' = $3)
             OR EXISTS (SELECT 1 FROM contact_points p WHERE p.customer_id = t.customer_id
                         AND ((p.kind = 'email' AND lower(p.value) = lower($2)) OR (p.kind = 'phone' AND p.value = $3))))`,
    [q.reference, q.email ?? null, q.phone ?? null, q.own === true, conversationId],
  );
  const t = r.rows[0];
  if (!t) return { reference: q.reference };
  return lookupResultSchema.parse({
    reference: q.reference,
    ticket: {
      status: t.status,
      department: t.department,
      dueAt: new Date(t.sla_due_at).toISOString(),
      resolvedAt: t.resolved_at ? new Date(t.resolved_at).toISOString() : null,
    },
  });
}
