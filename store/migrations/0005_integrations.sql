{{if sqlite}}
-- Integrations: bot accounts, personal API tokens, outgoing webhooks.
{{else}}
-- Integrations (the PostgreSQL twin of migrations/sqlite/0005_integrations.sql):
-- bot accounts, personal API tokens, outgoing webhooks.
{{end}}

-- A bot is an account an AI forecaster uses; leaderboards can rank humans
-- and bots apart.
ALTER TABLE users ADD COLUMN bot {{int}} NOT NULL DEFAULT 0;

-- Personal API tokens. Only the SHA-256 of the secret is kept: a leaked
-- database does not leak working tokens. A revoked token's row is deleted.
CREATE TABLE api_tokens (
  id          {{id}},
  user_id     {{pad int}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name        TEXT    NOT NULL,
  scope       TEXT    NOT NULL CHECK (scope IN ('read', 'forecast', 'admin')),
  hash        TEXT    NOT NULL UNIQUE,
  created_at  {{pad int}} NOT NULL,
  expires_at  {{int}}
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

CREATE TABLE webhooks (
  id            {{id}},
  tournament_id {{pad int}} NOT NULL REFERENCES tournaments(id),
  url           TEXT    NOT NULL,
  format        TEXT    NOT NULL CHECK (format IN ('json', 'slack', 'feishu', 'dingtalk')),
  -- JSON array of event names
  events        TEXT    NOT NULL,
  secret        TEXT    NOT NULL DEFAULT '',
  created_by    {{pad int}} REFERENCES users(id),
  created_at    {{pad int}} NOT NULL
);
CREATE INDEX webhooks_tournament ON webhooks (tournament_id);

-- One row per event and webhook, written in the transaction of the event;
-- a background sender delivers them.
CREATE TABLE webhook_deliveries (
  id              {{id}},
  webhook_id      {{pad int}} NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event           TEXT    NOT NULL,
  -- the generic JSON body, and the human message in the tournament's language
  payload         TEXT    NOT NULL,
  message         TEXT    NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        {{pad int}} NOT NULL DEFAULT 0,
  last_error      TEXT    NOT NULL DEFAULT '',
  next_attempt_at {{pad int}} NOT NULL,
  created_at      {{pad int}} NOT NULL,
  delivered_at    {{int}}
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

-- What the webhook worker has already noticed (a question opened, the
-- leaderboard's top, a question's crowd at its last message), so an event
-- fires once across restarts and instances.
CREATE TABLE webhook_marks (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL DEFAULT '',
  at         {{pad int}} NOT NULL
);

-- Leases make one instance of several the worker: the holder renews its
-- row before it expires; another takes over only once it has.
CREATE TABLE worker_leases (
  name       TEXT    PRIMARY KEY,
  holder     TEXT    NOT NULL,
  expires_at {{pad int}} NOT NULL
);
