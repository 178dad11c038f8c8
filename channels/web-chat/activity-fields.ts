/** What a Bot Framework activity (Direct Line or the Bot Connector) carries that becomes part of an Inbound message. */
import { z } from 'zod';
import type { Inbound } from '../../src/core/ports.ts';

/** The parts of an activity both endpoints read. */
interface ActivityLike {
  text?: string;
  from?: { id?: string; name?: string };
  attachments?: Array<{ name?: string; contentType?: string; contentUrl?: string }>;
}

/** The text, the sender and the attachments (by reference: the file itself is not fetched) of an activity. */
export function activityFields(a: ActivityLike): Pick<Inbound, 'text' | 'sender' | 'attachments'> {
  return {
    text: a.text ?? '',
    sender: { id: a.from?.id ?? 'user', name: a.from?.name },
    attachments: (a.attachments ?? []).map((x) => ({
      name: x.name ?? 'attachment',
      contentType: x.contentType ?? 'application/octet-stream',
      url: x.contentUrl,
    })),
  };
}

/** The fields of a customer's message activity every Direct Line endpoint validates the same way (bounded strings). */
export const activityShape = {
  id: z.string().max(256).optional(),
  text: z.string().optional(),
  locale: z.string().max(32).optional(),
  from: z
    .object({ id: z.string().max(256).optional(), name: z.string().max(256).optional() })
    .loose()
    .optional(),
  channelData: z
    .object({ clientActivityID: z.string().max(256).optional() })
    .loose()
    .optional(),
};
