/** The ticket domain module (src/domain/) agrees with the database's CHECK constraints and columns, and with itself. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectSchema } from '../../../dialogs/types.ts';
import { followupAudienceSchema, followupKindSchema, followupStateSchema } from '../../../src/domain/followups.ts';
import {
  REFERENCE_DIGITS,
  REFERENCE_IN_TEXT,
  REFERENCE_PREFIX,
  REFERENCE_TAG,
  ticketReferenceSchema,
} from '../../../src/domain/reference.ts';
import { MOST_URGENT_FIRST, severitySchema } from '../../../src/domain/severity.ts';
import {
  canBecome,
  finishedStatusSchema,
  staffStatusSchema,
  STATUS_TRANSITIONS,
  statusEventKind,
  ticketStatusSchema,
  waitingStatusSchema,
} from '../../../src/domain/ticket-status.ts';
import type { Db } from '../../../src/store/db.ts';
import { ticketRowSchema } from '../../../src/store/tickets.ts';
import { DATABASE_URL, testDb } from '../../helpers.ts';
import { fixtureTicket } from '../store/ticket-fixture.ts';

const kind = DATABASE_URL ? 'pg' : 'pglite';
let db: Db;
beforeAll(async () => {
  db = await testDb(kind);
});
afterAll(async () => db?.close());

/** The values a column's CHECK constraint allows, read back from the migrated database. */
async function allowed(table: string, column: string): Promise<string[]> {
  const r = await db.query<{ def: string }>(
    `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
      WHERE c.contype = 'c' AND c.conrelid = to_regclass($1) AND a.attname = $2`,
    [table, column],
  );
  expect(r.rows).toHaveLength(1);
  return [...r.rows[0].def.matchAll(/'([^']*)'::text/g)].map((m) => m[1]).sort();
}

describe(`the ticket domain against the migrations on ${kind}`, () => {
  it.each([
    ['tickets', 'status', ticketStatusSchema.options],
    ['tickets', 'severity', severitySchema.options],
    ['followups', 'kind', followupKindSchema.options],
    ['followups', 'audience', followupAudienceSchema.options],
    ['followups', 'state', followupStateSchema.options],
  ])('%s.%s allows exactly the values of its zod enum', async (table, column, values) => {
    expect(await allowed(table, column)).toEqual([...values].sort());
  });

  it('has a TicketRow field for every column of tickets, and no other', async () => {
    const columns = await db.query<{ name: string }>(
      "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'tickets'",
    );
    expect(columns.rows.map((c) => c.name).sort()).toEqual(Object.keys(ticketRowSchema.shape).sort());
  });

  const open = (key: string) => fixtureTicket(db, key);

  it('reads a ticket the store opened as a TicketRow, with a reference of the domain format', async () => {
    const t = ticketRowSchema.parse(await open('domain-1'));
    expect(t.status).toBe('open');
    expect(t.claimed_by).toBeNull();
    expect(ticketReferenceSchema.parse(t.reference)).toMatch(
      new RegExp(`^${REFERENCE_PREFIX}\\d{${REFERENCE_DIGITS}}$`),
    );
  });

  it('gives the millionth ticket a seven-digit reference, never a cut one that was given before', async () => {
    await db.query("SELECT setval('ticket_reference_seq', 999999)");
    expect((await open('domain-2')).reference).toBe('CMP-1000000');
    expect(ticketReferenceSchema.parse((await open('domain-3')).reference)).toBe('CMP-1000001');
  });
});

describe('ticket statuses', () => {
  it('splits every status into waiting or finished, and lets staff set only statuses some status may become', () => {
    expect([...waitingStatusSchema.options, ...finishedStatusSchema.options].sort()).toEqual(
      [...ticketStatusSchema.options].sort(),
    );
    const targets = new Set(Object.values(STATUS_TRANSITIONS).flat());
    expect([...targets].sort()).toEqual([...staffStatusSchema.options].sort());
  });

  it('keeps the transitions that were hand-written in src/staff/tickets.ts', () => {
    expect(canBecome('open', 'in_progress')).toBe(true);
    expect(canBecome('resolved', 'reopened')).toBe(true);
    expect(canBecome('withdrawn', 'closed')).toBe(false);
    expect(canBecome('closed', 'resolved')).toBe(false);
    expect(canBecome('no_such_status', 'reopened')).toBe(false);
    expect(statusEventKind('reopened')).toBe('status_reopened');
  });

  it('covers every status a dialog may set', () => {
    const setStatus = effectSchema.options.find((o) => o.shape.type.value === 'set_status')!;
    for (const s of (setStatus.shape as { status: { options: string[] } }).status.options)
      expect(ticketStatusSchema.options).toContain(s);
  });
});

describe('severity and references', () => {
  it('sorts severities most urgent first', () => {
    expect(MOST_URGENT_FIRST).toEqual(['urgent', 'serious', 'ordinary']);
  });

  it('reads references whole, within a subject, and as the email subject tag', () => {
    expect(ticketReferenceSchema.safeParse('CMP-000123').success).toBe(true);
    expect(ticketReferenceSchema.safeParse('CMP-1234567').success).toBe(true);
    for (const bad of ['CMP-12345', 'cmp-000123', 'CMP-000123 ', 'XYZ-000123'])
      expect(ticketReferenceSchema.safeParse(bad).success).toBe(false);
    expect(ticketReferenceSchema.safeParse('CMP-1').error?.issues[0].message).toBe(
      'a ticket reference looks like CMP-000123',
    );
    expect(REFERENCE_IN_TEXT.exec('Re: my kettle [cmp-000042]')?.[0]).toBe('cmp-000042');
    expect(REFERENCE_IN_TEXT.exec('order XCMP-0000421')).toBeNull();
    expect('Re: my kettle [CMP-000042] again'.replace(REFERENCE_TAG, ' ')).toBe('Re: my kettle again');
  });
});
