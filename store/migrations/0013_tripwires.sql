{{if postgres}}
-- Tripwires (the PostgreSQL twin of migrations/sqlite/0013_tripwires.sql).
{{end}}
-- A tripwire: a named threshold on a value the server follows (a feed's
-- latest value, a question's crowd, a scenario's implied or evidence
-- probability on the signpost board), with the user who owns it and the
-- action committed to in advance. It fires once when the value crosses
-- the threshold (armed -> fired) and re-arms only once the value is back
-- on the other side; fired_at and fired_value keep its last firing.
CREATE TABLE tripwires (
  id            {{id}},
  tournament_id {{pad int}} NOT NULL REFERENCES tournaments(id),
  name_en       TEXT    NOT NULL DEFAULT '',
  name_zh       TEXT    NOT NULL DEFAULT '',
  kind          TEXT    NOT NULL CHECK (kind IN ('feed', 'crowd', 'implied', 'evidence')),
  question_id   {{pad int}} NOT NULL REFERENCES questions(id),
  -- the option whose probability is watched; NULL for a feed's value
  option_index  {{int}},
  op            TEXT    NOT NULL CHECK (op IN ('>=', '<=')),
  threshold     {{if sqlite}}REAL{{else}}DOUBLE PRECISION{{end}} NOT NULL,
  owner_id      {{pad int}} NOT NULL REFERENCES users(id),
  action_en     TEXT    NOT NULL DEFAULT '',
  action_zh     TEXT    NOT NULL DEFAULT '',
  state         TEXT    NOT NULL DEFAULT 'armed' CHECK (state IN ('armed', 'fired')),
  fired_at      {{int}},
  fired_value   {{if sqlite}}REAL{{else}}DOUBLE PRECISION{{end}},
  created_by    {{pad int}} REFERENCES users(id),
  created_at    {{pad int}} NOT NULL
);
CREATE INDEX tripwires_tournament ON tripwires (tournament_id, id);
