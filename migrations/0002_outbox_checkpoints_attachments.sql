-- Outbox for channels that push (email): each outbound message carries its delivery state, so a reply is sent
-- after the turn commits, retried with backoff when the channel is down, and never lost.
ALTER TABLE messages
  ADD COLUMN delivery text NOT NULL DEFAULT 'none' CHECK (delivery IN ('none', 'pending', 'sent', 'failed')),
  ADD COLUMN attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at timestamptz,
  ADD COLUMN last_error text,
  ADD COLUMN delivered_at timestamptz,
  -- The channel's own id of the message (an email's Message-ID), for threading.
  ADD COLUMN external_id text;
CREATE INDEX messages_outbox ON messages (next_attempt_at) WHERE delivery = 'pending';
CREATE INDEX messages_external ON messages (channel, external_id) WHERE external_id IS NOT NULL;

-- How far each inbound stream has been read (an IMAP mailbox: UIDVALIDITY and the last UID), written in the
-- transaction that records the message, so a message is marked read only once it is recorded.
CREATE TABLE channel_checkpoints (
  stream      text PRIMARY KEY,
  position    text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Files customers sent: stored (up to a size limit), listed on the ticket, never rendered or executed.
CREATE TABLE attachments (
  id            bigserial PRIMARY KEY,
  message_id    bigint NOT NULL REFERENCES messages(id),
  name          text NOT NULL,
  content_type  text NOT NULL,
  size          bigint NOT NULL,
  content       bytea,
  refused       text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_message ON attachments (message_id);
