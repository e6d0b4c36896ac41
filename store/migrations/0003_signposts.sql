-- Signposts: each indicator question's links to options of a scenario
{{if sqlite}}
-- question (which futures its trigger raises or lowers, and how strongly).
-- The weights of the strengths live in the scoring package.
{{else}}
-- question (the PostgreSQL twin of migrations/sqlite/0003_signposts.sql).
{{end}}

CREATE TABLE question_links (
  id                    {{idAutoincrement}},
  indicator_question_id {{pad int}} NOT NULL REFERENCES questions(id),
  scenario_question_id  {{pad int}} NOT NULL REFERENCES questions(id),
  option_index          {{pad int}} NOT NULL CHECK (option_index >= 0),
  -- "yes" (binary), "higher" / "lower" (ordered) or an option index
  "trigger"             TEXT    NOT NULL,
  direction             {{pad int}} NOT NULL CHECK (direction IN (-1, 1)),
  strength              TEXT    NOT NULL CHECK (strength IN ('weak', 'moderate', 'strong')),
  UNIQUE (indicator_question_id, scenario_question_id, option_index, "trigger"),
  CHECK (indicator_question_id <> scenario_question_id)
);
{{if sqlite}}
-- "every link into a scenario question" (the signpost board)
{{end}}
CREATE INDEX question_links_scenario ON question_links (scenario_question_id);

{{if sqlite}}
-- Databases seeded before this migration hold the seed's signals only as a
-- JSON blob in questions.extra: turn them into rows, matching option slugs
-- against the tournament's multiple-choice questions. A frozen copy of the
-- rule store/signals.go applies at seed and import time (the seed spells
-- the ordered triggers "higher_bucket" and "lower_bucket").
INSERT OR IGNORE INTO question_links
  (indicator_question_id, scenario_question_id, option_index, "trigger", direction, strength)
SELECT q.id, s.id, CAST(o.key AS INTEGER),
       CASE json_extract(q.extra, '$.signals.trigger')
         WHEN 'higher_bucket' THEN 'higher' WHEN 'lower_bucket' THEN 'lower'
         ELSE json_extract(q.extra, '$.signals.trigger') END,
       d.direction, json_extract(q.extra, '$.signals.strength')
FROM questions q
JOIN questions s ON s.tournament_id = q.tournament_id AND s.kind = 'multiple_choice' AND s.id <> q.id
JOIN json_each(s.options) o
JOIN (SELECT 1 AS direction, 'raises' AS list UNION ALL SELECT -1, 'lowers') d
JOIN json_each(q.extra, '$.signals.' || d.list) t ON t.value = json_extract(o.value, '$.slug')
WHERE json_type(q.extra, '$.signals') = 'object'
  AND json_extract(q.extra, '$.signals.strength') IN ('weak', 'moderate', 'strong')
  AND ((q.kind = 'binary' AND json_extract(q.extra, '$.signals.trigger') = 'yes')
    OR (q.kind = 'ordered' AND json_extract(q.extra, '$.signals.trigger') IN ('higher_bucket', 'lower_bucket')));
{{else}}
-- The same frozen rule as the SQLite migration, in PostgreSQL's JSON
-- functions: signals kept in questions.extra become rows.
INSERT INTO question_links
  (indicator_question_id, scenario_question_id, option_index, "trigger", direction, strength)
SELECT q.id, s.id, o.ord - 1,
       CASE q.extra::jsonb #>> '{signals,trigger}'
         WHEN 'higher_bucket' THEN 'higher' WHEN 'lower_bucket' THEN 'lower'
         ELSE q.extra::jsonb #>> '{signals,trigger}' END,
       d.direction, q.extra::jsonb #>> '{signals,strength}'
FROM questions q
JOIN questions s ON s.tournament_id = q.tournament_id AND s.kind = 'multiple_choice' AND s.id <> q.id
CROSS JOIN LATERAL jsonb_array_elements(s.options::jsonb) WITH ORDINALITY AS o(value, ord)
CROSS JOIN (SELECT 1 AS direction, 'raises' AS list UNION ALL SELECT -1, 'lowers') d
CROSS JOIN LATERAL jsonb_array_elements_text(
  CASE WHEN jsonb_typeof(q.extra::jsonb #> ARRAY['signals', d.list]) = 'array'
       THEN q.extra::jsonb #> ARRAY['signals', d.list] ELSE '[]'::jsonb END) AS t(value)
WHERE t.value = o.value ->> 'slug'
  AND jsonb_typeof(q.extra::jsonb -> 'signals') = 'object'
  AND q.extra::jsonb #>> '{signals,strength}' IN ('weak', 'moderate', 'strong')
  AND ((q.kind = 'binary' AND q.extra::jsonb #>> '{signals,trigger}' = 'yes')
    OR (q.kind = 'ordered' AND q.extra::jsonb #>> '{signals,trigger}' IN ('higher_bucket', 'lower_bucket')))
ON CONFLICT DO NOTHING;
{{end}}
