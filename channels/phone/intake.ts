/** One uploaded call to one normalised inbound message: parse, resolve speakers, extract with evidence. */
import { createHash } from 'node:crypto';
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { extractFromCallSteps, LOW_CONFIDENCE, type CallFields } from '../../dialogs/evidence.ts';
import { inSlices } from '../../src/http/in-slices.ts';
import { detectLanguage } from '../../dialogs/language/detect.ts';
import type { Field } from '../../dialogs/types.ts';
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
export async function callToInbound(
  bytes: Buffer,
  contentType: string,
  rawFields: Record<string, string | undefined>,
  now: Date,
  maxLines?: number,
): Promise<{ inbound: Inbound; lines: number }> {
  const fields = callFieldsSchema.safeParse(
    Object.fromEntries(Object.entries(rawFields).filter(([, v]) => v !== undefined)),
  );
  if (!fields.success)
    throw new RedressError(
      'BAD_REQUEST',
      fields.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  const transcript = parseTranscript(bytes, contentType, maxLines);
  const customerText = transcript.lines
    .filter((l) => l.role !== 'agent')
    .map((l) => l.text)
    .join('\n');
  const language = fields.data.language ?? detectLanguage(customerText) ?? 'en';
  // An hour-long call takes about a second to read: in slices, so other chats and /healthz are answered meanwhile.
  const { fields: evidence, record } = await inSlices(
    extractFromCallSteps(transcript.lines, {
      now,
      regions: language === 'en' ? ['US', 'GB'] : language === 'zh-Hans' ? ['CN'] : ['TW', 'HK'],
    }),
  );
  // Caller details the telephony system knows are as good as a contact point said in the call.
  const callerPhone = fields.data.callerPhone && parsePhoneNumberFromString(fields.data.callerPhone, 'US')?.number;
  if (callerPhone && !record.phone) record.phone = callerPhone;
  if (fields.data.callerEmail && !record.email) record.email = fields.data.callerEmail.toLowerCase();
  const unsure = (Object.entries(evidence) as Array<[keyof CallFields, NonNullable<CallFields[keyof CallFields]>]>)
    .filter(([, e]) => e.confidence < LOW_CONFIDENCE)
    .map(([k]) => (k === 'email' || k === 'phone' ? 'contact' : k) as Field)
    .filter((f) => f !== 'description');
  // Same call id, or the same file, is the same call: the message key makes a second upload a no-op.
  const key = fields.data.callId
    ? `call:${fields.data.callId}`
    : `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const inbound: Inbound = {
    channel: PHONE_CHANNEL,
    conversationKey: key,
    messageKey: key,
    // The engine cuts it to what the dialog reads (MAX_MESSAGE_CHARS), as for every channel.
    text: customerText,
    style: 'call',
    record,
    unsure,
    receivedAt: fields.data.receivedAt ?? now.toISOString(),
    sender: { id: record.email ?? record.phone ?? key },
    // The caller number comes from the contact centre's telephony, not from the caller; what was said in the call,
    // and callerEmail (what the caller gave), is not proof and links no history.
    verified: callerPhone ? { account: `phone:${callerPhone}` } : {},
    address: { email: record.email ?? null, phone: record.phone ?? null, subject: 'Your call with us' },
    payload: {
      call: {
        format: transcript.format,
        speakers: transcript.speakers,
        speakerNote: transcript.speakerNote ?? null,
        language,
        evidence,
        transcript: transcript.lines,
        ...fields.data,
      },
    },
  };
  return { inbound, lines: transcript.lines.length };
}
