-- Redress core schema: customers, conversations, messages, tickets, their audit trail, follow-ups.

CREATE TABLE customers (
  id          bigserial PRIMARY KEY,
  name        text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A customer is reached through contact points: email, phone, or a channel's own address.
CREATE TABLE contact_points (
  id           bigserial PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers(id),
  kind         text NOT NULL CHECK (kind IN ('email', 'phone', 'channel')),
  value        text NOT NULL,
  verified     boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (customer_id, kind, value)
);
CREATE INDEX contact_points_lookup ON contact_points (kind, value);

CREATE TABLE conversations (
  id                bigserial PRIMARY KEY,
  channel           text NOT NULL,
  conversation_key  text NOT NULL,
  customer_id       bigint NOT NULL REFERENCES customers(id),
  language          text NOT NULL DEFAULT 'en',
  state             jsonb NOT NULL DEFAULT '{}'::jsonb,
  version           integer NOT NULL DEFAULT 0,
  address           jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, conversation_key)
);

-- Every inbound and outbound message. message_key is the channel's own id of an inbound message:
-- the unique index is what makes a redelivery a no-op.
CREATE TABLE messages (
  id               bigserial PRIMARY KEY,
  conversation_id  bigint NOT NULL REFERENCES conversations(id),
  direction        text NOT NULL CHECK (direction IN ('in', 'out')),
  channel          text NOT NULL,
  message_key      text,
  reply_to         bigint REFERENCES messages(id),
  followup_id      bigint,
  text             text NOT NULL DEFAULT '',
  payload          jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX messages_channel_key ON messages (channel, message_key) WHERE message_key IS NOT NULL;
CREATE INDEX messages_conversation ON messages (conversation_id, id);

CREATE SEQUENCE ticket_reference_seq START 1;

CREATE TABLE tickets (
  id               bigserial PRIMARY KEY,
  reference        text NOT NULL UNIQUE,
  conversation_id  bigint NOT NULL REFERENCES conversations(id),
  customer_id      bigint NOT NULL REFERENCES customers(id),
  channel          text NOT NULL,
  language         text NOT NULL,
  department       text NOT NULL,
  category         text NOT NULL,
  severity         text NOT NULL CHECK (severity IN ('ordinary', 'serious', 'urgent')),
  status           text NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'reopened', 'closed', 'withdrawn')),
  handoff          boolean NOT NULL DEFAULT false,
  record           jsonb NOT NULL,
  restatement      text NOT NULL,
  routing          jsonb NOT NULL DEFAULT '{}'::jsonb,
  sla_due_at       timestamptz NOT NULL,
  resolved_at      timestamptz,
  satisfaction     integer,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tickets_status ON tickets (status, created_at);
CREATE INDEX tickets_conversation ON tickets (conversation_id);

-- Append-only audit trail: the trigger refuses updates and deletes.
CREATE TABLE ticket_events (
  id          bigserial PRIMARY KEY,
  ticket_id   bigint NOT NULL REFERENCES tickets(id),
  kind        text NOT NULL,
  actor       text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

CREATE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ticket_events is append-only';
END $$;
CREATE TRIGGER ticket_events_append_only BEFORE UPDATE OR DELETE ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only();

-- Follow-ups are the truth about scheduled work; pg-boss jobs only wake a process at due_at.
CREATE TABLE followups (
  id               bigserial PRIMARY KEY,
  ticket_id        bigint NOT NULL REFERENCES tickets(id),
  conversation_id  bigint NOT NULL REFERENCES conversations(id),
  kind             text NOT NULL CHECK (kind IN ('acknowledgement', 'sla_reminder', 'satisfaction_check', 'second_followup')),
  audience         text NOT NULL CHECK (audience IN ('customer', 'staff')),
  due_at           timestamptz NOT NULL,
  state            text NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'sent', 'cancelled')),
  fired_at         timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX followups_due ON followups (due_at) WHERE state = 'scheduled';
CREATE INDEX followups_ticket ON followups (ticket_id);

CREATE TABLE settings (
  key    text PRIMARY KEY,
  value  text NOT NULL
);
