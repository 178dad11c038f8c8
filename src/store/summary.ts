/** Manager figures the roll-up cannot hold (src/store/summary-rollup.ts holds the rest): repeat complainers, quotes. */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { inPeriod, periodDepartments, type ReportPeriod } from './report-period.ts';

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

// The customer's words of one ticket, as quoted.
const QUOTE = `left(coalesce(k.record->'customerWords'->>0, k.restatement), 200) AS text, k.language, k.reference, k.created_at`;

/**
 * Three quotes (200 characters at most) of each of `categories`, from its latest tickets of the period. With
 * departments, the latest three of each department's are read (an index range each) and the latest three of those
 * kept: scanning a category's tickets for one department's would read every other department's first.
 */
export async function periodQuotes(
  db: Queryable,
  q: ReportPeriod,
  categories: readonly string[],
): Promise<CategoryQuotes[]> {
  // The bounds first, so the index ranges below are planned with them (not scanned newest first, filtering).
  const [p] = await inPeriod<{ t0: string; t1: string }>(db, q, 'SELECT p.t0::text AS t0, p.t1::text AS t1 FROM p');
  const latest = (where: string) =>
    `SELECT ${QUOTE} FROM tickets k
      WHERE ${where} AND k.category = c.category AND k.created_at >= $1::timestamptz AND k.created_at < $2::timestamptz
      ORDER BY k.created_at DESC LIMIT 3`;
  const { rows } = await db.query<CategoryQuotes>(
    `SELECT c.category,
            (SELECT coalesce(json_agg(json_build_object('text', x.text, 'language', x.language, 'reference', x.reference)
                                      ORDER BY x.created_at DESC), '[]')
               FROM (SELECT * FROM (${latest('$3::text[] IS NULL')}) a
                     UNION ALL
                     SELECT z.* FROM unnest($3::text[]) d(department), LATERAL (${latest('k.department = d.department')}) z
                     ORDER BY created_at DESC LIMIT 3) x) AS quotes
       FROM unnest($4::text[]) c(category)`,
    [p.t0, p.t1, periodDepartments(q), categories],
  );
  return rows;
}
