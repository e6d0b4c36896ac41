-- Hardening (the PostgreSQL twin of migrations/sqlite/0004_hardening.sql):
-- accounts can be disabled, and a per-user token version revokes every
-- token issued before it changed (password change, sign-out everywhere).
-- IDs are never reused here already: users.id is an IDENTITY column, whose
-- sequence never goes back, so no rebuild is needed.
ALTER TABLE users ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN token_version BIGINT NOT NULL DEFAULT 0;
