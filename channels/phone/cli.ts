/** `redress transcript <file>`: file a call as a ticket (or, with --dry-run, show what would be extracted). */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { RedressError } from '../../src/core/errors.ts';
import type { Inbound } from '../../src/core/ports.ts';
import { callToInbound } from './intake.ts';

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.vtt': 'text/vtt',
  '.srt': 'application/x-subrip',
  '.txt': 'text/plain',
};

/** Runs the command; `submit` files the inbound message and returns what to print (the ticket). */
export async function transcriptCommand(
  argv: string[],
  submit: (m: Inbound) => Promise<unknown>,
  maxLines?: number,
): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'content-type': { type: 'string' },
      'caller-phone': { type: 'string' },
      'caller-email': { type: 'string' },
      'call-id': { type: 'string' },
      'received-at': { type: 'string' },
      language: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file)
    throw new RedressError(
      'USAGE',
      'usage: redress transcript <file> [--call-id ID] [--caller-phone +1...] [--caller-email ...] [--content-type text/vtt] [--dry-run]',
    );
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new RedressError('BAD_REQUEST', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  const type = values['content-type'] ?? TYPES[/\.[a-z]+$/i.exec(file)?.[0].toLowerCase() ?? ''] ?? '';
  const { inbound } = await callToInbound(
    bytes,
    type,
    {
      callerPhone: values['caller-phone'],
      callerEmail: values['caller-email'],
      callId: values['call-id'],
      receivedAt: values['received-at'],
      language: values.language,
    },
    new Date(),
    maxLines,
  );
  const out = values['dry-run']
    ? { record: inbound.record, unsure: inbound.unsure, call: inbound.payload?.call }
    : await submit(inbound);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
