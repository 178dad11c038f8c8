/** One uploaded call to one normalised inbound message: parse, resolve speakers, hand over a neutral transcript. */
import { createHash } from 'node:crypto';
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { callLanguage, type CallTranscript } from '../../dialogs/call-reading.ts';
import { RedressError } from '../../src/core/errors.ts';
import type { Inbound } from '../../src/core/ports.ts';
import { parseTranscript } from './parse.ts';

/** The channel name phone calls are stored under. */
export const PHONE_CHANNEL = 'phone';

/** Optional details sent with a transcript (form fields, query parameters or command-line flags). */
export const callFieldsSchema = z.object({
  callerPhone: z
    .string()
    .max(40)
    .refine((p) => isValidPhoneNumber(p, 'US') || isValidPhoneNumber(p), 'is not a valid phone number')
    .optional(),
  callerEmail: z.email().max(320).optional(),
  callId: z.string().min(1).max(200).optional(),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  language: z.enum(['en', 'zh-Hans', 'zh-Hant']).optional(),
});

/** Builds the Inbound for a call; throws 400 (fields), 413 (too many lines), 415 (format) or 422 (broken file) before anything is written. */
export function callToInbound(
  bytes: Buffer,
  contentType: string,
  rawFields: Record<string, string | undefined>,
  now: Date,
  maxLines?: number,
): { inbound: Inbound; lines: number } {
  const fields = callFieldsSchema.safeParse(
    Object.fromEntries(Object.entries(rawFields).filter(([, v]) => v !== undefined)),
  );
  if (!fields.success)
    throw new RedressError(
      'BAD_REQUEST',
      fields.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  const transcript = parseTranscript(bytes, contentType, maxLines);
  // The caller number comes from the contact centre's telephony, not from the caller.
  const callerPhone = fields.data.callerPhone && parsePhoneNumberFromString(fields.data.callerPhone, 'US')?.number;
  // The dialog side reads the complaint from this (the engine drives it): the lines in order, who spoke, when.
  const call: CallTranscript = {
    lines: transcript.lines.map((l) => ({ speaker: l.role, text: l.text, at: l.startSeconds })),
    language: fields.data.language,
    caller: { phone: callerPhone || undefined, email: fields.data.callerEmail },
  };
  const language = callLanguage(call);
  // Same call id, or the same file, is the same call: the message key makes a second upload a no-op.
  const key = fields.data.callId
    ? `call:${fields.data.callId}`
    : `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const inbound: Inbound = {
    channel: PHONE_CHANNEL,
    conversationKey: key,
    messageKey: key,
    // The engine cuts it to what the dialog reads (MAX_MESSAGE_CHARS), as for every channel.
    text: call.lines
      .filter((l) => l.speaker !== 'agent')
      .map((l) => l.text)
      .join('\n'),
    style: 'call',
    transcript: call,
    receivedAt: fields.data.receivedAt ?? now.toISOString(),
    // Who the caller is and where they are reached: the engine completes both with what the call says (an email
    // address, a number) once the dialog side has read it.
    sender: { id: key },
    // What was said in the call, and callerEmail (what the caller gave), is not proof and links no history.
    verified: callerPhone ? { account: `phone:${callerPhone}` } : {},
    address: { email: null, phone: null, subject: 'Your call with us' },
    payload: {
      call: {
        format: transcript.format,
        speakers: transcript.speakers,
        speakerNote: transcript.speakerNote ?? null,
        language,
        transcript: transcript.lines,
        ...fields.data,
      },
    },
  };
  return { inbound, lines: transcript.lines.length };
}
