/** Test fixtures for the store: a customer with a web chat conversation, and a plain ticket opened by the store. */
import { complaintRecordSchema } from '../../../dialogs/types.ts';
import type { Db } from '../../../src/store/db.ts';
import { insertTicket, type TicketRow } from '../../../src/store/tickets.ts';

/** A conversation and its customer, for a ticket to belong to. */
export async function fixtureConversation(db: Db, key: string): Promise<{ conv: number; customer: number }> {
  const customer = (await db.query<{ id: number }>('INSERT INTO customers DEFAULT VALUES RETURNING id')).rows[0].id;
  const conv = (
    await db.query<{ id: number }>(
      "INSERT INTO conversations (channel, conversation_key, customer_id) VALUES ('webchat', $1, $2) RETURNING id",
      [key, customer],
    )
  ).rows[0].id;
  return { conv, customer };
}

/** A serious product-quality ticket on a new conversation `key`, opened by insertTicket as the engine opens one. */
export async function fixtureTicket(db: Db, key: string): Promise<TicketRow> {
  const { conv, customer } = await fixtureConversation(db, key);
  return db.transaction((tx) =>
    insertTicket(tx, {
      conversationId: conv,
      customerId: customer,
      channel: 'webchat',
      language: 'en',
      routing: {
        department: 'quality',
        category: 'product_quality',
        severity: 'serious',
        reasons: ['test'],
        slaHours: 24,
      },
      record: complaintRecordSchema.parse({ description: 'broken kettle' }),
      restatement: 'Your kettle arrived broken.',
      handoff: false,
      slaDueAt: new Date(Date.now() + 86_400_000),
    }),
  );
}
