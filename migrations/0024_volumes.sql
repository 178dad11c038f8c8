-- Order and customer volumes per day and department (issue #17 item 3), imported from outside (POST /api/volumes,
-- `npx redress volumes import file.csv`), for complaints per 1,000 orders or customers. `day` is a calendar day, read
-- in the summary's time zone. The primary key is (day, department, kind): importing the same day, department and kind
-- again replaces the count (INSERT … ON CONFLICT DO UPDATE), so a corrected file can simply be imported again.
-- Department ids are routing.yaml's, checked when imported (no foreign key: departments are configuration).
CREATE TABLE volumes (
  day          date NOT NULL,
  department   text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('orders', 'customers')),
  count        bigint NOT NULL CHECK (count >= 0),
  imported_by  text NOT NULL,
  imported_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (day, department, kind)
);
