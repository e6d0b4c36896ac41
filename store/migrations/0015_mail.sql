-- E-mail: verified addresses, an outbox the sender works through,
-- single-use tokens for the links mails carry, and the digest's holdout.

-- One address per account; it receives mail only once verified_at is set.
CREATE TABLE user_emails (
  user_id     {{pad int}} PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  email       TEXT    NOT NULL UNIQUE,
  verified_at {{int}},
  created_at  {{pad int}} NOT NULL
);

-- One row per message, written in the transaction of what causes it; the
-- sender delivers it at least once. message_id is fixed when the row is
-- written: a message sent but not yet marked sent (the sender stopped in
-- between) goes again with the same Message-ID, which receivers
-- deduplicate, and a message marked sent never goes again.
CREATE TABLE mail_outbox (
  id              {{id}},
  user_id         {{pad int}} REFERENCES users(id) ON DELETE CASCADE,
  -- verify, reset, digest or notification
  kind            TEXT    NOT NULL,
  message_id      TEXT    NOT NULL UNIQUE,
  to_address      TEXT    NOT NULL,
  subject         TEXT    NOT NULL,
  text_body       TEXT    NOT NULL,
  html_body       TEXT    NOT NULL,
  -- the one-click unsubscribe address (List-Unsubscribe), or ''
  unsubscribe_url TEXT    NOT NULL DEFAULT '',
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        {{pad int}} NOT NULL DEFAULT 0,
  last_error      TEXT    NOT NULL DEFAULT '',
  next_attempt_at {{pad int}} NOT NULL,
  created_at      {{pad int}} NOT NULL,
  sent_at         {{int}}
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);

-- Tokens of the links in mails. Only the SHA-256 of the secret is kept.
-- payload is what the token acts on (the address to verify, the question
-- IDs to reaffirm); used_at makes a token single-use.
CREATE TABLE mail_tokens (
  hash       TEXT    PRIMARY KEY,
  user_id    {{pad int}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose    TEXT    NOT NULL CHECK (purpose IN ('verify', 'reset', 'reaffirm', 'unsubscribe')),
  payload    TEXT    NOT NULL DEFAULT '',
  expires_at {{pad int}} NOT NULL,
  used_at    {{int}},
  created_at {{pad int}} NOT NULL
);
CREATE INDEX mail_tokens_user ON mail_tokens (user_id, purpose);

-- Whether a user is held out of digests (SIGNPOST_DIGEST_HOLDOUT), drawn
-- at random once and kept, so the two groups can be compared.
CREATE TABLE digest_groups (
  user_id     {{pad int}} PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  holdout     {{pad int}} NOT NULL,
  assigned_at {{pad int}} NOT NULL
);

-- A digest run, asked for by an admin (requested_by) or by the schedule;
-- the sender builds it and sets done_at.
CREATE TABLE digest_runs (
  id            {{id}},
  tournament_id {{pad int}} REFERENCES tournaments(id),
  requested_by  {{pad int}} REFERENCES users(id),
  created_at    {{pad int}} NOT NULL,
  done_at       {{int}}
);

-- Who a run reached, or would have reached but for the holdout: the
-- report compares what each group did in the week after.
CREATE TABLE digest_recipients (
  run_id   {{pad int}} NOT NULL REFERENCES digest_runs(id) ON DELETE CASCADE,
  user_id  {{pad int}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  holdout  {{pad int}} NOT NULL,
  sent_at  {{pad int}} NOT NULL,
  PRIMARY KEY (run_id, user_id)
);
CREATE INDEX digest_recipients_user ON digest_recipients (user_id, sent_at);
