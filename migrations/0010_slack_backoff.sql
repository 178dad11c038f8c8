-- Consecutive failed Slack Web API calls per ticket: the next retry waits 30 s doubling (at most an hour), unless
-- Slack said how long in Retry-After. A success resets it.
ALTER TABLE tickets ADD COLUMN slack_failures integer NOT NULL DEFAULT 0;
