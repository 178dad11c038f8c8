/** Assertions shared by the fault tests: what the database must hold after a crash or an outage. */
import { expect } from 'vitest';
import type { DirectLineConversation } from './direct-line.ts';

/** Anything that runs a statement (the app's Db, or a pg.Pool on the test database). */
export interface Sql {
  query(text: string, params?: unknown[]): Promise<{ rows: any[] }>;
}

/** Driver or server internals that must never reach a client. */
export const LEAKS =
  /SELECT|INSERT|UPDATE|ECONN|terminat|57P0|08006|shutting down|postgres|\.ts:\d|\bat\s+\S+\s+\(|stack/i;

/**
 * For the web chat conversations `convs`: every client activity id a client saw accepted (2xx) is stored exactly
 * once, under the id the client was given, nothing else is stored, and each stored message has its replies from
 * exactly one turn (one transaction: the same xmin). Returns counts for the report.
 */
export async function assertEachAcceptedOnceWithOneReply(
  db: Sql,
  convs: DirectLineConversation[],
): Promise<{ accepted: number; inbound: number; replies: number }> {
  const rows = (
    await db.query(
      `SELECT i.id, i.message_key,
              (SELECT count(*) FROM messages o WHERE o.reply_to = i.id)::int AS replies,
              (SELECT count(DISTINCT o.xmin::text) FROM messages o WHERE o.reply_to = i.id)::int AS turns
         FROM messages i JOIN conversations c ON c.id = i.conversation_id
        WHERE c.channel = 'webchat' AND c.conversation_key = ANY($1::text[]) AND i.direction = 'in'`,
      [convs.map((c) => c.conversationId)],
    )
  ).rows as Array<{ id: number | string; message_key: string; replies: number; turns: number }>;
  const byKey = new Map<string, typeof rows>();
  for (const r of rows) byKey.set(r.message_key, [...(byKey.get(r.message_key) ?? []), r]);

  const expected = new Map<string, string>(); // message key → the id the client was given
  for (const c of convs) {
    for (const a of c.attempts) {
      if (!(a.status && a.status < 300)) continue;
      const key = c.messageKey(a.clientId);
      const id = String(a.body?.id);
      // A retry of an activity the server had already taken answers with the first id, never a new one.
      if (expected.has(key)) expect(id, `the retry of ${key} got the id of the first`).toBe(expected.get(key));
      expected.set(key, id);
    }
  }
  const missingKeys = [...expected.keys()].filter((k) => !byKey.has(k));
  expect(missingKeys, 'accepted messages that are not stored').toEqual([]);
  const extra = [...byKey.keys()].filter((k) => !expected.has(k));
  expect(extra, 'stored messages no client saw accepted').toEqual([]);
  const doubled = [...byKey.entries()].filter(([, v]) => v.length !== 1).map(([k]) => k);
  expect(doubled, 'messages stored more than once').toEqual([]);
  const wrongId = [...expected.entries()].filter(([k, id]) => String(byKey.get(k)![0].id) !== id).map(([k]) => k);
  expect(wrongId, 'accepted ids that are not the stored ids').toEqual([]);
  const unanswered = rows.filter((r) => r.replies < 1).map((r) => r.message_key);
  expect(unanswered, 'messages without a reply').toEqual([]);
  const twice = rows.filter((r) => r.turns !== 1).map((r) => `${r.message_key} (${r.turns} turns)`);
  expect(twice, 'messages answered by more than one turn').toEqual([]);
  return { accepted: expected.size, inbound: rows.length, replies: rows.reduce((n, r) => n + r.replies, 0) };
}
