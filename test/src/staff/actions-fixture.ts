/** Fixtures for improvement actions and the monthly digest: tickets received at a given time with a root cause. */
import type { Db } from '../../../src/store/db.ts';
import type { TicketRow } from '../../../src/store/tickets.ts';
import { fixtureTicket } from '../store/ticket-fixture.ts';
import { ADMIN_TOKEN } from '../../helpers.ts';

/** A ticket received at `created` in `department`/`category`, the customer's words `words`, resolved with `causes`. */
export async function causeTicket(
  db: Db,
  key: string,
  o: { created: string; department?: string; category?: string; causes?: string[]; words?: string },
): Promise<TicketRow> {
  const t = await fixtureTicket(db, key);
  await db.query(
    `UPDATE tickets SET created_at = $2, department = $3, category = $4,
            record = jsonb_set(record, '{customerWords}', jsonb_build_array($5::text)) WHERE id = $1`,
    [t.id, o.created, o.department ?? 'quality', o.category ?? 'product_quality', o.words ?? `words of ${key}`],
  );
  for (const cause of o.causes ?? [])
    await db.query(
      `INSERT INTO resolutions (ticket_id, remedy, cause, fault, resolved_by)
       VALUES ($1, 'refund', $2, (CASE $2 WHEN 'product_defect' THEN 'product' WHEN 'staff_error' THEN 'staff' ELSE 'process' END), 'test')`,
      [t.id, cause],
    );
  return t;
}

/** A staff API call with the staff token; the answer's status and JSON body. */
export async function api(url: string, method: string, path: string, body?: unknown) {
  const r = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, body: (await r.json()) as any };
}
