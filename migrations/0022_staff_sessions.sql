-- Staff sign-in (issue #17 item 5). A session is kept on the server: the browser holds only an opaque random cookie,
-- stored here as its SHA-256 so a read of this table cannot be replayed as a cookie. role and departments are what
-- the identity provider said at sign-in (departments NULL: every department); csrf_token is checked on every form.
-- A session ends at expires_at (absolute) or when unused for the configured idle time, and sign-out deletes it.
CREATE TABLE staff_sessions (
  id_hash       text PRIMARY KEY,
  csrf_token    text NOT NULL,
  subject       text NOT NULL,
  display_name  text NOT NULL,
  role          text NOT NULL CHECK (role IN ('manager', 'staff')),
  departments   text[],
  via           text NOT NULL CHECK (via IN ('oidc', 'admin_token', 'one_time_link')),
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);

-- Single-use sign-in tokens, kept as their SHA-256: the one-time link printed at start (kind 'link') and a sign-in
-- under way at the identity provider (kind 'oidc': its state, nonce and PKCE verifier in data, keyed by the browser's
-- flow cookie). used_at is set by the one statement that redeems a token, so a second use finds nothing.
CREATE TABLE staff_sign_in_tokens (
  token_hash  text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('link', 'oidc')),
  data        jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX staff_sign_in_tokens_expires ON staff_sign_in_tokens (expires_at);
