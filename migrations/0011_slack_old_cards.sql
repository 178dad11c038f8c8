-- Console messages a ticket had in channels it has since moved out of (reassigned to another department), as
-- [{"channel": "C…", "ts": "…"}]: erasing the customer must reach those threads too, not only the current one.
ALTER TABLE tickets ADD COLUMN slack_old_cards jsonb NOT NULL DEFAULT '[]'::jsonb;
