{{if postgres}}
-- Crowd snapshots (the PostgreSQL twin of migrations/sqlite/0017_crowd_snapshots.sql).
{{end}}
-- A question's crowd as the crowd cache last saved it: every forecaster's
-- latest forecast (user, forecast ID, time, probabilities) packed in one
-- blob, holding every forecast of the question with an ID up to
-- through_id. A start reads these and the forecasts stored since, instead
-- of every forecast of every question. A cache: deleting a row only makes
-- the next start read that question's forecasts.
CREATE TABLE crowd_snapshots (
  question_id {{pad int}} PRIMARY KEY REFERENCES questions(id),
  through_id  {{pad int}} NOT NULL,
  latest      {{pad blob}} NOT NULL
);
