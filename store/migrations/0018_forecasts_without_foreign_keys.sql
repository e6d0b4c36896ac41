-- forecasts, the one table written at the rate forecasts arrive, keeps no
-- foreign keys. Its references cannot break: both ways in take the question
-- and the tournament from a row read in the same statement (the forecast
-- writer joins questions, the import's move joins the references its commit
-- point recorded), the user from the signed-in account or the import's
-- checked references, and no question, tournament or user row is ever
-- deleted. What the keys cost, measured on one 2-core machine: on
-- PostgreSQL each inserted row ran three lookups that lock the parent row
-- (every batch locking the same tournament row), which doubled the cost
-- of a batch insert; on SQLite an INSERT ... SELECT that checks a foreign
-- key must keep a statement journal, a copy of every page it changes,
-- 15 % of a 10M-forecast import's CPU.
{{if sqlite}}
--
-- SQLite cannot drop a constraint, so the table is rebuilt under the same
-- name (https://sqlite.org/lang_altertable.html#otheralter), with its
-- indexes; nothing refers to forecasts. About a minute for ten million
-- forecasts, once.

CREATE TABLE forecasts_new (
  id            INTEGER PRIMARY KEY,
  question_id   INTEGER NOT NULL,
  tournament_id INTEGER NOT NULL,
  user_id       INTEGER NOT NULL,
  probabilities BLOB    NOT NULL,
  rationale     TEXT    NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL
);

INSERT INTO forecasts_new (id, question_id, tournament_id, user_id, probabilities, rationale, created_at)
  SELECT id, question_id, tournament_id, user_id, probabilities, rationale, created_at FROM forecasts ORDER BY id;

DROP TABLE forecasts;
ALTER TABLE forecasts_new RENAME TO forecasts;

-- "latest forecast of each user on a question", "my history", one question's scoring
CREATE INDEX forecasts_question_user_time ON forecasts (question_id, user_id, created_at, probabilities);
-- "all forecasts of a tournament in time order" (export)
CREATE INDEX forecasts_tournament_time ON forecasts (tournament_id, created_at);
{{end}}
{{if postgres}}

ALTER TABLE forecasts
  DROP CONSTRAINT forecasts_question_id_fkey,
  DROP CONSTRAINT forecasts_tournament_id_fkey,
  DROP CONSTRAINT forecasts_user_id_fkey;
{{end}}
