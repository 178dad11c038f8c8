/** A call transcript as every format parser returns it: ordered lines with a speaker role. */
import { z } from 'zod';
import { RedressError } from '../../src/core/errors.ts';

/** Who spoke a line. */
export const roleSchema = z.enum(['customer', 'agent', 'unknown']);
/** A speaker role. */
export type Role = z.infer<typeof roleSchema>;

/** One line of the call: the speaker's label in the file, the role it resolves to, the words, the time. */
export const transcriptLineSchema = z.object({
  n: z.number().int().positive(),
  label: z.string(),
  role: roleSchema,
  text: z.string(),
  startSeconds: z.number().nonnegative().optional(),
});
/** A transcript line. */
export type TranscriptLine = z.infer<typeof transcriptLineSchema>;

/** Formats Redress reads. */
export const FORMATS = [
  'plain',
  'webvtt',
  'srt',
  'aws-transcribe',
  'aws-contact-lens',
  'google-stt',
  'twilio-sentences',
] as const;
/** A transcript format. */
export type Format = (typeof FORMATS)[number];

/** A parsed transcript: lines and how the speakers' roles were decided. */
export interface Transcript {
  format: Format;
  lines: TranscriptLine[];
  /** labels: the file named the roles; heuristic: decided by what each speaker said; unclear: could not tell. */
  speakers: 'labels' | 'heuristic' | 'unclear';
  speakerNote?: string;
}

/** A transcript the parser could not read: 422 with a precise reason. */
export function malformed(format: string, reason: string, cause?: unknown): RedressError {
  return new RedressError('TRANSCRIPT_INVALID', `not a valid ${format} transcript: ${reason}`, { cause });
}

/** Speaker labels that name a role, in English and Chinese (Simplified and Traditional). */
export function roleOfLabel(label: string): Role {
  const l = label.trim().toLowerCase();
  if (
    /^(customer|caller|client|consumer|user|顾客|顧客|客户|客戶|用户|用戶|买家|買家|来电人|來電人)\b/.test(l) ||
    /^(顾客|顧客|客户|客戶|用户|用戶|买家|買家)/.test(l)
  )
    return 'customer';
  if (
    /^(agent|representative|rep|advisor|adviser|operator|support|staff|associate|客服|坐席|售后|售後|工作人员|工作人員)\b/.test(
      l,
    ) ||
    /^(客服|坐席|工作人员|工作人員)/.test(l)
  )
    return 'agent';
  return 'unknown';
}
