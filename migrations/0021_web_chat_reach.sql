-- Reaching a customer after the conversation (issue #16 item 1).
--
-- A web-chat browser keeps a long-lived, revocable resume token (only its SHA-256 is stored): presented to
-- POST /v3/directline/tokens/resume it gives a fresh Direct Line token for the same conversation, so a customer who
-- comes back days later sees their chat and what was sent meanwhile. Each use moves expires_at on (a sliding window);
-- revoking (the customer's "new chat", an erasure) is for good.
CREATE TABLE web_chat_resumes (
  id               bigserial PRIMARY KEY,
  token_hash       bytea NOT NULL UNIQUE,
  conversation_id  bigint NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  used_at          timestamptz,
  expires_at       timestamptz NOT NULL,
  revoked_at       timestamptz
);
CREATE INDEX web_chat_resumes_conversation ON web_chat_resumes (conversation_id);

-- When the customer's page last read the conversation (a pull channel's only sign that someone is there): a message
-- sent while they are away also goes by email.
ALTER TABLE conversations ADD COLUMN seen_at timestamptz;

-- A message the conversation's own channel cannot deliver goes by another (`via`, e.g. email) to `via_address`; it
-- stays in its conversation, so the chat page still shows it when the customer comes back.
ALTER TABLE messages ADD COLUMN via text, ADD COLUMN via_address jsonb;
CREATE INDEX messages_via ON messages (conversation_id, id) WHERE via IS NOT NULL;
