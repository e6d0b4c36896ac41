-- Which aggregate of the standing forecasts a tournament's crowd is (the
-- crowd of every question, the signpost board, the pulse, tripwires):
-- 'median' keeps the crowd every tournament had before.

ALTER TABLE tournaments ADD COLUMN crowd_aggregate TEXT NOT NULL DEFAULT 'median'
  CHECK (crowd_aggregate IN ('median', 'mean_logodds', 'recency_median', 'skill_weighted', 'extremized'));
