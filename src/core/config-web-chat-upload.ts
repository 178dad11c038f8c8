/** The configuration variables of web chat uploads (issue #18 item 3: photos and PDFs through Web Chat's upload button). */
import { z } from 'zod';

/** The types an upload can be: the ones whose content Redress recognises by its first bytes (channels/web-chat/sniff.ts). */
export const SNIFFABLE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf'] as const;
/** A type an upload can be. */
export type SniffableType = (typeof SNIFFABLE_TYPES)[number];

const DEFAULT_TYPES = SNIFFABLE_TYPES.join(',');

/** The entries of a comma-separated list, trimmed and lower-cased, empty ones dropped. */
const entries = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);

const known = new Set<string>(SNIFFABLE_TYPES);

/** WEB_CHAT_UPLOAD_MAX_BYTES and WEB_CHAT_UPLOAD_TYPES with their schemas and sentences. */
export const webChatUploadVariables = {
  WEB_CHAT_UPLOAD_MAX_BYTES: [
    z.coerce.number().int().min(1024).max(104_857_600).default(10_485_760),
    "Largest web-chat upload in bytes (one message's files together): a larger one is refused with 413 as soon as its body passes the limit, nothing is stored, and the bot says the limit in the chat.",
  ],
  WEB_CHAT_UPLOAD_TYPES: [
    z
      .string()
      .max(1000)
      .default(DEFAULT_TYPES)
      .superRefine((v, ctx) => {
        // Every bad entry is its own problem, so the start-up error lists them all at once.
        for (const e of entries(v))
          if (!known.has(e))
            ctx.addIssue({
              code: 'custom',
              message: `"${e}" is not a type uploads can be checked as (one of ${SNIFFABLE_TYPES.join(', ')})`,
            });
        if (!entries(v).length) ctx.addIssue({ code: 'custom', message: 'names no type' });
      })
      .transform((v) => [...new Set(entries(v))] as SniffableType[]),
    "Comma-separated types a web-chat customer may upload, checked by the file's content (its first bytes), not its name or declared type; any of image/jpeg, image/png, image/gif, image/webp, application/pdf. Another file is refused with 415 and the bot lists the accepted types in the chat.",
  ],
} as const;
