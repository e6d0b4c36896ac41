{{if postgres}}
-- Notice fan-outs (the PostgreSQL twin of migrations/sqlite/0019_notice_fanouts.sql).
{{end}}
-- A question change (resolved, annulled, reopened) whose forecasters have
-- yet to hear of it. The change's transaction writes this row; the notices
-- themselves (each with its forecaster's score) are written after the
-- commit, from a read of the question's forecasts on a reader connection,
-- in short transactions, and the row is deleted with the last of them. A
-- stop in between leaves the row for the next delivery to finish: the
-- notices' keys keep a notice from being written twice. outcome and
-- resolved_at are the resolution as the change made it, which the scores
-- are taken against even if the question is corrected again meanwhile.
CREATE TABLE notice_fanouts (
  question_id {{pad int}} NOT NULL REFERENCES questions(id),
  event       TEXT    NOT NULL,
  revision    {{pad int}} NOT NULL,
  outcome     {{int}},
  resolved_at {{int}},
  created_at  {{pad int}} NOT NULL,
  PRIMARY KEY (question_id, event, revision)
);
