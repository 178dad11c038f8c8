-- Improvement actions (issue #17 item 4): what managers decided to do about a root cause, who owns it and by when,
-- the complaints that led to it, and an append-only history of every change (who, when, what). department and cause
-- are ids of routing.yaml (departments, root_causes), checked by the application as the list may change.
CREATE TABLE improvement_actions (
  id          bigserial PRIMARY KEY,
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  owner       text NOT NULL CHECK (length(owner) BETWEEN 1 AND 100),
  due_on      date NOT NULL,
  department  text,
  cause       text,
  state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'in_progress', 'done', 'cancelled')),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX improvement_actions_state ON improvement_actions (state, due_on);

-- The tickets an action answers; a ticket purged by retention leaves its actions.
CREATE TABLE improvement_action_tickets (
  action_id  bigint NOT NULL REFERENCES improvement_actions(id),
  ticket_id  bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  linked_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (action_id, ticket_id)
);
CREATE INDEX improvement_action_tickets_ticket ON improvement_action_tickets (ticket_id);

-- Every change of an action: `change` holds the fields changed ({"state": {"from": "open", "to": "done"}}), the
-- tickets linked or unlinked (by reference), or the action as it was created. Rows are never changed or deleted.
CREATE TABLE improvement_action_history (
  id         bigserial PRIMARY KEY,
  action_id  bigint NOT NULL REFERENCES improvement_actions(id),
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  change     jsonb NOT NULL
);
CREATE INDEX improvement_action_history_action ON improvement_action_history (action_id, id);

CREATE FUNCTION improvement_action_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'improvement_action_history is append-only';
END $$;
CREATE TRIGGER improvement_action_history_append_only BEFORE UPDATE OR DELETE ON improvement_action_history
  FOR EACH ROW EXECUTE FUNCTION improvement_action_history_append_only();
