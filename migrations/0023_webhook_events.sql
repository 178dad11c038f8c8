-- Outbound webhooks (issue #20 item 1). webhook_destinations mirrors the configured destinations (WEBHOOKS, written by
-- every process at start) so the statement that records a change can queue its webhook events in the same
-- transaction, one row per subscribed destination. webhook_events is the outbox: event_id is what a receiver
-- de-duplicates on (the same id on every try), id orders one conversation's events (and so one ticket's) per
-- destination. A delivered row is deleted; a row given up on stays 'failed' (and the ticket gets a webhook_gave_up
-- event).
CREATE TABLE webhook_destinations (
  id          text PRIMARY KEY,
  events      text[] NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_events (
  id               bigserial PRIMARY KEY,
  event_id         uuid NOT NULL,
  destination      text NOT NULL,
  conversation_id  bigint NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  ticket_id        bigint REFERENCES tickets(id) ON DELETE CASCADE,
  kind             text NOT NULL,
  payload          jsonb NOT NULL,
  delivery         text NOT NULL DEFAULT 'pending' CHECK (delivery IN ('pending', 'failed')),
  attempts         int NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, destination)
);
-- The claim's scan (due rows) and its in-order check (an earlier pending row of the same lane).
CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at) WHERE delivery = 'pending';
CREATE INDEX webhook_events_lane ON webhook_events (destination, conversation_id, id) WHERE delivery = 'pending';
