/** Labelled examples from ticket history: every ticket staff reassigned, with the category it ended up in. */
import type { RoutingConfig } from '../../../dialogs/routing-config.ts';
import type { Queryable } from '../../store/db.ts';
import { reassignedTickets } from '../../store/router.ts';

/** Texts and labels from reassigned tickets; labels are the model labels that map to the final category. */
export async function reassignedExamples(
  db: Queryable,
  routing: RoutingConfig,
): Promise<{ texts: string[]; labels: string[] }> {
  const rows = await reassignedTickets(db);
  // A model trained on a CSV with its own label names keeps them: map the category back to such a label if one exists.
  const labelOf = new Map(Object.entries(routing.model?.labels ?? {}).map(([label, category]) => [category, label]));
  const texts: string[] = [];
  const labels: string[] = [];
  for (const r of rows) {
    const text = (r.record.customerWords ?? []).join('\n').trim() || r.restatement;
    if (!text) continue;
    texts.push(text);
    labels.push(labelOf.get(r.category) ?? r.category);
  }
  return { texts, labels };
}
