/** One GET …/activities answer, bounded by bytes: whole activities only, and a watermark at the last one included. */
import type { StoredActivity } from './direct-line.ts';

/** A page ready to send. */
export interface ActivityPage {
  /** The JSON body, `{ activities, watermark }`, at most `maxBytes` long unless its one activity alone is larger. */
  body: string;
  /** Activities in the page (a prefix of the rows given). */
  count: number;
  watermark: string;
}

/**
 * Builds the page from `rows` (ordered by id): as many whole activities as fit `maxBytes` of UTF-8 JSON, at least one
 * so a conversation never stalls on an activity larger than the page. The watermark is the last included id, so the
 * client's next poll starts right after it: nothing is lost and nothing comes twice.
 */
export function activityPage(
  conversationId: string,
  rows: StoredActivity[],
  after: number,
  maxBytes: number,
): ActivityPage {
  const parts: string[] = [];
  let last = after;
  // `{"activities":[` + parts joined by commas + `],"watermark":"<id>"}`; ids are at most 16 digits.
  let size = Buffer.byteLength('{"activities":[],"watermark":""}') + 16;
  for (const r of rows) {
    const json = JSON.stringify(toActivity(conversationId, r));
    const bytes = Buffer.byteLength(json) + (parts.length ? 1 : 0);
    if (parts.length && size + bytes > maxBytes) break;
    parts.push(json);
    size += bytes;
    last = r.id;
  }
  const watermark = String(last);
  return {
    body: `{"activities":[${parts.join(',')}],"watermark":${JSON.stringify(watermark)}}`,
    count: parts.length,
    watermark,
  };
}

function toActivity(conversationId: string, r: StoredActivity) {
  const from = r.payload.from as { id?: string; name?: string } | undefined;
  const user = r.direction === 'in';
  return {
    type: 'message',
    id: String(r.id),
    timestamp: new Date(r.created_at).toISOString(),
    channelId: 'directline',
    conversation: { id: conversationId },
    from: user
      ? { id: from?.id ?? 'user', name: from?.name, role: 'user' }
      : { id: 'redress', name: 'Redress', role: 'bot' },
    text: r.text,
    textFormat: 'plain',
    ...(user && r.payload.clientActivityID ? { channelData: { clientActivityID: r.payload.clientActivityID } } : {}),
  };
}
