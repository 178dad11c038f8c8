-- The manager summary's roll-up (issue #17 item 6): /api/summary, the dashboard and the digests read sums from here
-- instead of scanning every ticket of a period. Triggers mark a changed ticket in the same transaction as the change;
-- the roll-up is rebuilt incrementally from the marks before each read and every minute.
--
-- ticket_facts holds, per ticket, every value the summary counts by (copied from the ticket, or derived from its events,
-- resolutions, recovery tasks and customer), so a figure is a function of one row. Statement-level triggers on the
-- source tables mark the tickets a statement touched; ticket_facts_drain refreshes their facts (ticket_facts_refresh);
-- a trigger on ticket_facts turns each change of a row into signed contributions (summary_contributions: minus the old
-- row's, plus the new row's) appended to summary_rollup. Appending, rather than updating a shared row, means two
-- drains never wait on each other's counts; summary_rollup_compact (run by the periodic sweep) folds the appended rows
-- into one row per key. A reader drains, then sums whatever is there, folded or not, so the figures are exact.
--
-- Grains: 'm' and 'd' rows are per UTC month and day, for every dimension; 'h' rows are per UTC hour, for the totals
-- only, so the per-day chart can be cut at midnight in any time zone. A period is read from its whole UTC months,
-- then its whole UTC days, and whatever is left (or, for the chart, every hour that spans a midnight of the zone) from
-- ticket_facts itself through the same function.

CREATE TABLE ticket_facts (
  ticket_id          bigint PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  created_at         timestamptz NOT NULL,
  department         text NOT NULL,
  channel            text NOT NULL,
  category           text NOT NULL,
  severity           text NOT NULL,
  status             text NOT NULL,
  handoff            boolean NOT NULL,
  claimed_by         text,
  customer_id        bigint NOT NULL,
  tier               text,
  sla_due_at         timestamptz NOT NULL,
  resolved_at        timestamptz,
  first_response_at  timestamptz,
  first_score        int,
  last_score         int,
  ever_resolved      boolean NOT NULL,
  reopened           boolean NOT NULL,
  staff_replies      int NOT NULL,
  -- One element per resolution: {"k": "remedy|currency", "cost": n}; causes are distinct "cause|fault".
  remedies           jsonb NOT NULL,
  causes             text[] NOT NULL,
  -- One element per recovery task: {"owner": …, "contacted": bool, "recovered": bool}.
  recovery           jsonb NOT NULL
);
CREATE INDEX ticket_facts_created ON ticket_facts (created_at) INCLUDE (department, customer_id);
-- Open tickets not yet due: the one SLA figure that depends on the reader's clock is counted from here.
CREATE INDEX ticket_facts_due ON ticket_facts (sla_due_at) WHERE resolved_at IS NULL AND status <> 'withdrawn';
-- The quotes of a period's top categories are its latest tickets of each (of each department's, for a department).
CREATE INDEX tickets_category_created ON tickets (category, created_at);
CREATE INDEX tickets_department_category_created ON tickets (department, category, created_at);

CREATE TABLE summary_rollup (
  grain          char(1) NOT NULL CHECK (grain IN ('m', 'd', 'h')),
  bucket         timestamptz NOT NULL,
  department     text NOT NULL,
  dim            text NOT NULL,
  value          text NOT NULL,
  folded         boolean NOT NULL DEFAULT false,
  n              int NOT NULL DEFAULT 0,
  waiting        int NOT NULL DEFAULT 0,
  resolved       int NOT NULL DEFAULT 0,
  withdrawn      int NOT NULL DEFAULT 0,
  handoff        int NOT NULL DEFAULT 0,
  unresolved     int NOT NULL DEFAULT 0,
  sla_met        int NOT NULL DEFAULT 0,
  sla_late       int NOT NULL DEFAULT 0,
  ever_resolved  int NOT NULL DEFAULT 0,
  reopened       int NOT NULL DEFAULT 0,
  first_contact  int NOT NULL DEFAULT 0,
  sat_n          int NOT NULL DEFAULT 0,
  sat_sum        int NOT NULL DEFAULT 0,
  sat_low        int NOT NULL DEFAULT 0,
  sat_recovered  int NOT NULL DEFAULT 0,
  rec_tasks      int NOT NULL DEFAULT 0,
  rec_contacted  int NOT NULL DEFAULT 0,
  rec_recovered  int NOT NULL DEFAULT 0,
  -- A remedy's cost to the company, and how many of its resolutions had one (none: the cost is unknown, not 0).
  costed         int NOT NULL DEFAULT 0,
  cost           numeric NOT NULL DEFAULT 0
);
CREATE INDEX summary_rollup_bucket ON summary_rollup (grain, bucket);
-- The per-day chart reads a year of hours (8,760 per department) from the index alone.
CREATE INDEX summary_rollup_hours ON summary_rollup (bucket) INCLUDE (department, n) WHERE grain = 'h';
CREATE UNIQUE INDEX summary_rollup_folded ON summary_rollup (grain, bucket, department, dim, value) WHERE folded;

-- A duration in hours as a histogram key: to 0.01 h under 10 h, 0.1 h under 100 h, then to the hour, so the median
-- and 90th percentile read from the histogram are those of the durations kept at that precision.
CREATE FUNCTION summary_hours_key(h float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN h < 10 THEN round(h::numeric, 2) WHEN h < 100 THEN round(h::numeric, 1) ELSE round(h::numeric, 0) END::text
$$;

-- What one ticket's facts add to the roll-up, times `sign` (1 to add, -1 to take back). Statuses: waiting are open,
-- in_progress and reopened, resolved are resolved and closed (src/domain/ticket-status.ts); staff are Slack users and
-- the staff API, as the summary has always counted a first response.
CREATE FUNCTION summary_contributions(f ticket_facts, sign int)
RETURNS TABLE (grain char(1), bucket timestamptz, dim text, value text, n int, waiting int, resolved int, withdrawn int,
               handoff int, unresolved int, sla_met int, sla_late int, ever_resolved int, reopened int,
               first_contact int, sat_n int, sat_sum int, sat_low int, sat_recovered int, rec_tasks int,
               rec_contacted int, rec_recovered int, costed int, cost numeric)
LANGUAGE sql IMMUTABLE AS $$
  WITH m AS (
    SELECT sign AS n,
           sign * (f.status IN ('open', 'in_progress', 'reopened'))::int AS waiting,
           sign * (f.status IN ('resolved', 'closed'))::int AS resolved,
           sign * (f.status = 'withdrawn')::int AS withdrawn,
           sign * f.handoff::int AS handoff,
           sign * (f.resolved_at IS NULL AND f.status <> 'withdrawn')::int AS unresolved,
           sign * (f.resolved_at IS NOT NULL AND f.resolved_at <= f.sla_due_at)::int AS sla_met,
           sign * (f.resolved_at IS NOT NULL AND f.resolved_at > f.sla_due_at)::int AS sla_late,
           sign * f.ever_resolved::int AS ever_resolved,
           sign * f.reopened::int AS reopened,
           sign * (f.status IN ('resolved', 'closed') AND NOT f.reopened AND f.staff_replies <= 1)::int AS first_contact,
           sign * (f.first_score IS NOT NULL)::int AS sat_n,
           sign * coalesce(f.first_score, 0) AS sat_sum,
           sign * coalesce(f.first_score <= 2, false)::int AS sat_low,
           sign * coalesce(f.first_score <= 2 AND f.last_score >= 4, false)::int AS sat_recovered,
           sign * jsonb_array_length(f.recovery) AS rec_tasks,
           sign * (SELECT count(*) FILTER (WHERE (r->>'contacted')::boolean) FROM jsonb_array_elements(f.recovery) r)::int AS rec_contacted,
           sign * (SELECT count(*) FILTER (WHERE (r->>'recovered')::boolean) FROM jsonb_array_elements(f.recovery) r)::int AS rec_recovered),
  -- Each row under its UTC day and again under its UTC month.
  per AS (SELECT 'd'::char(1) AS g, date_trunc('day', f.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS d
          UNION ALL SELECT 'm', date_trunc('month', f.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
  -- The ticket under each dimension it is counted by, with all of its figures.
  SELECT per.g, per.d, x.dim, x.value, m.n, m.waiting, m.resolved, m.withdrawn, m.handoff, m.unresolved,
         m.sla_met, m.sla_late, m.ever_resolved, m.reopened, m.first_contact, m.sat_n, m.sat_sum, m.sat_low,
         m.sat_recovered, m.rec_tasks, m.rec_contacted, m.rec_recovered, 0, 0::numeric
    FROM m, per, (VALUES ('all', ''), ('channel', f.channel), ('category', f.category), ('severity', f.severity),
                         ('staff', coalesce(f.claimed_by, '')), ('tier', coalesce(f.tier, ''))) x(dim, value)
  UNION ALL
  -- Totals per hour, for the per-day chart in any zone.
  SELECT 'h', date_trunc('hour', f.created_at), 'all', '', sign, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  UNION ALL
  -- Histograms of the hours to resolution and to the first staff response.
  SELECT per.g, per.d, 'res_h', summary_hours_key(extract(epoch FROM f.resolved_at - f.created_at) / 3600), sign,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM per WHERE f.resolved_at IS NOT NULL
  UNION ALL
  SELECT per.g, per.d, 'resp_h', summary_hours_key(extract(epoch FROM f.first_response_at - f.created_at) / 3600), sign,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM per WHERE f.first_response_at IS NOT NULL
  UNION ALL
  -- Each resolution's remedy with its cost, each distinct root cause once.
  SELECT per.g, per.d, 'remedy', r->>'k', sign, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         sign * (r->>'cost' IS NOT NULL)::int, sign * coalesce((r->>'cost')::numeric, 0)
    FROM per, jsonb_array_elements(f.remedies) r
  UNION ALL
  SELECT per.g, per.d, 'cause', c, sign, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM per, unnest(f.causes) c
  UNION ALL
  -- Recovery tasks by their owner.
  SELECT per.g, per.d, 'rec_owner', coalesce(r->>'owner', ''), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sign,
         sign * (r->>'contacted')::boolean::int, sign * (r->>'recovered')::boolean::int, 0, 0
    FROM per, jsonb_array_elements(f.recovery) r
$$;

-- Recomputes the facts of the tickets `ids` from their sources; a row whose facts did not change is left alone, so it
-- adds nothing to the roll-up.
CREATE FUNCTION ticket_facts_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO ticket_facts
  SELECT t.id, t.created_at, t.department, t.channel, t.category, t.severity, t.status, t.handoff, t.claimed_by,
         t.customer_id, c.tier, t.sla_due_at, t.resolved_at, e.first_response_at, e.first_score, e.last_score,
         coalesce(e.ever_resolved, false), coalesce(e.reopened, false), coalesce(e.staff_replies, 0),
         coalesce(r.remedies, '[]'::jsonb), coalesce(r.causes, '{}'), coalesce(rt.recovery, '[]'::jsonb)
    FROM (SELECT DISTINCT unnest(ids) AS id) u
    JOIN tickets t ON t.id = u.id
    JOIN customers c ON c.id = t.customer_id
    LEFT JOIN LATERAL (
      SELECT min(created_at) FILTER (WHERE actor LIKE 'slack:%' OR actor = 'staff-api') AS first_response_at,
             (array_agg((data->>'score')::int ORDER BY id) FILTER (WHERE kind = 'satisfaction'))[1] AS first_score,
             (array_agg((data->>'score')::int ORDER BY id DESC) FILTER (WHERE kind = 'satisfaction'))[1] AS last_score,
             bool_or(kind = 'status_resolved') AS ever_resolved,
             bool_or(kind = 'status_reopened') AS reopened,
             count(*) FILTER (WHERE kind = 'staff_reply')::int AS staff_replies
        FROM ticket_events WHERE ticket_id = t.id) e ON true
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(jsonb_build_object('k', remedy || '|' || coalesce(currency, ''), 'cost', cost) ORDER BY id) AS remedies,
             array_agg(DISTINCT cause || '|' || fault) AS causes
        FROM resolutions WHERE ticket_id = t.id) r ON true
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(jsonb_build_object('owner', owner, 'contacted', outcome IS NOT NULL, 'recovered', coalesce(outcome = 'recovered', false)) ORDER BY id) AS recovery
        FROM recovery_tasks WHERE ticket_id = t.id) rt ON true
  ON CONFLICT (ticket_id) DO UPDATE SET
    created_at = EXCLUDED.created_at, department = EXCLUDED.department, channel = EXCLUDED.channel,
    category = EXCLUDED.category, severity = EXCLUDED.severity, status = EXCLUDED.status, handoff = EXCLUDED.handoff,
    claimed_by = EXCLUDED.claimed_by, customer_id = EXCLUDED.customer_id, tier = EXCLUDED.tier,
    sla_due_at = EXCLUDED.sla_due_at, resolved_at = EXCLUDED.resolved_at, first_response_at = EXCLUDED.first_response_at,
    first_score = EXCLUDED.first_score, last_score = EXCLUDED.last_score, ever_resolved = EXCLUDED.ever_resolved,
    reopened = EXCLUDED.reopened, staff_replies = EXCLUDED.staff_replies, remedies = EXCLUDED.remedies,
    causes = EXCLUDED.causes, recovery = EXCLUDED.recovery
  WHERE (ticket_facts.*) IS DISTINCT FROM (EXCLUDED.*)
$$;

-- Appends the signed contributions of changed facts (`added` count plus, `removed` minus), summed per key; a key whose
-- sum is nothing is left out, so a change that moves nothing appends nothing.
CREATE FUNCTION summary_rollup_append(added ticket_facts[], removed ticket_facts[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO summary_rollup (grain, bucket, department, dim, value, n, waiting, resolved, withdrawn, handoff,
                              unresolved, sla_met, sla_late, ever_resolved, reopened, first_contact, sat_n, sat_sum,
                              sat_low, sat_recovered, rec_tasks, rec_contacted, rec_recovered, costed, cost)
  SELECT c.grain, c.bucket, x.department, c.dim, c.value, sum(c.n), sum(c.waiting), sum(c.resolved), sum(c.withdrawn),
         sum(c.handoff), sum(c.unresolved), sum(c.sla_met), sum(c.sla_late), sum(c.ever_resolved), sum(c.reopened),
         sum(c.first_contact), sum(c.sat_n), sum(c.sat_sum), sum(c.sat_low), sum(c.sat_recovered), sum(c.rec_tasks),
         sum(c.rec_contacted), sum(c.rec_recovered), sum(c.costed), sum(c.cost)
    FROM (SELECT f, 1 AS sign FROM unnest(added) f UNION ALL SELECT f, -1 FROM unnest(removed) f) x0,
         LATERAL (SELECT (x0.f).department) x(department),
         LATERAL summary_contributions(x0.f, x0.sign) c
   GROUP BY 1, 2, 3, 4, 5
  HAVING sum(c.n) <> 0 OR sum(c.waiting) <> 0 OR sum(c.resolved) <> 0 OR sum(c.withdrawn) <> 0 OR sum(c.handoff) <> 0
      OR sum(c.unresolved) <> 0 OR sum(c.sla_met) <> 0 OR sum(c.sla_late) <> 0 OR sum(c.ever_resolved) <> 0
      OR sum(c.reopened) <> 0 OR sum(c.first_contact) <> 0 OR sum(c.sat_n) <> 0 OR sum(c.sat_sum) <> 0
      OR sum(c.sat_low) <> 0 OR sum(c.sat_recovered) <> 0 OR sum(c.rec_tasks) <> 0 OR sum(c.rec_contacted) <> 0
      OR sum(c.rec_recovered) <> 0 OR sum(c.costed) <> 0 OR sum(c.cost) <> 0
$$;

CREATE FUNCTION ticket_facts_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its trigger declares.
  IF TG_OP = 'INSERT' THEN
    PERFORM summary_rollup_append(ARRAY(SELECT f::ticket_facts FROM new_facts f), '{}');
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM summary_rollup_append(ARRAY(SELECT f::ticket_facts FROM new_facts f), ARRAY(SELECT f::ticket_facts FROM old_facts f));
  ELSE
    PERFORM summary_rollup_append('{}', ARRAY(SELECT f::ticket_facts FROM old_facts f));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ticket_facts_rollup_insert AFTER INSERT ON ticket_facts
  REFERENCING NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_rollup();
CREATE TRIGGER ticket_facts_rollup_update AFTER UPDATE ON ticket_facts
  REFERENCING OLD TABLE AS old_facts NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_rollup();
CREATE TRIGGER ticket_facts_rollup_delete AFTER DELETE ON ticket_facts
  REFERENCING OLD TABLE AS old_facts FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_rollup();

-- The sources: a statement that adds or changes tickets, events, resolutions or recovery tasks, or a customer's tier,
-- marks the tickets it touched, in its own transaction. Marking only appends: refreshing the facts here would lock a
-- ticket's facts row until commit, and two transactions touching one ticket (an event here, the ticket row there) could
-- then deadlock. ticket_facts_drain refreshes the marked tickets: every reader of the summary runs it first, and the
-- periodic sweep runs it every minute.
CREATE TABLE ticket_facts_dirty (ticket_id bigint NOT NULL);

CREATE FUNCTION ticket_facts_mark(ids bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO ticket_facts_dirty SELECT unnest(ids)
$$;

-- Refreshes the facts of every marked ticket, one drain at a time across processes (the next waits, then finds what
-- was marked since); returns how many tickets it refreshed.
CREATE FUNCTION ticket_facts_drain() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('redress ticket_facts drain'));
  WITH d AS (DELETE FROM ticket_facts_dirty RETURNING ticket_id) SELECT array_agg(DISTINCT ticket_id) INTO ids FROM d;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM ticket_facts_refresh(ids);
  RETURN cardinality(ids);
END $$;

CREATE FUNCTION ticket_facts_from_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM ticket_facts_mark(ARRAY(SELECT id FROM new_rows));
  ELSE
    -- Only the columns the facts copy: the console's cursors and updated_at change far more often.
    PERFORM ticket_facts_mark(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE (n.department, n.channel, n.category, n.severity, n.status, n.handoff, n.claimed_by, n.customer_id,
              n.sla_due_at, n.resolved_at, n.created_at)
             IS DISTINCT FROM (o.department, o.channel, o.category, o.severity, o.status, o.handoff, o.claimed_by,
              o.customer_id, o.sla_due_at, o.resolved_at, o.created_at)));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tickets_facts_insert AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_from_tickets();
CREATE TRIGGER tickets_facts_update AFTER UPDATE ON tickets
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_from_tickets();

CREATE FUNCTION ticket_facts_from_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ticket_facts_mark(ARRAY(SELECT DISTINCT ticket_id FROM new_rows));
  RETURN NULL;
END $$;
CREATE TRIGGER ticket_events_facts AFTER INSERT ON ticket_events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_from_children();
CREATE TRIGGER resolutions_facts_insert AFTER INSERT ON resolutions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_from_children();
CREATE TRIGGER resolutions_facts_update AFTER UPDATE ON resolutions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_from_children();
CREATE TRIGGER recovery_tasks_facts_insert AFTER INSERT ON recovery_tasks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_from_children();
CREATE TRIGGER recovery_tasks_facts_update AFTER UPDATE ON recovery_tasks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_from_children();

CREATE FUNCTION ticket_facts_from_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ticket_facts_mark(ARRAY(
    SELECT t.id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN tickets t ON t.customer_id = n.id
     WHERE n.tier IS DISTINCT FROM o.tier));
  RETURN NULL;
END $$;
CREATE TRIGGER customers_facts_update AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_from_customers();

-- Folds the appended rows into one row per key; returns how many it folded. One fold at a time across every process
-- (a second one, finding the lock taken, folds nothing); rows appended while it runs wait for the next run.
CREATE FUNCTION summary_rollup_compact() RETURNS bigint LANGUAGE sql AS $$
  WITH mine AS (SELECT pg_try_advisory_xact_lock(hashtext('redress summary_rollup fold')) AS ok),
  gone AS (DELETE FROM summary_rollup WHERE NOT folded AND (SELECT ok FROM mine) RETURNING *),
  summed AS (
    SELECT grain, bucket, department, dim, value, count(*) AS rows, sum(n) AS n, sum(waiting) AS waiting,
           sum(resolved) AS resolved, sum(withdrawn) AS withdrawn, sum(handoff) AS handoff,
           sum(unresolved) AS unresolved, sum(sla_met) AS sla_met, sum(sla_late) AS sla_late,
           sum(ever_resolved) AS ever_resolved, sum(reopened) AS reopened, sum(first_contact) AS first_contact,
           sum(sat_n) AS sat_n, sum(sat_sum) AS sat_sum, sum(sat_low) AS sat_low, sum(sat_recovered) AS sat_recovered,
           sum(rec_tasks) AS rec_tasks, sum(rec_contacted) AS rec_contacted, sum(rec_recovered) AS rec_recovered,
           sum(costed) AS costed, sum(cost) AS cost
      FROM gone GROUP BY 1, 2, 3, 4, 5),
  folded AS (
    INSERT INTO summary_rollup AS s (grain, bucket, department, dim, value, folded, n, waiting, resolved, withdrawn,
                                     handoff, unresolved, sla_met, sla_late, ever_resolved, reopened, first_contact,
                                     sat_n, sat_sum, sat_low, sat_recovered, rec_tasks, rec_contacted, rec_recovered, costed, cost)
    SELECT grain, bucket, department, dim, value, true, n, waiting, resolved, withdrawn, handoff, unresolved, sla_met,
           sla_late, ever_resolved, reopened, first_contact, sat_n, sat_sum, sat_low, sat_recovered, rec_tasks,
           rec_contacted, rec_recovered, costed, cost
      FROM summed
    ON CONFLICT (grain, bucket, department, dim, value) WHERE folded DO UPDATE SET
      n = s.n + EXCLUDED.n, waiting = s.waiting + EXCLUDED.waiting, resolved = s.resolved + EXCLUDED.resolved,
      withdrawn = s.withdrawn + EXCLUDED.withdrawn, handoff = s.handoff + EXCLUDED.handoff,
      unresolved = s.unresolved + EXCLUDED.unresolved, sla_met = s.sla_met + EXCLUDED.sla_met,
      sla_late = s.sla_late + EXCLUDED.sla_late, ever_resolved = s.ever_resolved + EXCLUDED.ever_resolved,
      reopened = s.reopened + EXCLUDED.reopened, first_contact = s.first_contact + EXCLUDED.first_contact,
      sat_n = s.sat_n + EXCLUDED.sat_n, sat_sum = s.sat_sum + EXCLUDED.sat_sum, sat_low = s.sat_low + EXCLUDED.sat_low,
      sat_recovered = s.sat_recovered + EXCLUDED.sat_recovered, rec_tasks = s.rec_tasks + EXCLUDED.rec_tasks,
      rec_contacted = s.rec_contacted + EXCLUDED.rec_contacted, rec_recovered = s.rec_recovered + EXCLUDED.rec_recovered,
      costed = s.costed + EXCLUDED.costed, cost = s.cost + EXCLUDED.cost
    RETURNING 1)
  SELECT coalesce(sum(rows), 0)::bigint FROM summed
$$;

-- The tickets already there, 10,000 at a time so a large database is not built in one array.
DO $$
DECLARE lo bigint := 0;
BEGIN
  LOOP
    PERFORM ticket_facts_refresh(ARRAY(SELECT id FROM tickets WHERE id > lo ORDER BY id LIMIT 10000));
    SELECT max(id) INTO lo FROM (SELECT id FROM tickets WHERE id > lo ORDER BY id LIMIT 10000) x;
    EXIT WHEN lo IS NULL;
  END LOOP;
END $$;
SELECT summary_rollup_compact();
