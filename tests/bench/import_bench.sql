-- tests/bench/import_bench.sql: mentor.import_agreements on a generated
-- document of 10,000 agreements, against loading the same rows with
-- PostgreSQL's built-in XMLTABLE (no schema validation, no checks) in one run.
\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;

INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade)
SELECT 'P' || i, 'Mentor ' || i, 'mining', 8 FROM generate_series(1, 10000) i;
INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on)
SELECT e.employee_id, m, 90, 100, '2025-12-01'
FROM mentor.employee e, unnest(ARRAY['competency_model', 'test', 'case_study', 'manager_feedback']) m;
INSERT INTO mentor.mentor (employee_id, approved_on) SELECT employee_id, '2026-01-01' FROM mentor.employee;

CREATE TEMP TABLE doc AS
SELECT '<?xml version="1.0" encoding="UTF-8"?>' || E'\n' ||
	'<agreements xmlns="urn:mentor:agreement:1">' || E'\n' ||
	string_agg(format(
'  <agreement number="MA-2026-%s">
    <mentor personnelNo="P%s"/>
    <signedOn>2026-03-01</signedOn>
    <validFrom>2026-03-01</validFrom>
    <validTo>2029-02-28</validTo>
    <bonus kind="fixed" currency="RUB">%s.00</bonus>
    <maxMentees>2</maxMentees>
    <signatories>
      <employer name="I. Petrov" position="HR Director"/>
      <employee name="Mentor %s"/>
    </signatories>
  </agreement>', lpad(i::text, 5, '0'), i, 4000 + i % 2000, i), E'\n') ||
	E'\n</agreements>\n' AS x
FROM generate_series(1, 10000) i;

CREATE TABLE xmltable_copy (LIKE mentor.agreement INCLUDING DEFAULTS INCLUDING IDENTITY);
CREATE TEMP TABLE figures (what text, seconds numeric, bytes bigint, rows bigint);

DO $$
DECLARE t0 timestamptz; n bigint; d text := (SELECT x FROM doc);
BEGIN
	t0 := clock_timestamp();
	INSERT INTO xmltable_copy (number, employee_id, signed_on, valid_from, valid_to,
		bonus_kind, bonus_amount, currency, max_mentees, employer_name,
		employer_position, employee_name)
	SELECT t.number, e.employee_id, t.signed_on, t.valid_from, t.valid_to,
		t.kind, t.amount, t.currency, t.max_mentees, t.employer, t.position, t.employee
	FROM XMLTABLE(XMLNAMESPACES('urn:mentor:agreement:1' AS a),
			'/a:agreements/a:agreement' PASSING CAST(d AS xml)
			COLUMNS number text PATH '@number',
				personnel_no text PATH 'a:mentor/@personnelNo',
				signed_on date PATH 'a:signedOn',
				valid_from date PATH 'a:validFrom',
				valid_to date PATH 'a:validTo',
				kind text PATH 'a:bonus/@kind',
				amount numeric PATH 'a:bonus',
				currency text PATH 'a:bonus/@currency',
				max_mentees int PATH 'a:maxMentees',
				employer text PATH 'a:signatories/a:employer/@name',
				position text PATH 'a:signatories/a:employer/@position',
				employee text PATH 'a:signatories/a:employee/@name') t
	JOIN mentor.employee e ON e.personnel_no = t.personnel_no;
	GET DIAGNOSTICS n = ROW_COUNT;
	INSERT INTO figures VALUES ('XMLTABLE load (no validation, no checks)',
		extract(epoch FROM clock_timestamp() - t0), octet_length(d), n);

	t0 := clock_timestamp();
	SELECT count(*) INTO n FROM mentor.import_agreements(d);
	INSERT INTO figures VALUES ('mentor.import_agreements (schema + checks + history)',
		extract(epoch FROM clock_timestamp() - t0), octet_length(d), n);

	t0 := clock_timestamp();
	SELECT count(*) INTO n FROM mentor.import_agreements(d) WHERE action = 'unchanged';
	INSERT INTO figures VALUES ('the same import again (all unchanged)',
		extract(epoch FROM clock_timestamp() - t0), octet_length(d), n);
END $$;

\unset QUIET
SELECT what, rows AS agreements, round(bytes / 1048576.0, 2) AS mb,
	round(seconds, 3) AS seconds,
	round(bytes / 1048576.0 / seconds, 2) AS mb_per_s,
	round(rows / seconds) AS agreements_per_s
FROM figures;
