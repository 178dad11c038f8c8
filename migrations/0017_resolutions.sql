-- What staff did about a complaint and why it happened (issue #16): one row per resolution, so a ticket reopened and
-- resolved again keeps each one. remedy and cause are ids from routing.yaml (remedies, root_causes); fault is copied
-- from the cause as it was configured then, so a later edit of the list does not rewrite who was at fault. amount is
-- what the customer got, cost what it cost the company, both in currency (ISO 4217). The message to the customer is
-- the outbound message itself (message_id), not a copy: erasing the customer blanks it in one place.
CREATE TABLE resolutions (
  id           bigserial PRIMARY KEY,
  ticket_id    bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  remedy       text NOT NULL,
  amount       numeric CHECK (amount >= 0),
  currency     text CHECK (currency ~ '^[A-Z]{3}$'),
  cost         numeric CHECK (cost >= 0),
  cause        text NOT NULL,
  fault        text NOT NULL CHECK (fault IN ('product', 'staff', 'process', 'partner', 'misunderstanding')),
  message_id   bigint REFERENCES messages(id),
  resolved_by  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (currency IS NOT NULL OR (amount IS NULL AND cost IS NULL))
);
CREATE INDEX resolutions_ticket ON resolutions (ticket_id, id);
