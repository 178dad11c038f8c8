-- The monthly voice-of-customer digest (issue #17 item 3) is claimed in the same table as the daily and weekly ones.
ALTER TABLE digests DROP CONSTRAINT digests_kind_check;
ALTER TABLE digests ADD CONSTRAINT digests_kind_check CHECK (kind IN ('daily', 'weekly', 'monthly'));
