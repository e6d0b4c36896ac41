{{if sqlite}}
-- Conditional pairs: a branch question asks a scenario question again on
{{else}}
-- Conditional pairs (the PostgreSQL twin of migrations/sqlite/0007_conditionals.sql):
-- a branch question asks a scenario question again on
{{end}}
-- the assumption that an indicator resolves Yes (or No). It carries its
-- condition (the indicator, the outcome assumed and, for an ordered
-- indicator, the bucket at or above which the indicator counts as Yes)
-- and the scenario question it mirrors. Ordinary questions have NULLs.

ALTER TABLE questions ADD COLUMN condition_question_id {{int}} REFERENCES questions(id);
ALTER TABLE questions ADD COLUMN condition_outcome TEXT CHECK (condition_outcome IN ('yes', 'no'));
ALTER TABLE questions ADD COLUMN condition_threshold {{int}} CHECK (condition_threshold >= 1);
ALTER TABLE questions ADD COLUMN mirrors {{int}} REFERENCES questions(id);

-- one pair per indicator, scenario and threshold: the unique index refuses
-- a duplicate even when two admins create it at once
CREATE UNIQUE INDEX questions_condition ON questions
  (condition_question_id, mirrors, condition_outcome, COALESCE(condition_threshold, 0))
  WHERE condition_question_id IS NOT NULL;
-- "the branches mirroring this scenario question" (automatic resolution)
CREATE INDEX questions_mirrors ON questions (mirrors) WHERE mirrors IS NOT NULL;
