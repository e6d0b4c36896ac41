{{if postgres}}
-- Import staging (the PostgreSQL twin of migrations/sqlite/0010_import_staging.sql).
{{end}}
-- An import is staged before anything of it is visible: the document is
-- streamed, checked and written here in short transactions, so live
-- writers wait for no more than one of them. Publishing then creates the
-- head (tournament, questions, users, teams) and records the references in
-- one short transaction, the import's commit point, and moves the staged
-- forecasts into forecasts in bounded steps. A server that stops before the
-- commit point drops the staged rows on its next start; after it, it
-- finishes the move.
CREATE TABLE imports (
  id          {{id}},
  state       TEXT    NOT NULL CHECK (state IN ('staging', 'publishing')),
  actor_id    {{int}} NOT NULL DEFAULT 0,
  -- set at the commit point
  tournament_id {{int}} REFERENCES tournaments(id),
  -- forecasts staged (seq 0 .. staged-1) and moved so far
  staged      {{int}} NOT NULL DEFAULT 0,
  moved       {{int}} NOT NULL DEFAULT 0,
  -- the latest created_at in the tournament before the commit point: a
  -- staged forecast after it cannot be stored yet, so it skips the check
  latest      {{int}} NOT NULL DEFAULT 0,
  -- what the import created (users, questions, forecasts so far) as JSON,
  -- for the audit entry written when the move ends
  counts      TEXT    NOT NULL DEFAULT '{}',
  touched_at  {{int}} NOT NULL
);

-- The staged forecasts, seq their place in the document. question_ref and
-- user_ref are the import's own numbers for a question and a user, which
-- may not exist yet while staging; import_refs gives their IDs once they
-- do. Kept by question, so that a step of the move inserts into one part of
-- forecasts_question_user_time rather than all over it: with short steps,
-- each page a step touches is written again.
CREATE TABLE import_forecasts (
  import_id     {{int}} NOT NULL,
  question_ref  {{int}} NOT NULL,
  seq           {{int}} NOT NULL,
  user_ref      {{int}} NOT NULL,
  probabilities {{pad blob}}   NOT NULL,
  rationale     TEXT    NOT NULL DEFAULT '',
  created_at    {{int}} NOT NULL,
  PRIMARY KEY (import_id, question_ref, seq)
){{if sqlite}} WITHOUT ROWID{{end}};

-- kind 0: a question, 1: a user. fresh: a question created by the import,
-- which holds no forecast from before it.
CREATE TABLE import_refs (
  import_id {{int}} NOT NULL,
  kind      {{int}} NOT NULL CHECK (kind IN (0, 1)),
  ref       {{int}} NOT NULL,
  id        {{int}} NOT NULL,
  fresh     {{int}} NOT NULL DEFAULT 0 CHECK (fresh IN (0, 1)),
  PRIMARY KEY (import_id, kind, ref)
){{if sqlite}} WITHOUT ROWID{{end}};
