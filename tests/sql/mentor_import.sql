-- mentor_import: the agreement import (xml/agreement_import.c): samples in
-- every encoding, idempotence and history, all-or-nothing, dry runs, and
-- hostile documents that fail fast, write nothing and leave PostgreSQL's
-- own xml functions working
\i tests/sql/fixture.psql

-- the mine's mentors named in xml/samples
INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade, site, profession)
SELECT '10010' || i, 'Mine Mentor ' || i, 'mining', 8, 'Mine-3', 'drill operator'
FROM generate_series(1, 7) i;
INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on)
SELECT e.employee_id, m, 90, 100, '2025-12-01'
FROM mentor.employee e, unnest(ARRAY['competency_model', 'test', 'case_study', 'manager_feedback']) m
WHERE e.personnel_no LIKE '10010_';
SELECT count(mentor.approve_mentor(employee_id, 'mentor', '2026-01-01')) AS approved
FROM mentor.employee WHERE personnel_no LIKE '10010_' AND personnel_no <> '100106';
-- the agreements the sample forms replace (<replaces number="MA-2024-...">)
INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to)
SELECT 'MA-2024-' || personnel_no, employee_id, '2026-02-01', '2026-02-01', '2027-12-31'
FROM mentor.employee WHERE personnel_no LIKE '10010_' AND personnel_no <> '100106';

\set batch `base64 -w0 xml/samples/batch.xml`
\set single `base64 -w0 xml/samples/single.xml`
\set cp1251 `base64 -w0 xml/samples/cp1251.xml`
\set utf16 `base64 -w0 xml/samples/utf16.xml`
CREATE TEMP VIEW agreements_now AS
	SELECT a.number, e.personnel_no, a.valid_from, a.valid_to, a.bonus_kind,
		a.bonus_amount, a.currency, a.max_mentees, a.employee_name, a.version
	FROM mentor.agreement a JOIN mentor.employee e USING (employee_id)
	WHERE a.number NOT IN ('MA-2026-00001', 'MA-2026-00002') AND a.number NOT LIKE 'MA-2024-%'
	ORDER BY a.number;

-- a dry run says what would happen and writes nothing
SELECT * FROM mentor.import_agreements(decode(:'batch', 'base64'), true);
SELECT count(*) AS imported FROM agreements_now;

-- the import, then the same document again: nothing changes the second time
SELECT * FROM mentor.import_agreements(decode(:'batch', 'base64'));
SELECT * FROM mentor.import_agreements(decode(:'batch', 'base64'));
SELECT * FROM agreements_now;
SELECT length(document) > 100 AS has_document, document LIKE '<agreement %' AS is_element,
	document_sha256 = encode(sha256(convert_to(document, 'UTF8')), 'hex') AS sha256_matches
FROM mentor.agreement WHERE number = 'MA-2026-00101';

-- a changed agreement is updated and its old version kept
SELECT * FROM mentor.import_agreements(replace(convert_from(decode(:'batch', 'base64'), 'UTF8'),
	'>5000.00<', '>5500.00<'));
SELECT number, bonus_amount, version FROM mentor.agreement WHERE number = 'MA-2026-00101';
SELECT number, version, bonus_amount, replaced_at IS NOT NULL AS replaced FROM mentor.agreement_version;

-- a lone <agreement>, windows-1251 and UTF-16 with a byte order mark
SELECT * FROM mentor.import_agreements(decode(:'single', 'base64'));
SELECT * FROM mentor.import_agreements(decode(:'cp1251', 'base64'));
SELECT * FROM mentor.import_agreements(decode(:'utf16', 'base64'));
SELECT number, personnel_no, employee_name, currency FROM agreements_now
WHERE personnel_no IN ('100104', '100105', '100107');
SELECT employer_name, employer_position FROM mentor.agreement WHERE number = 'ДН-2026-00105';
-- the text form takes characters: its encoding declaration does not matter
SELECT * FROM mentor.import_agreements(convert_from(decode(:'cp1251', 'base64'), 'WIN1251'));

-- an agreement of a programme that requires one lets the mentor start
UPDATE mentor.employee SET profession = 'drill operator', site = 'Mine-3'
WHERE personnel_no IN ('100004', '100005', '100007');
SELECT mentor.issue_certificate(employee_id, '2026-01-15') IS NOT NULL AS certified
FROM mentor.employee WHERE personnel_no = '100103';
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4,
	(SELECT employee_id FROM mentor.employee WHERE personnel_no = '100103'), '2026-01-20')$$);
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4,
	(SELECT employee_id FROM mentor.employee WHERE personnel_no = '100103'), '2026-03-01')$$);
-- and its maxMentees (1) is the mentor's capacity
SELECT public.expect($$SELECT mentor.assign_pairing('production', 5,
	(SELECT employee_id FROM mentor.employee WHERE personnel_no = '100103'), '2026-03-02')$$);

-- every refused document: a clear error, and nothing written
CREATE TEMP TABLE before_refusals AS
	SELECT (SELECT count(*) FROM mentor.agreement) AS agreements,
		(SELECT count(*) FROM mentor.agreement_version) AS versions,
		(SELECT sum(version) FROM mentor.agreement) AS version_sum;
\set xxe_file `base64 -w0 xml/samples/broken/xxe_file.xml`
\set xxe_parameter `base64 -w0 xml/samples/broken/xxe_parameter.xml`
\set entity_bomb `base64 -w0 xml/samples/broken/entity_bomb.xml`
\set truncated `base64 -w0 xml/samples/broken/truncated.xml`
\set invalid_utf8 `base64 -w0 xml/samples/broken/invalid_utf8.xml`
\set wrong_namespace `base64 -w0 xml/samples/broken/wrong_namespace.xml`
\set schema_invalid `base64 -w0 xml/samples/broken/schema_invalid.xml`
\set business_invalid `base64 -w0 xml/samples/broken/business_invalid.xml`
SELECT name, public.expect(format('SELECT * FROM mentor.import_agreements(decode(%L, %L))', doc, 'base64')) AS outcome
FROM (VALUES ('xxe_file', :'xxe_file'), ('xxe_parameter', :'xxe_parameter'),
	('entity_bomb', :'entity_bomb'), ('truncated', :'truncated'),
	('invalid_utf8', :'invalid_utf8'), ('wrong_namespace', :'wrong_namespace'),
	('schema_invalid', :'schema_invalid'), ('business_invalid', :'business_invalid'),
	('empty', '')) v(name, doc);
-- a 100,000-deep nesting stops at libxml2's depth limit
SELECT public.expect($$SELECT * FROM mentor.import_agreements(
	'<agreements xmlns="urn:mentor:agreement:1">' || repeat('<a>', 100000) || repeat('</a>', 100000) || '</agreements>')$$);
-- and a document over mentor.xml_max_bytes is refused before it is parsed
SET mentor.xml_max_bytes = 1024;
SELECT public.expect(format('SELECT * FROM mentor.import_agreements(decode(%L, %L))', :'batch', 'base64'));
RESET mentor.xml_max_bytes;
-- one bad agreement among good ones: nothing of the document is written
SELECT public.expect(format('SELECT * FROM mentor.import_agreements(%L)',
	replace(replace(convert_from(decode(:'batch', 'base64'), 'UTF8'), '>5000.00<', '>7000.00<'),
		'personnelNo="100103"', 'personnelNo="100106"')));
SELECT (SELECT count(*) FROM mentor.agreement) = agreements AS same_agreements,
	(SELECT count(*) FROM mentor.agreement_version) = versions AS same_versions,
	(SELECT sum(version) FROM mentor.agreement) = version_sum AS same_versions_numbers,
	(SELECT bonus_amount FROM mentor.agreement WHERE number = 'MA-2026-00101') AS bonus_still
FROM before_refusals;
-- dry runs return every problem as a row instead
SELECT * FROM mentor.import_agreements(decode(:'business_invalid', 'base64'), dry_run => true);
SELECT * FROM mentor.import_agreements(decode(:'schema_invalid', 'base64'), dry_run => true);

-- PostgreSQL's own xml functions work after all of that, in this session
SELECT xmlparse(document '<a><b>1</b><b>2</b></a>') AS parsed,
	xpath('/a/b/text()', '<a><b>1</b><b>2</b></a>'::xml) AS xpath;
SELECT * FROM XMLTABLE('/a/b' PASSING CAST('<a><b>x</b><b>y</b></a>' AS xml) COLUMNS v text PATH '.');
-- and PostgreSQL's entity loader is still the one in force
SELECT position('root:' IN CAST(xmlparse(document '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>') AS text)) = 0
	AS no_file_content;
