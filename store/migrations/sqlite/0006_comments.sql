-- Comments on questions, and whether a forecaster's profile is public.
-- A comment removed by its author or hidden by an admin stays as a row
-- (removed_at set) so that the audit trail can still point at it.

CREATE TABLE comments (
  id            INTEGER PRIMARY KEY,
  question_id   INTEGER NOT NULL REFERENCES questions(id),
  user_id       INTEGER NOT NULL REFERENCES users(id),
  body          TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  edited_at     INTEGER,
  removed_at    INTEGER,
  removed_by    INTEGER REFERENCES users(id)
);
-- "newest comments of a question", paginated by id
CREATE INDEX comments_question ON comments (question_id, id);

-- When a resolution was last corrected (NULL: never), so that readers are
-- told the answer changed.
ALTER TABLE questions ADD COLUMN corrected_at INTEGER;
-- When a question's text or dates were last edited (NULL: never), shown to
-- forecasters beside the question.
ALTER TABLE questions ADD COLUMN edited_at INTEGER;

-- Hidden profiles still appear on leaderboards; only the profile page is
-- withheld from other forecasters.
ALTER TABLE users ADD COLUMN profile_public INTEGER NOT NULL DEFAULT 1;
