-- Recovering unhappy customers (issue #16 item 4): a low satisfaction score opens a recovery task, a personal contact
-- owed to the customer by its owner (the claimer, else the department's lead) before due_at. One row per round: a
-- ticket scored low again gets the next round, and past routing.yaml's recovery.max_rounds the round opens already
-- escalated to the department's escalation target. owner is a Slack id (U…/S…) or, escalated without a Slack target,
-- the escalation's name. The task's reminder and breach are ordinary staff follow-ups, linked here so firing one
-- finds its task. outcome, note, recorded_by and recorded_at are what staff recorded of the contact.
CREATE TABLE recovery_tasks (
  id                    bigserial PRIMARY KEY,
  ticket_id             bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  round                 int NOT NULL CHECK (round >= 1),
  owner                 text,
  state                 text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'contacted', 'breached', 'escalated')),
  score                 int,
  due_at                timestamptz NOT NULL,
  outcome               text CHECK (outcome IN ('recovered', 'not_recovered', 'unreachable')),
  note                  text,
  recorded_by           text,
  recorded_at           timestamptz,
  breached_at           timestamptz,
  reminder_followup_id  bigint REFERENCES followups(id) ON DELETE SET NULL,
  breach_followup_id    bigint REFERENCES followups(id) ON DELETE SET NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (ticket_id, round),
  CHECK ((state = 'contacted') = (outcome IS NOT NULL))
);
CREATE INDEX recovery_tasks_reminder ON recovery_tasks (reminder_followup_id) WHERE reminder_followup_id IS NOT NULL;
CREATE INDEX recovery_tasks_breach ON recovery_tasks (breach_followup_id) WHERE breach_followup_id IS NOT NULL;

-- The task's reminder and breach are follow-ups of their own kinds (staff audience).
ALTER TABLE followups DROP CONSTRAINT followups_kind_check;
ALTER TABLE followups ADD CONSTRAINT followups_kind_check
  CHECK (kind IN ('acknowledgement', 'sla_reminder', 'sla_breach', 'satisfaction_check', 'second_followup',
                  'recovery_reminder', 'recovery_breach'));
