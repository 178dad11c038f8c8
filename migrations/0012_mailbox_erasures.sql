-- Message-IDs of erased customers' mails still in the IMAP mailbox, for the process reading it to delete there. Kept
-- only until done: left in the mailbox, a re-read (a new UIDVALIDITY, a fresh install) would take them for new mail,
-- since erasure renames their message keys, and answer them, bringing the customer's words back.
CREATE TABLE mailbox_erasures (
  id         bigserial PRIMARY KEY,
  message_id text NOT NULL,
  queued_at  timestamptz NOT NULL DEFAULT now()
);
