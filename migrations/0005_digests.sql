-- Daily and weekly digests: one row per (kind, period, department) claims the sending, so two processes never
-- send the same digest twice.
CREATE TABLE digests (
  kind          text NOT NULL CHECK (kind IN ('daily', 'weekly')),
  period_start  date NOT NULL,
  department    text NOT NULL,
  sent_at       timestamptz,
  claimed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, period_start, department)
);
