-- Customer tiers (issue #16 item 6). A customers row is one conversation's customer, so a tier that must reach the
-- same person's next complaint is kept on the identities a channel vouches for (an email address, a channel account
-- such as slack:U… or phone:+E.164): customer_tiers. customers.tier is the tier staff set on one ticket's customer
-- (its conversation's later complaints keep it). The tier a new ticket gets is the most recently set of the two.
-- Tier ids are routing.yaml's `tiers`; an id no longer configured counts as the default tier, so no CHECK here.
ALTER TABLE customers ADD COLUMN tier text, ADD COLUMN tier_set_at timestamptz;

CREATE TABLE customer_tiers (
  kind    text NOT NULL CHECK (kind IN ('email', 'channel')),
  value   text NOT NULL,
  tier    text NOT NULL,
  set_by  text NOT NULL,
  set_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, value)
);

-- Who changed a tier, when, from what to what, and how (the staff API, the Slack card, a CSV import). One row per
-- real change: setting the tier a customer already has records nothing, so importing a file twice changes nothing.
-- A change is either of an identity (kind, value) or of one ticket's customer (customer_id, ticket_id).
CREATE TABLE customer_tier_changes (
  id           bigserial PRIMARY KEY,
  customer_id  bigint REFERENCES customers(id) ON DELETE SET NULL,
  kind         text CHECK (kind IN ('email', 'channel')),
  value        text,
  ticket_id    bigint REFERENCES tickets(id) ON DELETE SET NULL,
  from_tier    text,
  to_tier      text NOT NULL,
  actor        text NOT NULL,
  via          text NOT NULL CHECK (via IN ('api', 'slack', 'import')),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_tier_changes_point ON customer_tier_changes (kind, value);
CREATE INDEX customer_tier_changes_customer ON customer_tier_changes (customer_id);
