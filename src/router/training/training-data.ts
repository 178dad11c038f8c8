/** Reads labelled complaints from a CSV file for training and evaluation, with a clear error for every bad input. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { RedressError } from '../../core/errors.ts';

/** Rows ready for the classifier. */
export interface LabelledRows {
  texts: string[];
  labels: string[];
  /** Line numbers of rows left out (empty text or label) when `skipInvalid` was given. */
  skipped: number[];
}

const fail = (message: string, cause?: unknown) => new RedressError('TRAINING_DATA_INVALID', message, { cause });

/** Reads `path` (UTF-8, header row, optional BOM); `text` and `label` name the columns. */
export function readLabelledCsv(
  path: string,
  columns: { text: string; label: string },
  o: { skipInvalid?: boolean; minRows?: number } = {},
): LabelledRows {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw fail(`cannot read ${path}: ${(e as Error).message}`, e);
  }
  return parseLabelledCsv(bytes, columns, { ...o, source: path });
}

/** Parses CSV bytes; see {@link readLabelledCsv}. */
export function parseLabelledCsv(
  bytes: Buffer,
  columns: { text: string; label: string },
  o: { skipInvalid?: boolean; minRows?: number; source?: string } = {},
): LabelledRows {
  const source = o.source ?? 'the CSV';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw fail(
      `${source} is not UTF-8 (first undecodable bytes on line ${firstInvalidLine(bytes)}); convert it first, e.g. iconv -f GBK -t UTF-8`,
      e,
    );
  }
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: false, trim: false });
  } catch (e) {
    throw fail(`${source} is not valid CSV: ${(e as Error).message}`, e);
  }
  const header = records.length ? Object.keys(records[0]) : (parse(text, { bom: true, to_line: 1 })[0] ?? []);
  const missing = [columns.text, columns.label].filter((c) => !header.includes(c));
  if (missing.length)
    throw fail(
      `${source} has no column ${missing.map((m) => `"${m}"`).join(' or ')}; its columns are ${header.map((h: string) => `"${h}"`).join(', ') || 'none'}`,
    );
  const texts: string[] = [];
  const labels: string[] = [];
  const invalid: number[] = [];
  records.forEach((r, i) => {
    const t = (r[columns.text] ?? '').trim();
    const l = (r[columns.label] ?? '').trim();
    // Line numbers as a person sees them: the header is line 1 (multi-line quoted fields aside).
    if (!t || !l) invalid.push(i + 2);
    else {
      texts.push(t);
      labels.push(l);
    }
  });
  if (invalid.length && !o.skipInvalid) {
    throw fail(
      `${source}: ${invalid.length} row(s) with an empty text or label (lines ${invalid.slice(0, 10).join(', ')}${invalid.length > 10 ? ', …' : ''}); fix them or pass --skip-invalid`,
    );
  }
  const minRows = o.minRows ?? 2;
  if (texts.length < minRows) throw fail(`${source} has ${texts.length} usable row(s); at least ${minRows} are needed`);
  return { texts, labels, skipped: invalid };
}

// Where the first undecodable sequence is, as the line a person would open the file at.
function firstInvalidLine(bytes: Buffer): number {
  const lossy = bytes.toString('utf8');
  const at = lossy.indexOf('\uFFFD');
  return lossy.slice(0, Math.max(at, 0)).split('\n').length;
}
