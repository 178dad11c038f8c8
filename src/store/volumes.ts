/** Order and customer volumes per day and department (table volumes), imported for the complaint rate (issue #17). */
import { z } from 'zod';
import type { Queryable } from './db.ts';

/** The volumes a complaint rate is read against. */
export const volumeKindSchema = z.enum(['orders', 'customers']);

/** One imported volume: a calendar day (YYYY-MM-DD), a department id, what was counted and how many. */
export const volumeRowSchema = z.object({
  day: z.iso.date(),
  department: z.string(),
  kind: volumeKindSchema,
  count: z.number().int().min(0),
});
/** One imported volume. */
export type VolumeRow = z.infer<typeof volumeRowSchema>;

/** Writes `rows` (checked already), each replacing the count of its day, department and kind; returns how many. */
export async function upsertVolumes(tx: Queryable, rows: readonly VolumeRow[], actor: string): Promise<number> {
  // One statement for the lot (unnest of four arrays): a file of thousands of rows is one round trip.
  const r = await tx.query(
    `INSERT INTO volumes (day, department, kind, count, imported_by)
     SELECT day, department, kind, count, $5 FROM unnest($1::date[], $2::text[], $3::text[], $4::bigint[]) AS x(day, department, kind, count)
     ON CONFLICT (day, department, kind) DO UPDATE SET count = EXCLUDED.count, imported_by = EXCLUDED.imported_by, imported_at = now()`,
    [rows.map((r) => r.day), rows.map((r) => r.department), rows.map((r) => r.kind), rows.map((r) => r.count), actor],
  );
  return r.rowCount;
}

/** Every stored volume, by day, department and kind (for tests and checks). */
export async function allVolumes(db: Queryable): Promise<VolumeRow[]> {
  return (
    await db.query<VolumeRow>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, department, kind, count::float8 AS count FROM volumes ORDER BY 1, 2, 3`,
    )
  ).rows;
}
