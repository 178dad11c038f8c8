-- Only verified contact points link a complaint to a customer's earlier tickets (src/store/verified-contacts.ts).
-- Tickets from before that rule keep counting where the channel had vouched for the point: an email customer's From
-- address (their conversation's address) and a Slack customer's user id (on their messages).
INSERT INTO contact_points (customer_id, kind, value, verified)
SELECT DISTINCT c.customer_id, 'email', lower(c.address->>'email'), true
  FROM conversations c
 WHERE c.channel = 'email' AND c.erased_at IS NULL AND coalesce(c.address->>'email', '') <> ''
   AND EXISTS (SELECT 1 FROM tickets t WHERE t.customer_id = c.customer_id)
ON CONFLICT (customer_id, kind, value) DO UPDATE SET verified = true;

INSERT INTO contact_points (customer_id, kind, value, verified)
SELECT DISTINCT c.customer_id, 'channel', 'slack:' || (m.payload->>'slackUser'), true
  FROM messages m JOIN conversations c ON c.id = m.conversation_id
 WHERE c.channel = 'slack' AND c.erased_at IS NULL AND m.direction = 'in' AND coalesce(m.payload->>'slackUser', '') <> ''
   AND EXISTS (SELECT 1 FROM tickets t WHERE t.customer_id = c.customer_id)
ON CONFLICT (customer_id, kind, value) DO UPDATE SET verified = true;
