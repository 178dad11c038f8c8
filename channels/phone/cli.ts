/** `redress transcript <file>`: parse a call transcript and show the complaint record with its evidence. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { extractFromCall, LOW_CONFIDENCE } from '../../dialogs/evidence.ts';
import { detectLanguage } from '../../dialogs/language/detect.ts';
import { packFor, render } from '../../dialogs/language/index.ts';
import { restate } from '../../dialogs/restate.ts';
import { RedressError } from '../../src/errors.ts';
import { parseTranscript } from './parse.ts';

const TYPES: Record<string, string> = { '.json': 'application/json', '.vtt': 'text/vtt', '.srt': 'application/x-subrip', '.txt': 'text/plain' };

/** Prints JSON: format, speakers, each field with confidence and line, what is missing, the restatement. */
export async function transcriptCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'content-type': { type: 'string' }, 'caller-phone': { type: 'string' }, 'caller-email': { type: 'string' } } });
  const file = positionals[0];
  if (!file) throw new RedressError('USAGE', 'usage: redress transcript <file> [--content-type text/vtt] [--caller-phone +1...] [--caller-email ...]');
  const bytes = readFileSync(file);
  const type = values['content-type'] ?? TYPES[/\.[a-z]+$/i.exec(file)?.[0].toLowerCase() ?? ''] ?? '';
  const t = parseTranscript(bytes, type);
  const customerText = t.lines.filter((l) => l.role !== 'agent').map((l) => l.text).join('\n');
  const language = detectLanguage(customerText) ?? 'en';
  const { fields, record } = extractFromCall(t.lines, { now: new Date(), regions: language === 'en' ? ['US', 'GB'] : language === 'zh-Hans' ? ['CN'] : ['TW', 'HK'] });
  if (values['caller-phone'] && !record.phone) record.phone = values['caller-phone'];
  if (values['caller-email'] && !record.email) record.email = values['caller-email'];
  const wanted = ['name', 'orderNumber', 'occurredOn', 'product', 'resolution', 'description'] as const;
  const missing = wanted.filter((f) => !fields[f] || fields[f]!.confidence < LOW_CONFIDENCE);
  const contact = record.email || record.phone ? undefined : 'no contact point: flag for a staff call-back';
  process.stdout.write(
    `${JSON.stringify(
      {
        format: t.format,
        speakers: t.speakers,
        speakerNote: t.speakerNote ?? null,
        language,
        fields,
        missing,
        contact: contact ?? null,
        restatement: record.description ? render(language, restate(record, packFor(language), language, new Date())) : null,
        lines: t.lines.length,
      },
      null,
      2,
    )}\n`,
  );
}
