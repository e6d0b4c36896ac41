{{if sqlite}}
-- Comments on questions, and whether a forecaster's profile is public.
{{else}}
-- Comments on questions, and whether a forecaster's profile is public (the
-- PostgreSQL twin of migrations/sqlite/0006_comments.sql).
{{end}}
-- A comment removed by its author or hidden by an admin stays as a row
-- (removed_at set) so that the audit trail can still point at it.

CREATE TABLE comments (
  id            {{id}},
  question_id   {{pad int}} NOT NULL REFERENCES questions(id),
  user_id       {{pad int}} NOT NULL REFERENCES users(id),
  body          TEXT    NOT NULL,
  created_at    {{pad int}} NOT NULL,
  edited_at     {{int}},
  removed_at    {{int}},
  removed_by    {{pad int}} REFERENCES users(id)
);
-- "newest comments of a question", paginated by id
CREATE INDEX comments_question ON comments (question_id, id);

-- When a resolution was last corrected (NULL: never), so that readers are
-- told the answer changed.
ALTER TABLE questions ADD COLUMN corrected_at {{int}};
-- When a question's text or dates were last edited (NULL: never), shown to
-- forecasters beside the question.
ALTER TABLE questions ADD COLUMN edited_at {{int}};

-- Hidden profiles still appear on leaderboards; only the profile page is
-- withheld from other forecasters.
ALTER TABLE users ADD COLUMN profile_public {{int}} NOT NULL DEFAULT 1;
