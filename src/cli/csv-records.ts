/** The records of a CSV file given to an import command: header row first, its names trimmed and lower-cased. */
import { parse } from 'csv-parse/sync';
import { RedressError } from '../core/errors.ts';

/** One record of {@link csvRecords} and where it ends in the file (for "line N: …" errors). */
export type CsvRecord = { record: Record<string, string>; info: { lines: number; error?: { message: string } } };

/** Parses `text` (a BOM, empty lines and ragged rows tolerated); a file that is not CSV at all is a USAGE error. */
export function csvRecords(text: string): CsvRecord[] {
  try {
    return parse(text, {
      bom: true,
      columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: true,
    });
  } catch (e) {
    throw new RedressError('USAGE', `not a readable CSV file: ${(e as Error).message}`, { cause: e });
  }
}
