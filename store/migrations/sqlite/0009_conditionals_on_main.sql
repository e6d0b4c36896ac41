-- A tournament may count its conditional branches on the main leaderboard
-- too (they always have their own, ?kind=conditional): 0 keeps them off
-- it, as before.

ALTER TABLE tournaments ADD COLUMN conditionals_on_main INTEGER NOT NULL DEFAULT 0
  CHECK (conditionals_on_main IN (0, 1));
