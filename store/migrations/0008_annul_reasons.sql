{{if sqlite}}
-- The reason a question was annulled, in each language: real columns
-- beside the plain annul_reason (which stays, for clients that send and
-- read one string). The audit trail keeps both forms too.
{{else}}
-- The reason a question was annulled, in each language (the PostgreSQL
-- twin of migrations/sqlite/0008_annul_reasons.sql): real columns beside
-- the plain annul_reason (which stays, for clients that send and read one
-- string). The audit trail keeps both forms too.
{{end}}

ALTER TABLE questions ADD COLUMN annul_reason_en TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN annul_reason_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN reason_en TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN reason_zh TEXT NOT NULL DEFAULT '';

-- Before this migration the web UI sent both languages as JSON inside the
-- one reason string: {"en":"…","zh":"…"}. Such a reason (an object whose
-- only keys are en and zh, with string values, one of them not blank)
-- moves into the new columns, and the plain reason becomes its English
-- text (Chinese when there is no English). Anything else is plain text and
{{if sqlite}}
-- stays as it is. CASE guards the JSON functions from text that is not JSON.
UPDATE questions
SET annul_reason_en = COALESCE(json_extract(annul_reason, '$.en'), ''),
    annul_reason_zh = COALESCE(json_extract(annul_reason, '$.zh'), ''),
    annul_reason = COALESCE(NULLIF(trim(COALESCE(json_extract(annul_reason, '$.en'), '')), ''),
                            json_extract(annul_reason, '$.zh'))
WHERE CASE WHEN annul_reason LIKE '{%' AND json_valid(annul_reason) THEN
  NOT EXISTS (SELECT 1 FROM json_each(questions.annul_reason) WHERE key NOT IN ('en', 'zh') OR type <> 'text')
  AND (trim(COALESCE(json_extract(annul_reason, '$.en'), '')) <> '' OR trim(COALESCE(json_extract(annul_reason, '$.zh'), '')) <> '')
  ELSE 0 END;

UPDATE audit_log
SET reason_en = COALESCE(json_extract(reason, '$.en'), ''),
    reason_zh = COALESCE(json_extract(reason, '$.zh'), ''),
    reason = COALESCE(NULLIF(trim(COALESCE(json_extract(reason, '$.en'), '')), ''), json_extract(reason, '$.zh'))
WHERE CASE WHEN action = 'annul' AND reason LIKE '{%' AND json_valid(reason) THEN
  NOT EXISTS (SELECT 1 FROM json_each(audit_log.reason) WHERE key NOT IN ('en', 'zh') OR type <> 'text')
  AND (trim(COALESCE(json_extract(reason, '$.en'), '')) <> '' OR trim(COALESCE(json_extract(reason, '$.zh'), '')) <> '')
  ELSE 0 END;
{{else}}
-- stays as it is. PostgreSQL 15 has no test for valid JSON: each candidate
-- is cast in its own block, and one that fails the cast is skipped.
DO $$
DECLARE
  r record;
  j jsonb;
  en text;
  zh text;
BEGIN
  FOR r IN SELECT 'questions' AS tbl, id, annul_reason AS reason FROM questions WHERE annul_reason LIKE '{%'
           UNION ALL
           SELECT 'audit_log', id, reason FROM audit_log WHERE action = 'annul' AND reason LIKE '{%'
  LOOP
    BEGIN
      j := r.reason::jsonb;
    EXCEPTION WHEN invalid_text_representation THEN
      CONTINUE;
    END;
    IF jsonb_typeof(j) <> 'object'
       OR EXISTS (SELECT 1 FROM jsonb_each(j) e WHERE e.key NOT IN ('en', 'zh') OR jsonb_typeof(e.value) <> 'string') THEN
      CONTINUE;
    END IF;
    en := COALESCE(j->>'en', '');
    zh := COALESCE(j->>'zh', '');
    IF btrim(en) = '' AND btrim(zh) = '' THEN
      CONTINUE;
    END IF;
    IF r.tbl = 'questions' THEN
      UPDATE questions SET annul_reason_en = en, annul_reason_zh = zh,
        annul_reason = CASE WHEN btrim(en) <> '' THEN en ELSE zh END WHERE id = r.id;
    ELSE
      UPDATE audit_log SET reason_en = en, reason_zh = zh,
        reason = CASE WHEN btrim(en) <> '' THEN en ELSE zh END WHERE id = r.id;
    END IF;
  END LOOP;
END
$$;
{{end}}
