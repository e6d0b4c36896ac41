-- A tournament may count its conditional branches on the main leaderboard
{{if sqlite}}
-- too (they always have their own, ?kind=conditional): 0 keeps them off
-- it, as before.
{{else}}
-- too (the PostgreSQL twin of migrations/sqlite/0009_conditionals_on_main.sql):
-- 0 keeps them off it, as before.
{{end}}

ALTER TABLE tournaments ADD COLUMN conditionals_on_main {{int}} NOT NULL DEFAULT 0
  CHECK (conditionals_on_main IN (0, 1));
