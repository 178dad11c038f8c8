-- Slack staff console: each ticket's message (channel, ts), who claimed it, and how far its thread is synced
-- with the ticket's append-only events. The console is derived from ticket_events, so no ticket change can
-- be missed by Slack and a failed Web API call is simply retried by the next sync.
ALTER TABLE tickets
  ADD COLUMN claimed_by text,
  ADD COLUMN slack_channel text,
  ADD COLUMN slack_ts text,
  ADD COLUMN slack_event_cursor bigint NOT NULL DEFAULT 0,
  ADD COLUMN slack_retry_at timestamptz;
CREATE INDEX tickets_slack_pending ON tickets (id) WHERE slack_ts IS NULL;
CREATE UNIQUE INDEX tickets_slack_message ON tickets (slack_channel, slack_ts) WHERE slack_ts IS NOT NULL;

-- Slack requests already handled (event_id, or an action's id): a retried delivery is acknowledged and ignored.
CREATE TABLE slack_seen (
  key         text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now()
);
