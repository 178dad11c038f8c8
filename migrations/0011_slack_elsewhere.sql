-- Console posts of a ticket outside its current card: cards left in channels it moved out of (reassigned to another
-- department) and SLA-breach notices in escalation channels, as [{"channel": "C…", "ts": "…", "card": true|false}].
-- Erasing the customer must reach those too, not only the current card and its thread.
ALTER TABLE tickets ADD COLUMN slack_elsewhere jsonb NOT NULL DEFAULT '[]'::jsonb;
