/**
 * Order and customer volumes imported per day and department (issue #17 item 3), for complaints per 1,000 orders or
 * customers: rows checked one by one (row number and reason for each bad one) and written all or nothing.
 */
import { z } from 'zod';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { RedressError } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import { upsertVolumes, volumeKindSchema, type VolumeRow } from '../store/volumes.ts';

/** Most rows one import takes (a year of every department's two volumes is a few thousand). */
export const MAX_VOLUME_ROWS = 20_000;
/** Largest body or file one import reads. */
export const MAX_VOLUME_BYTES = 2 * 1024 * 1024;

/** One row as sent: a calendar day, a department id of routing.yaml, orders or customers, a whole count ≥ 0. */
export const volumeInputSchema = z.strictObject({
  day: z.iso.date({ error: 'bad date: expected an existing day as YYYY-MM-DD' }),
  department: z.string({ error: 'no department' }).min(1, { error: 'no department' }).max(100),
  kind: z.enum(volumeKindSchema.options, { error: 'unknown kind: expected orders or customers' }),
  count: z
    .number({ error: 'count is not a number' })
    .int({ error: 'count is not a whole number' })
    .min(0, { error: 'count is negative' })
    .max(Number.MAX_SAFE_INTEGER, { error: 'count is too large' }),
});

/** A refused row: its number (1 is the first row after a header) and why; a CSV row also says its last line. */
export interface VolumeError {
  row: number;
  line?: number;
  error: string;
}

/**
 * Checks every row: its fields, its department against routing.yaml, and that no day, department and kind comes twice.
 * `rows[i]` is numbered i + 1, its line (CSV) from `lines`.
 */
export function checkVolumes(
  rows: readonly unknown[],
  routing: RoutingConfig,
  lines?: readonly number[],
): { good: VolumeRow[]; errors: VolumeError[] } {
  const departments = new Set(routing.departments.map((d) => d.id));
  const seen = new Map<string, number>();
  const good: VolumeRow[] = [];
  const errors: VolumeError[] = [];
  rows.forEach((raw, i) => {
    const at = { row: i + 1, ...(lines ? { line: lines[i] } : {}) };
    const r = volumeInputSchema.safeParse(raw);
    if (!r.success) {
      errors.push({ ...at, error: r.error.issues.map((x) => x.message).join('; ') });
      return;
    }
    if (!departments.has(r.data.department)) {
      const known = [...departments].join(', ');
      errors.push({ ...at, error: `unknown department "${r.data.department.slice(0, 100)}"; known: ${known}` });
      return;
    }
    const key = `${r.data.day}|${r.data.department}|${r.data.kind}`;
    const before = seen.get(key);
    if (before !== undefined) {
      errors.push({ ...at, error: `duplicate of row ${before}: ${r.data.day}, ${r.data.department}, ${r.data.kind}` });
      return;
    }
    seen.set(key, at.row);
    good.push(r.data);
  });
  return { good, errors };
}

/** What an import did: rows read and written, or (nothing written) the rows refused. */
export interface VolumeImport {
  rows: number;
  imported: number;
  errors: VolumeError[];
}

/**
 * Imports `rows` in one transaction when every row is good; with any bad row nothing is written and the errors come
 * back. A day, department and kind imported before is replaced.
 */
export async function importVolumes(
  db: Db,
  rows: readonly unknown[],
  o: { routing: RoutingConfig; actor: string; lines?: readonly number[] },
): Promise<VolumeImport> {
  if (rows.length > MAX_VOLUME_ROWS)
    throw new RedressError('PAYLOAD_TOO_LARGE', `${rows.length} rows; one import takes ${MAX_VOLUME_ROWS} at most`);
  const { good, errors } = checkVolumes(rows, o.routing, o.lines);
  if (errors.length) return { rows: rows.length, imported: 0, errors };
  await db.transaction((tx) => upsertVolumes(tx, good, o.actor));
  return { rows: rows.length, imported: good.length, errors };
}

/** The errors as one message: the first 20 rows refused, then how many more. */
export function volumeErrorsMessage(errors: readonly VolumeError[]): string {
  const shown = errors.slice(0, 20).map((e) => `row ${e.row}${e.line ? ` (line ${e.line})` : ''}: ${e.error}`);
  const more = errors.length > 20 ? `; and ${errors.length - 20} more` : '';
  return `nothing imported: ${shown.join('; ')}${more}`;
}
