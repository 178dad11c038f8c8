/** `redress volumes import file.csv`: order and customer volumes per day and department, all rows or none. */
import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { RoutingConfig } from '../../dialogs/routing-config.ts';
import { RedressError } from '../core/errors.ts';
import { csvRecords } from './csv-records.ts';
import type { Db } from '../store/db.ts';
import { importVolumes, MAX_VOLUME_BYTES, type VolumeImport } from '../staff/volumes.ts';

/** Help for the volumes command. */
export const VOLUMES_HELP = `  volumes import <file.csv> [--actor NAME]
            Import order and customer volumes for complaints per 1,000 orders or customers: a CSV file with a header
            row day (YYYY-MM-DD), department (an id of routing.yaml), kind (orders or customers) and count (a whole
            number). A day, department and kind imported before is replaced. If any row is bad, nothing is imported
            and every bad row is listed with its number and the reason; exits 1 then`;

const usage = (m: string) => new RedressError('USAGE', `${m}\n\nUsage:\n${VOLUMES_HELP}`);

// A count cell as the API takes it: digits are a number; anything else stays text so the check names it.
const countOf = (cell: string | undefined) =>
  cell === undefined || cell === '' ? undefined : /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;

/** The rows of `text` (a header row first; case and spaces in it do not matter) and the line each row ends on. */
function readCsv(text: string): { rows: unknown[]; lines: number[] } {
  const records = csvRecords(text);
  return {
    rows: records.map(({ record: r }) => ({
      day: r.day,
      department: r.department,
      kind: r.kind,
      count: countOf(r.count),
    })),
    lines: records.map((x) => x.info.lines),
  };
}

/** Imports the CSV `file` (see {@link VOLUMES_HELP}); refuses a file over the import's size limit unread. */
export async function importVolumesFile(
  db: Db,
  file: string,
  o: { routing: RoutingConfig; actor: string },
): Promise<VolumeImport & { file: string }> {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_VOLUME_BYTES)
      throw new RedressError(
        'PAYLOAD_TOO_LARGE',
        `${file} is ${size} bytes; one import reads ${MAX_VOLUME_BYTES} at most`,
      );
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof RedressError) throw e;
    throw new RedressError('USAGE', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  const { rows, lines } = readCsv(text);
  return { file, ...(await importVolumes(db, rows, { ...o, lines })) };
}

function defaultActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** `redress volumes <sub> ...`; prints the result as JSON and returns it. */
export async function volumesCommand(argv: string[], db: Db, o: { routing: RoutingConfig }): Promise<VolumeImport> {
  const [sub, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { actor: { type: 'string' } } });
  } catch (e) {
    throw usage((e as Error).message);
  }
  if (sub !== 'import') throw usage(sub ? `unknown volumes command "${sub}"` : 'volumes needs a command');
  if (parsed.positionals.length !== 1) throw usage('volumes import takes one CSV file');
  const result = await importVolumesFile(db, parsed.positionals[0], {
    routing: o.routing,
    actor: parsed.values.actor ?? defaultActor(),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return result;
}
