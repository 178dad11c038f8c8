/** Manager figures the roll-up cannot hold (src/store/summary-rollup.ts holds the rest): repeat complainers, quotes. */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { inPeriod, type ReportPeriod } from './report-period.ts';

/** A customer with more than one ticket in the period. */
export const repeatCustomerSchema = z.object({ customer_id: z.number(), n: z.number() });
/** A row of {@link periodRepeatCustomers}. */
export type RepeatCustomer = z.infer<typeof repeatCustomerSchema>;

/** The 20 customers with the most tickets in the period, of those with more than one (an index-only read of the facts). */
export function periodRepeatCustomers(db: Queryable, q: ReportPeriod): Promise<RepeatCustomer[]> {
  return inPeriod<RepeatCustomer>(
    db,
    q,
    `SELECT f.customer_id::int AS customer_id, count(*)::int AS n FROM p, ticket_facts f
      WHERE f.created_at >= p.t0 AND f.created_at < p.t1 AND ($3::text[] IS NULL OR f.department = ANY($3::text[]))
      GROUP BY 1 HAVING count(*) > 1 ORDER BY 2 DESC, 1 LIMIT 20`,
  );
}

/** The customer's words of a category's three latest tickets of the period. */
export const categoryQuotesSchema = z.object({
  category: z.string(),
  quotes: z.array(z.object({ text: z.string(), language: z.string(), reference: z.string() })),
});
/** A row of {@link periodQuotes}. */
export type CategoryQuotes = z.infer<typeof categoryQuotesSchema>;

/** Three quotes (200 characters at most) of each of `categories`, from its latest tickets of the period. */
export function periodQuotes(db: Queryable, q: ReportPeriod, categories: readonly string[]): Promise<CategoryQuotes[]> {
  return inPeriod<CategoryQuotes>(
    db,
    q,
    `SELECT c.category,
            (SELECT coalesce(json_agg(x), '[]') FROM (
               SELECT left(coalesce(k.record->'customerWords'->>0, k.restatement), 200) AS text, k.language, k.reference
                 FROM p, tickets k
                WHERE k.category = c.category AND k.created_at >= p.t0 AND k.created_at < p.t1
                  AND ($3::text[] IS NULL OR k.department = ANY($3::text[]))
                ORDER BY k.created_at DESC LIMIT 3) x) AS quotes
       FROM unnest($5::text[]) c(category)`,
    [categories],
  );
}
