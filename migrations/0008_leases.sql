-- Work that one process at a time must do (reading an IMAP mailbox) is leased: the holder renews before
-- expires_at; when it dies, another process takes the lease over once it has expired.
CREATE TABLE leases (
  name        text PRIMARY KEY,
  holder      text NOT NULL,
  expires_at  timestamptz NOT NULL
);
