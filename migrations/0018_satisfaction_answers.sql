-- The satisfaction survey's answers (issue #16): one row per question answered, so a survey configured with other
-- questions (routing.yaml `survey:`) needs no new column. question is the id from the survey as it was asked; the
-- answer is in the column of its kind (a score 1–5, yes/no, or the customer's comment). round says which ask it
-- answered: the first satisfaction check or a second follow-up after a low score. tickets.satisfaction keeps the
-- overall score, as before.
CREATE TABLE satisfaction_answers (
  id          bigserial PRIMARY KEY,
  ticket_id   bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  question    text NOT NULL,
  score       smallint CHECK (score BETWEEN 1 AND 5),
  yes         boolean,
  text        text,
  round       text NOT NULL CHECK (round IN ('satisfaction_check', 'second_followup')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (num_nonnulls(score, yes, text) = 1)
);
CREATE INDEX satisfaction_answers_ticket ON satisfaction_answers (ticket_id, id);

-- A comment is the customer's own words: erasing the customer (which always marks their conversations erased_at, in
-- the same transaction: src/store/erasures.ts) blanks it here too, as it blanks the messages it was read from.
CREATE OR REPLACE FUNCTION satisfaction_answers_erase() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE satisfaction_answers SET text = '[erased]'
   WHERE text IS NOT NULL AND ticket_id IN (SELECT id FROM tickets WHERE conversation_id = NEW.id);
  RETURN NEW;
END $$;
CREATE TRIGGER satisfaction_answers_erase AFTER UPDATE OF erased_at ON conversations
  FOR EACH ROW WHEN (NEW.erased_at IS NOT NULL) EXECUTE FUNCTION satisfaction_answers_erase();
