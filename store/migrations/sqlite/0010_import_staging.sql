-- An import is staged before anything of it is visible: the document is
-- streamed, checked and written here in short transactions, so live
-- writers wait for no more than one of them. Publishing then creates the
-- head (tournament, questions, users, teams) and records the references in
-- one short transaction, the import's commit point, and moves the staged
-- forecasts into forecasts in bounded steps. A server that stops before the
-- commit point drops the staged rows on its next start; after it, it
-- finishes the move.
CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  state       TEXT    NOT NULL CHECK (state IN ('staging', 'publishing')),
  actor_id    INTEGER NOT NULL DEFAULT 0,
  -- set at the commit point
  tournament_id INTEGER REFERENCES tournaments(id),
  -- forecasts staged (seq 0 .. staged-1) and moved so far
  staged      INTEGER NOT NULL DEFAULT 0,
  moved       INTEGER NOT NULL DEFAULT 0,
  -- the latest created_at in the tournament before the commit point: a
  -- staged forecast after it cannot be stored yet, so it skips the check
  latest      INTEGER NOT NULL DEFAULT 0,
  -- what the import created (users, questions, forecasts so far) as JSON,
  -- for the audit entry written when the move ends
  counts      TEXT    NOT NULL DEFAULT '{}',
  touched_at  INTEGER NOT NULL
);

-- The staged forecasts, seq their place in the document. question_ref and
-- user_ref are the import's own numbers for a question and a user, which
-- may not exist yet while staging; import_refs gives their IDs once they
-- do. Kept by question, so that a step of the move inserts into one part of
-- forecasts_question_user_time rather than all over it: with short steps,
-- each page a step touches is written again.
CREATE TABLE import_forecasts (
  import_id     INTEGER NOT NULL,
  question_ref  INTEGER NOT NULL,
  seq           INTEGER NOT NULL,
  user_ref      INTEGER NOT NULL,
  probabilities BLOB    NOT NULL,
  rationale     TEXT    NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (import_id, question_ref, seq)
) WITHOUT ROWID;

-- kind 0: a question, 1: a user. fresh: a question created by the import,
-- which holds no forecast from before it.
CREATE TABLE import_refs (
  import_id INTEGER NOT NULL,
  kind      INTEGER NOT NULL CHECK (kind IN (0, 1)),
  ref       INTEGER NOT NULL,
  id        INTEGER NOT NULL,
  fresh     INTEGER NOT NULL DEFAULT 0 CHECK (fresh IN (0, 1)),
  PRIMARY KEY (import_id, kind, ref)
) WITHOUT ROWID;
