-- Notifications in the app, and each account's preferences for them and
-- for e-mail.
--
-- A notification names its kind and keeps the facts its text is rendered
-- from (data, a JSON object: a score, an outcome, a comment's excerpt);
-- titles are read from the question at display time, so an edited title
-- shows everywhere. dedupe_key is unique per user: whatever notices the
-- same thing twice (a sweep run again, two instances) writes it once.
CREATE TABLE notifications (
  id            {{idAutoincrement}},
  user_id       {{pad int}} NOT NULL REFERENCES users(id),
  kind          TEXT    NOT NULL,
  question_id   {{pad int}} REFERENCES questions(id),
  tournament_id {{pad int}} REFERENCES tournaments(id),
  data          TEXT    NOT NULL DEFAULT '{}',
  dedupe_key    TEXT    NOT NULL,
  created_at    {{pad int}} NOT NULL,
  read_at       {{int}}
);
CREATE UNIQUE INDEX notifications_dedupe ON notifications (user_id, dedupe_key);
-- "a user's notifications, newest first", paginated by id
CREATE INDEX notifications_user ON notifications (user_id, id);
-- the unread count every page shows
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- An account without a row has the defaults below: the store reads them
-- from here (COALESCE over a LEFT JOIN) so that they live in one place.
CREATE TABLE user_preferences (
  user_id         {{pad int}} PRIMARY KEY REFERENCES users(id),
  language        TEXT    NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'zh')),
  digest          TEXT    NOT NULL DEFAULT 'off' CHECK (digest IN ('off', 'daily', 'weekly')),
  -- a forecast on an open question older than this many days is stale;
  -- 0 counts every standing forecast as stale
  stale_days      {{pad int}} NOT NULL DEFAULT 14 CHECK (stale_days BETWEEN 0 AND 365),
  notify_resolved {{pad int}} NOT NULL DEFAULT 1,
  notify_closing  {{pad int}} NOT NULL DEFAULT 1,
  notify_stale    {{pad int}} NOT NULL DEFAULT 1,
  notify_tripwire {{pad int}} NOT NULL DEFAULT 1,
  notify_replies  {{pad int}} NOT NULL DEFAULT 1,
  updated_at      {{pad int}} NOT NULL
);
