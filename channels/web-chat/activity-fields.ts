/** What a Bot Framework activity (Direct Line or the Bot Connector) carries that becomes part of an Inbound message. */
import { z } from 'zod';
import { isTimeZone } from '../../dialogs/language/zoned-time.ts';
import type { Inbound } from '../../src/core/ports.ts';

/** The parts of an activity both endpoints read. */
interface ActivityLike {
  text?: string;
  /** The client's IANA zone (Web Chat sends it with every activity). */
  localTimezone?: string;
  from?: { id?: string; name?: string };
  attachments?: Array<{ name?: string; contentType?: string; contentUrl?: string }>;
}

/** The text, the sender and the attachments (by reference: the file itself is not fetched) of an activity. */
export function activityFields(a: ActivityLike): Pick<Inbound, 'text' | 'sender' | 'attachments' | 'timeZone'> {
  return {
    ...timeZoneOf(a),
    text: a.text ?? '',
    sender: { id: a.from?.id ?? 'user', name: a.from?.name },
    attachments: (a.attachments ?? []).map((x) => ({
      name: x.name ?? 'attachment',
      contentType: x.contentType ?? 'application/octet-stream',
      url: x.contentUrl,
    })),
  };
}

/** The client's time zone when it is one this runtime knows (anything else is dropped: the bot then says UTC). */
export function timeZoneOf(a: { localTimezone?: string }): { timeZone?: string } {
  return a.localTimezone && isTimeZone(a.localTimezone) ? { timeZone: a.localTimezone } : {};
}

/** The fields of a customer's message activity every Direct Line endpoint validates the same way (bounded strings). */
export const activityShape = {
  id: z.string().max(256).optional(),
  text: z.string().optional(),
  locale: z.string().max(32).optional(),
  // Optional information: a value that is not a short string is ignored, not a reason to refuse the message.
  localTimezone: z.string().max(64).optional().catch(undefined),
  from: z
    .object({ id: z.string().max(256).optional(), name: z.string().max(256).optional() })
    .loose()
    .optional(),
  channelData: z
    .object({ clientActivityID: z.string().max(256).optional() })
    .loose()
    .optional(),
};
