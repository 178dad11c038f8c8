/** Queries on attachments: files stored with the message that brought them. */
import type { Queryable } from './db.ts';

/** Stores one attachment (its content only when accepted). */
export async function insertAttachment(
  tx: Queryable,
  a: { messageId: number; name: string; contentType: string; size: number; content?: Buffer; refused?: string },
): Promise<void> {
  await tx.query(
    'INSERT INTO attachments (message_id, name, content_type, size, content, refused) VALUES ($1, $2, $3, $4, $5, $6)',
    [a.messageId, a.name, a.contentType, a.size, a.content ?? null, a.refused ?? null],
  );
}

/** Attachments of a conversation's messages, without their content. */
export async function attachmentsOfConversation(db: Queryable, conversationId: number) {
  return (
    await db.query<{
      id: number;
      name: string;
      content_type: string;
      size: number;
      refused: string | null;
      created_at: Date;
    }>(
      `SELECT a.id, a.name, a.content_type, a.size, a.refused, a.created_at FROM attachments a JOIN messages m ON m.id = a.message_id
        WHERE m.conversation_id = $1 ORDER BY a.id`,
      [conversationId],
    )
  ).rows;
}

/** One attachment with its content, for a staff download, and the departments of its conversation's tickets. */
export async function attachmentForDownload(db: Queryable, id: number) {
  return (
    await db.query<{
      id: number;
      name: string;
      content_type: string;
      content: Buffer | null;
      refused: string | null;
      departments: string[];
    }>(
      `SELECT a.id, a.name, a.content_type, a.content, a.refused,
              ARRAY(SELECT t.department FROM tickets t WHERE t.conversation_id = m.conversation_id) AS departments
         FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = $1`,
      [id],
    )
  ).rows[0];
}
