{{if sqlite}}
-- Hardening: user IDs are never reused (AUTOINCREMENT), so a token of a
-- removed user can never name a later one; accounts can be disabled; and a
-- per-user token version revokes every token issued before it changed
-- (password change, sign-out everywhere).
--
-- SQLite cannot add AUTOINCREMENT to a table, so users is rebuilt under the
-- same name (https://sqlite.org/lang_altertable.html#otheralter). Migrate
-- runs this with foreign keys off and checks them before committing; the
-- tables that reference users(id) keep referring to the rebuilt table.

CREATE TABLE users_new (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  username      TEXT    NOT NULL UNIQUE,
  display_name  TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  role          TEXT    NOT NULL CHECK (role IN ('forecaster', 'admin')),
  created_at    INTEGER NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  token_version INTEGER NOT NULL DEFAULT 0
);

INSERT INTO users_new (id, username, display_name, password_hash, role, created_at)
  SELECT id, username, display_name, password_hash, role, created_at FROM users;

DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
{{else}}
-- Hardening (the PostgreSQL twin of migrations/sqlite/0004_hardening.sql):
-- accounts can be disabled, and a per-user token version revokes every
-- token issued before it changed (password change, sign-out everywhere).
-- IDs are never reused here already: users.id is an IDENTITY column, whose
-- sequence never goes back, so no rebuild is needed.
ALTER TABLE users ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN token_version BIGINT NOT NULL DEFAULT 0;
{{end}}
