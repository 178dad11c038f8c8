/**
 * The card's line of the files the customer sent (issue #18 item 3): names, types and sizes only. The files themselves
 * are never posted to Slack: staff download them signed in (GET /api/attachments/:id, the dashboard's ticket page).
 */
import { withoutBidi } from '../../src/text/sanitize.ts';

/** One file of the ticket's conversation, as the card shows it. */
export interface CardAttachment {
  name: string;
  contentType: string;
  size: number;
  /** False when it was refused (too large) and not kept. */
  stored: boolean;
}

/** How many files the card names; the rest are counted ("+N more") and listed on the ticket. */
export const CARD_ATTACHMENT_LIMIT = 5;

const SHORT: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/pdf': 'PDF',
};

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);

/**
 * The card's attachments block: one context line "Files: kettle.jpg (JPEG, 12.0 KB); receipt.pdf (PDF, 3.1 KB)",
 * nothing when the customer sent none. Plain text: the names are the customer's and may ping no one.
 */
export function attachmentsBlock(files: CardAttachment[] | undefined): unknown[] {
  if (!files?.length) return [];
  const shown = files.slice(0, CARD_ATTACHMENT_LIMIT);
  const more = files.length - shown.length;
  const entry = (f: CardAttachment) =>
    `${f.name} (${SHORT[f.contentType] ?? f.contentType}, ${size(f.size)}${f.stored ? '' : ', not kept'})`;
  const text = `Files: ${shown.map(entry).join('; ')}${more > 0 ? `; +${more} more` : ''}`;
  return [
    {
      type: 'context',
      block_id: 'attachments',
      elements: [{ type: 'plain_text', text: withoutBidi(text).slice(0, 2000), emoji: false }],
    },
  ];
}
