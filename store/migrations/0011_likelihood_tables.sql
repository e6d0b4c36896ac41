{{if postgres}}
-- Likelihood tables (the PostgreSQL twin of migrations/sqlite/0011_likelihood_tables.sql).
{{end}}
-- An admin's likelihood table for an indicator: for the indicator's
-- trigger (as a link spells it), P(trigger | scenario k) for every option
-- k of the scenario question. One per indicator; without one the board
-- derives the table from the crowd's conditional pair or the links.
CREATE TABLE likelihood_tables (
  indicator_question_id {{pad int}} PRIMARY KEY REFERENCES questions(id),
  scenario_question_id  {{pad int}} NOT NULL REFERENCES questions(id),
  -- "yes" (binary), "higher" / "lower" (ordered) or an option index
  "trigger"             TEXT    NOT NULL,
  -- a JSON array, one probability per option of the scenario question
  probabilities         TEXT    NOT NULL,
  updated_by            {{pad int}} REFERENCES users(id),
  updated_at            {{pad int}} NOT NULL,
  CHECK (indicator_question_id <> scenario_question_id)
);
