/** What the router learns from and how its retraining went: reassigned tickets, and the record of every model swap. */
import { z } from 'zod';
import type { Queryable } from './db.ts';

/** A ticket staff reassigned, in the category it ended up in. */
export const reassignedTicketSchema = z.object({
  category: z.string(),
  record: z.object({ customerWords: z.array(z.string()).optional() }).loose(),
  restatement: z.string(),
});
/** A reassigned ticket's row. */
export type ReassignedTicket = z.infer<typeof reassignedTicketSchema>;

/** Every ticket staff reassigned at least once, oldest first. */
export async function reassignedTickets(db: Queryable): Promise<ReassignedTicket[]> {
  const r = await db.query<ReassignedTicket>(
    `SELECT t.category, t.record, t.restatement FROM tickets t
      WHERE EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'reassigned') ORDER BY t.id`,
  );
  return r.rows;
}

/** One retraining decision: the candidate's and the current model's scores on the recent slice, and whether it swapped. */
export interface RouterSwap {
  modelPath: string;
  swapped: boolean;
  candidateKind: string;
  trainRows: number;
  sliceRows: number;
  current: { accuracy: number; macroF1: number } | null;
  candidate: { accuracy: number; macroF1: number };
}

/** Records a retraining decision (router_swaps, migration 0016). */
export async function recordRouterSwap(db: Queryable, s: RouterSwap): Promise<void> {
  await db.query(
    `INSERT INTO router_swaps (model_path, swapped, candidate_kind, train_rows, slice_rows, current_accuracy,
       current_macro_f1, candidate_accuracy, candidate_macro_f1) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      s.modelPath,
      s.swapped,
      s.candidateKind,
      s.trainRows,
      s.sliceRows,
      s.current?.accuracy ?? null,
      s.current?.macroF1 ?? null,
      s.candidate.accuracy,
      s.candidate.macroF1,
    ],
  );
}
