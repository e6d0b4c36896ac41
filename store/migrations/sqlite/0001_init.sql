-- Signpost schema v1. Times are INTEGER unix microseconds (UTC);
-- localised text and option lists are JSON text; probabilities are a BLOB of
-- little-endian float64s, so a value reads back bit-identical and decodes
-- without parsing.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT    NOT NULL UNIQUE,
  display_name  TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  role          TEXT    NOT NULL CHECK (role IN ('forecaster', 'admin')),
  created_at    INTEGER NOT NULL
);

CREATE TABLE tournaments (
  id            INTEGER PRIMARY KEY,
  slug          TEXT    NOT NULL UNIQUE,
  title         TEXT    NOT NULL,
  description   TEXT    NOT NULL DEFAULT '{}',
  starts_at     INTEGER NOT NULL,
  ends_at       INTEGER NOT NULL,
  extra         TEXT    NOT NULL DEFAULT '{}',
  -- bumped by every change that alters scores (resolution, annulment,
  -- import, team membership): the key of cached leaderboards
  score_version INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);

CREATE TABLE questions (
  id            INTEGER PRIMARY KEY,
  tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
  slug          TEXT    NOT NULL,
  position      INTEGER NOT NULL,
  kind          TEXT    NOT NULL CHECK (kind IN ('binary', 'multiple_choice', 'ordered')),
  title         TEXT    NOT NULL,
  criteria      TEXT    NOT NULL,
  options       TEXT    NOT NULL,
  area          TEXT    NOT NULL DEFAULT '',
  opens_at      INTEGER NOT NULL,
  closes_at     INTEGER NOT NULL,
  outcome       INTEGER,
  resolved_at   INTEGER,
  annulled      INTEGER NOT NULL DEFAULT 0,
  annul_reason  TEXT    NOT NULL DEFAULT '',
  extra         TEXT    NOT NULL DEFAULT '{}',
  -- bumped on every resolution, annulment or import into the question
  revision      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  UNIQUE (tournament_id, slug),
  CHECK (opens_at < closes_at)
);

CREATE TABLE forecasts (
  id            INTEGER PRIMARY KEY,
  question_id   INTEGER NOT NULL REFERENCES questions(id),
  tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
  user_id       INTEGER NOT NULL REFERENCES users(id),
  probabilities BLOB    NOT NULL,
  rationale     TEXT    NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL
);
-- "latest forecast of each user on a question", "my history", one question's scoring
CREATE INDEX forecasts_question_user_time ON forecasts (question_id, user_id, created_at, probabilities);
-- "all forecasts of a tournament in time order" (export)
CREATE INDEX forecasts_tournament_time ON forecasts (tournament_id, created_at);

CREATE TABLE teams (
  id            INTEGER PRIMARY KEY,
  tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
  name          TEXT    NOT NULL,
  invite_code   TEXT    NOT NULL UNIQUE,
  created_by    INTEGER REFERENCES users(id),
  created_at    INTEGER NOT NULL,
  UNIQUE (tournament_id, name)
);

CREATE TABLE team_members (
  team_id       INTEGER NOT NULL REFERENCES teams(id),
  tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
  user_id       INTEGER NOT NULL REFERENCES users(id),
  joined_at     INTEGER NOT NULL,
  PRIMARY KEY (team_id, user_id),
  -- one team per user per tournament
  UNIQUE (tournament_id, user_id)
);

CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  tournament_id INTEGER REFERENCES tournaments(id),
  question_id   INTEGER REFERENCES questions(id),
  actor_id      INTEGER REFERENCES users(id),
  action        TEXT    NOT NULL,
  old_value     TEXT,
  new_value     TEXT,
  reason        TEXT    NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL
);
CREATE INDEX audit_log_tournament ON audit_log (tournament_id, id);
