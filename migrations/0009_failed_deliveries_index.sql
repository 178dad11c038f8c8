-- /metrics counts messages whose delivery failed on every scrape: a partial index keeps that off the messages table.
CREATE INDEX messages_failed ON messages (channel) WHERE delivery = 'failed';
