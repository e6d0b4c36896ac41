{{if sqlite}}
-- Signpost schema v1. Times are INTEGER unix microseconds (UTC);
-- localised text and option lists are JSON text; probabilities are a BLOB of
-- little-endian float64s, so a value reads back bit-identical and decodes
-- without parsing.
{{else}}
-- Signpost schema v1 for PostgreSQL: the same tables, columns, indexes and
-- constraints as migrations/sqlite/0001_init.sql (a test compares them).
-- Times are BIGINT unix microseconds (UTC); localised text and option lists
-- are JSON text; probabilities are a BYTEA of little-endian float64s, the
-- same bytes as SQLite's BLOB, so a value reads back bit-identical.
-- Flags are BIGINT 0/1, as in SQLite, so the SQL the two share agrees.
{{end}}

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id            {{id}},
  username      TEXT    NOT NULL UNIQUE,
  display_name  TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  role          TEXT    NOT NULL CHECK (role IN ('forecaster', 'admin')),
  created_at    {{pad int}} NOT NULL
);

CREATE TABLE tournaments (
  id            {{id}},
  slug          TEXT    NOT NULL UNIQUE,
  title         TEXT    NOT NULL,
  description   TEXT    NOT NULL DEFAULT '{}',
  starts_at     {{pad int}} NOT NULL,
  ends_at       {{pad int}} NOT NULL,
  extra         TEXT    NOT NULL DEFAULT '{}',
  -- bumped by every change that alters scores (resolution, annulment,
{{if sqlite}}
  -- import, team membership): the key of cached leaderboards
{{else}}
  -- import, team membership): the key of cached leaderboards, read by
  -- every instance
{{end}}
  score_version {{pad int}} NOT NULL DEFAULT 0,
  created_at    {{pad int}} NOT NULL
);

CREATE TABLE questions (
  id            {{id}},
  tournament_id {{pad int}} NOT NULL REFERENCES tournaments(id),
  slug          TEXT    NOT NULL,
  position      {{pad int}} NOT NULL,
  kind          TEXT    NOT NULL CHECK (kind IN ('binary', 'multiple_choice', 'ordered')),
  title         TEXT    NOT NULL,
  criteria      TEXT    NOT NULL,
  options       TEXT    NOT NULL,
  area          TEXT    NOT NULL DEFAULT '',
  opens_at      {{pad int}} NOT NULL,
  closes_at     {{pad int}} NOT NULL,
  outcome       {{int}},
  resolved_at   {{int}},
  annulled      {{pad int}} NOT NULL DEFAULT 0,
  annul_reason  TEXT    NOT NULL DEFAULT '',
  extra         TEXT    NOT NULL DEFAULT '{}',
{{if sqlite}}
  -- bumped on every resolution, annulment or import into the question
{{end}}
  revision      {{pad int}} NOT NULL DEFAULT 0,
  created_at    {{pad int}} NOT NULL,
  UNIQUE (tournament_id, slug),
  CHECK (opens_at < closes_at)
);

CREATE TABLE forecasts (
  id            {{id}},
  question_id   {{pad int}} NOT NULL REFERENCES questions(id),
  tournament_id {{pad int}} NOT NULL REFERENCES tournaments(id),
  user_id       {{pad int}} NOT NULL REFERENCES users(id),
  probabilities {{pad blob}}   NOT NULL,
  rationale     TEXT    NOT NULL DEFAULT '',
  created_at    {{pad int}} NOT NULL
);
{{if sqlite}}
-- "latest forecast of each user on a question", "my history", one question's scoring
{{end}}
CREATE INDEX forecasts_question_user_time ON forecasts (question_id, user_id, created_at, probabilities);
{{if sqlite}}
-- "all forecasts of a tournament in time order" (export)
{{end}}
CREATE INDEX forecasts_tournament_time ON forecasts (tournament_id, created_at);

CREATE TABLE teams (
  id            {{id}},
  tournament_id {{pad int}} NOT NULL REFERENCES tournaments(id),
  name          TEXT    NOT NULL,
  invite_code   TEXT    NOT NULL UNIQUE,
  created_by    {{pad int}} REFERENCES users(id),
  created_at    {{pad int}} NOT NULL,
  UNIQUE (tournament_id, name)
);

CREATE TABLE team_members (
  team_id       {{pad int}} NOT NULL REFERENCES teams(id),
  tournament_id {{pad int}} NOT NULL REFERENCES tournaments(id),
  user_id       {{pad int}} NOT NULL REFERENCES users(id),
  joined_at     {{pad int}} NOT NULL,
  PRIMARY KEY (team_id, user_id),
{{if sqlite}}
  -- one team per user per tournament
{{end}}
  UNIQUE (tournament_id, user_id)
);

CREATE TABLE audit_log (
  id            {{id}},
  tournament_id {{pad int}} REFERENCES tournaments(id),
  question_id   {{pad int}} REFERENCES questions(id),
  actor_id      {{pad int}} REFERENCES users(id),
  action        TEXT    NOT NULL,
  old_value     TEXT,
  new_value     TEXT,
  reason        TEXT    NOT NULL DEFAULT '',
  created_at    {{pad int}} NOT NULL
);
CREATE INDEX audit_log_tournament ON audit_log (tournament_id, id);
