-- Slack's per-ticket state moves out of tickets into a table of its own (issue #15): where the ticket's card is, how
-- far its thread is synced with ticket_events, when its sync may run again (a lease, a rate limit or a failure's
-- backoff), its failures in a row, and its posts outside the card. tickets keeps claimed_by: who has the ticket is a
-- fact of the ticket itself (the staff API's lists, the ticket view and the CSV export show it).
--
-- Every ticket has a row (src/store/tickets.ts inserts it with the ticket), as every ticket had these columns: a
-- workspace connected later still gets the tickets opened before it, and the unposted ones are found by an index.
CREATE TABLE slack_threads (
  ticket_id     bigint PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  channel       text,
  ts            text,
  event_cursor  bigint NOT NULL DEFAULT 0,
  retry_at      timestamptz,
  failures      integer NOT NULL DEFAULT 0,
  elsewhere     jsonb NOT NULL DEFAULT '[]'::jsonb
);

INSERT INTO slack_threads (ticket_id, channel, ts, event_cursor, retry_at, failures, elsewhere)
SELECT id, slack_channel, slack_ts, slack_event_cursor, slack_retry_at, slack_failures, slack_elsewhere FROM tickets;

CREATE INDEX slack_threads_unposted ON slack_threads (ticket_id) WHERE ts IS NULL;
CREATE UNIQUE INDEX slack_threads_message ON slack_threads (channel, ts) WHERE ts IS NOT NULL;

-- Dropping the columns drops their indexes (tickets_slack_pending, tickets_slack_message) with them.
ALTER TABLE tickets
  DROP COLUMN slack_channel,
  DROP COLUMN slack_ts,
  DROP COLUMN slack_event_cursor,
  DROP COLUMN slack_retry_at,
  DROP COLUMN slack_failures,
  DROP COLUMN slack_elsewhere;
