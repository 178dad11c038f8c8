-- Privacy: a customer's personal data erased on request (npx redress customer erase), closed conversations purged
-- after RETENTION_DAYS. Ticket rows stay (department, category, severity, status, times, score) so figures still add up.

-- Each erasure: who asked, when, a keyed hash of the identifier (never the identifier itself) and what was removed.
-- A retention purge is recorded too, without a subject.
CREATE TABLE erasures (
  id            bigserial PRIMARY KEY,
  reason        text NOT NULL CHECK (reason IN ('request', 'retention')),
  requested_by  text NOT NULL,
  at            timestamptz NOT NULL,
  subject_hash  text,
  counts        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX erasures_subject ON erasures (subject_hash) WHERE subject_hash IS NOT NULL;

-- A scrubbed conversation is marked, so retention never picks it again and lookups skip it.
ALTER TABLE conversations ADD COLUMN erased_at timestamptz;
CREATE INDEX conversations_retention ON conversations (updated_at) WHERE erased_at IS NULL;
-- Mail and call conversations carry the customer's address; an erasure finds them even without a ticket.
CREATE INDEX conversations_address_email ON conversations (lower(address->>'email')) WHERE address ? 'email';
CREATE INDEX conversations_address_phone ON conversations ((address->>'phone')) WHERE address ? 'phone';

-- Replies still waiting for an erased customer are cancelled, never sent.
ALTER TABLE messages DROP CONSTRAINT messages_delivery_check;
ALTER TABLE messages ADD CONSTRAINT messages_delivery_check CHECK (delivery IN ('none', 'pending', 'sent', 'failed', 'cancelled'));

-- ticket_events stays append-only with one exception: inside an erasure (the transaction sets redress.erasing)
-- the customer's words may be removed from `data`; the kind, actor, ticket and time of an event never change.
CREATE OR REPLACE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('redress.erasing', true) = 'on'
     AND NEW.id = OLD.id AND NEW.ticket_id = OLD.ticket_id AND NEW.kind = OLD.kind
     AND NEW.actor = OLD.actor AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ticket_events is append-only';
END $$;
