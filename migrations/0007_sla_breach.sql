-- An SLA breach is a follow-up of its own: when it fires on a ticket still open, the ticket is escalated to its
-- department's escalation target (an event the Slack console shows and mentions).
ALTER TABLE followups DROP CONSTRAINT followups_kind_check;
ALTER TABLE followups ADD CONSTRAINT followups_kind_check
  CHECK (kind IN ('acknowledgement', 'sla_reminder', 'sla_breach', 'satisfaction_check', 'second_followup'));
