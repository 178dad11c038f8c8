-- Manager summaries read tickets by creation time (optionally per department) and look up a few event kinds.
CREATE INDEX tickets_created ON tickets (created_at);
CREATE INDEX tickets_department_created ON tickets (department, created_at);
CREATE INDEX ticket_events_kind ON ticket_events (ticket_id, kind);
