-- Data feeds: an indicator question reads one number from a public JSON or
-- CSV document on a schedule; every fetch leaves a snapshot with the raw
-- body and its SHA-256, so a resolution can be re-checked offline; from
-- the latest good snapshot the server proposes an outcome that forecasters
-- may challenge during a window before it resolves the question.

-- One feed per question. headers is a JSON object of request headers (an
-- API key, a User-Agent): written by admins, never returned, like a
-- webhook's secret. row is the JSON of "last", "first" or
-- {"column", "equals"}; rule the JSON of the number-to-outcome rule.
CREATE TABLE feeds (
  question_id      {{pad int}} PRIMARY KEY REFERENCES questions(id),
  url              TEXT    NOT NULL,
  format           TEXT    NOT NULL CHECK (format IN ('json', 'csv')),
  pointer          TEXT    NOT NULL DEFAULT '',
  column_name      TEXT    NOT NULL DEFAULT '',
  row_spec         TEXT    NOT NULL DEFAULT '',
  every_seconds    {{pad int}} NOT NULL CHECK (every_seconds >= 1),
  rule             TEXT    NOT NULL,
  early_yes        {{pad int}} NOT NULL DEFAULT 0,
  auto_resolve     {{pad int}} NOT NULL DEFAULT 0,
  window_seconds   {{pad int}} NOT NULL DEFAULT 172800,
  enabled          {{pad int}} NOT NULL DEFAULT 0,
  headers          TEXT    NOT NULL DEFAULT '{}',
  -- the fetcher's schedule: when next to fetch, and how many fetches in a
  -- row failed (the backoff grows with it)
  next_fetch_at    {{pad int}} NOT NULL DEFAULT 0,
  failures         {{pad int}} NOT NULL DEFAULT 0,
  updated_by       {{pad int}} REFERENCES users(id),
  updated_at       {{pad int}} NOT NULL
);
CREATE INDEX feeds_due ON feeds (enabled, next_fetch_at);

-- One row per fetch, good or failed. extract is the JSON of how the value
-- was read (format, pointer, column, row) at the time, so that checking a
-- body again does not depend on the feed's current settings. A snapshot
-- outlives its feed: resolutions cite it.
CREATE TABLE feed_snapshots (
  id          {{id}},
  question_id {{pad int}} NOT NULL REFERENCES questions(id),
  url         TEXT    NOT NULL,
  extract     TEXT    NOT NULL,
  status      TEXT    NOT NULL CHECK (status IN ('ok', 'error')),
  -- the number as Go's strconv prints a float64 (round-trips exactly);
  -- empty when the fetch failed
  value       TEXT    NOT NULL DEFAULT '',
  error       TEXT    NOT NULL DEFAULT '',
  sha256      TEXT    NOT NULL DEFAULT '',
  body        {{pad blob}}   NOT NULL,
  fetched_at  {{pad int}} NOT NULL
);
CREATE INDEX feed_snapshots_question ON feed_snapshots (question_id, id);
CREATE INDEX feed_snapshots_ok ON feed_snapshots (question_id, status, id);

-- A proposed resolution from one good snapshot. At most one is pending per
-- question; confirmed, rejected and auto-resolved ones stay as history.
CREATE TABLE feed_proposals (
  id              {{id}},
  question_id     {{pad int}} NOT NULL REFERENCES questions(id),
  snapshot_id     {{pad int}} NOT NULL REFERENCES feed_snapshots(id),
  outcome         {{pad int}} NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected', 'auto_resolved')),
  proposed_at     {{pad int}} NOT NULL,
  challenge_until {{pad int}} NOT NULL,
  decided_by      {{pad int}} REFERENCES users(id),
  decided_at      {{int}}
);
CREATE UNIQUE INDEX feed_proposals_pending ON feed_proposals (question_id) WHERE status = 'pending';
CREATE INDEX feed_proposals_question ON feed_proposals (question_id, id);

-- A forecaster's objection to a proposal, one per person.
CREATE TABLE feed_challenges (
  id          {{id}},
  proposal_id {{pad int}} NOT NULL REFERENCES feed_proposals(id) ON DELETE CASCADE,
  user_id     {{pad int}} NOT NULL REFERENCES users(id),
  reason      TEXT    NOT NULL,
  created_at  {{pad int}} NOT NULL,
  UNIQUE (proposal_id, user_id)
);
