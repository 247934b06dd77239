-- mentor_install: the extension installs, documents itself and registers
-- its data for pg_dump
\i tests/sql/fixture.psql

-- both default programmes with the seeds' numbers
SELECT code, max_mentees, min_grade_gap_same_area, min_grade_gap_other_area,
	min_days_between_sessions, max_days_between_sessions, max_session_minutes,
	min_sessions, requires_certificate, requires_agreement, same_profession,
	notice_working_days
FROM mentor.program ORDER BY code;

-- every rule of the contract is listed, once
SELECT rule, parameter FROM mentor.rules ORDER BY rule;
SELECT count(*) AS rules, count(DISTINCT rule) AS distinct_rules FROM mentor.rules;

-- every object carries a comment: \d+ and \df+ are the documentation a
-- DBA reads first (schema, tables, views, indexes, sequences, columns,
-- functions, triggers, constraints)
SELECT 'schema mentor' AS undocumented WHERE obj_description('mentor'::regnamespace, 'pg_namespace') IS NULL;
SELECT c.relname AS undocumented_relation
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'mentor' AND c.relkind IN ('r', 'v', 'i', 'S')
	AND obj_description(c.oid, 'pg_class') IS NULL;
SELECT t.tgname AS undocumented_trigger
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = 'mentor'::regnamespace AND NOT t.tgisinternal
	AND obj_description(t.oid, 'pg_trigger') IS NULL;
SELECT conname AS undocumented_constraint
FROM pg_constraint WHERE connamespace = 'mentor'::regnamespace
	AND contype <> 'n'	-- PostgreSQL 18's NOT NULL constraints: the column says it
	AND obj_description(oid, 'pg_constraint') IS NULL;
SELECT c.relname, a.attname AS undocumented_column
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = 'mentor' AND c.relkind IN ('r', 'v')
	AND col_description(c.oid, a.attnum) IS NULL;
SELECT p.proname AS undocumented_function
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'mentor' AND obj_description(p.oid, 'pg_proc') IS NULL;

-- every data table is dumped by pg_dump (the built-in rows are filtered out)
SELECT c.relname, coalesce(nullif(f.cond, ''), '(all rows)') AS dumped
FROM pg_extension e,
	unnest(e.extconfig, e.extcondition) AS f(oid, cond)
	JOIN pg_class c ON c.oid = f.oid
WHERE e.extname = 'mentor' AND c.relkind = 'r'
ORDER BY 1;
SELECT c.relname AS table_not_dumped
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'mentor' AND c.relkind = 'r'
	AND c.oid <> ALL (SELECT unnest(extconfig) FROM pg_extension WHERE extname = 'mentor');

-- nothing is SECURITY DEFINER
SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'mentor' AND prosecdef;

-- rule settings cannot be relaxed by an ordinary session
SELECT name, setting, context FROM pg_settings WHERE name LIKE 'mentor.%' ORDER BY name;

-- a changed programme parameter takes effect at once (the parameter cache
-- is invalidated) and a NULL switches the rule off
SELECT public.expect($$INSERT INTO mentor.session (pairing_id, held_at, minutes)
	VALUES (mentor.assign_pairing('management', 6, 3, '2026-02-01'), '2026-02-02 10:00', 50)$$);
UPDATE mentor.program SET max_session_minutes = 60 WHERE code = 'management';
SELECT public.expect($$INSERT INTO mentor.session (pairing_id, held_at, minutes)
	VALUES (mentor.assign_pairing('management', 6, 3, '2026-02-01'), '2026-02-02 10:00', 50)$$);
UPDATE mentor.program SET max_session_minutes = NULL WHERE code = 'management';
SELECT public.expect($$INSERT INTO mentor.session (pairing_id, held_at, minutes)
	VALUES (2, '2026-02-20 10:00', 300)$$);
SELECT pairing_id, minutes FROM mentor.session ORDER BY session_id;
