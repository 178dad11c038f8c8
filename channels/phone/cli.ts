/** `redress transcript <file>`: file a call as a ticket (or, with --dry-run, show what would be extracted). */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { RedressError } from '../../src/core/errors.ts';
import type { Inbound } from '../../src/core/ports.ts';
import { callTranscriptSchema, readCall } from '../../dialogs/call-reading.ts';
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
  const now = new Date();
  const { inbound } = callToInbound(
    bytes,
    type,
    {
      callerPhone: values['caller-phone'],
      callerEmail: values['caller-email'],
      callId: values['call-id'],
      receivedAt: values['received-at'],
      language: values.language,
    },
    now,
    maxLines,
  );
  const out = values['dry-run'] ? dryRun(inbound, now) : await submit(inbound);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

/** What the dialog side reads from the call (as the engine would), without filing it. */
function dryRun(inbound: Inbound, now: Date) {
  const { record, unsure, evidence } = readCall(callTranscriptSchema.parse(inbound.transcript), now);
  return { record, unsure, call: { ...(inbound.payload?.call as object), evidence } };
}
