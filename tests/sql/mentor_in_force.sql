-- mentor_in_force: one agreement in force per mentor on any day.  An
-- agreement whose days overlap another of the same mentor is refused,
-- naming the other, unless it says it replaces it (<replaces> in the form,
-- the replaces column in a direct write); the replaced one then ends the
-- day before, its version kept.  bonus_accruals names the same agreement
-- under every query plan.
\i tests/sql/fixture.psql

CREATE FUNCTION public.form(number text, personnel_no text, valid_from date,
	valid_to date, replaces text DEFAULT NULL, amount int DEFAULT 6000) RETURNS text
LANGUAGE sql AS $$
	SELECT format('<agreement number="%s"><mentor personnelNo="%s"/>%s<signedOn>%s</signedOn><validFrom>%s</validFrom><validTo>%s</validTo><bonus kind="fixed" currency="RUB">%s.00</bonus><signatories><employer name="I. Petrov" position="HR Director"/><employee name="Mentor"/></signatories></agreement>',
		number, personnel_no, CASE WHEN replaces IS NULL THEN '' ELSE format('<replaces number="%s"/>', replaces) END,
		valid_from, valid_from, valid_to, amount)
$$;
CREATE FUNCTION public.forms(VARIADIC f text[]) RETURNS text LANGUAGE sql AS $$
	SELECT '<agreements xmlns="urn:mentor:agreement:1">' || array_to_string(f, '') || '</agreements>'
$$;
CREATE VIEW public.agreements AS
SELECT number, employee_id, valid_from, valid_to, replaces, version FROM mentor.agreement ORDER BY number;

-- Ivan (100001) holds MA-2026-00001 from 2026-01-05 through 2029-01-04.
-- An overlapping agreement is refused, naming the other; nothing written
SELECT number, action, line, message FROM mentor.import_agreements(
	public.forms(public.form('MA-2027-00001', '100001', '2027-01-01', '2029-12-31')), true);
SELECT public.expect($$SELECT * FROM mentor.import_agreements(
	public.forms(public.form('MA-2027-00001', '100001', '2027-01-01', '2029-12-31')))$$);
SELECT * FROM public.agreements;

-- saying so, it replaces it: the old one ends the day before, its version kept
SELECT number, action, line, message FROM mentor.import_agreements(
	public.forms(public.form('MA-2027-00001', '100001', '2027-01-01', '2029-12-31', 'MA-2026-00001')), true);
SELECT number, action, line, message FROM mentor.import_agreements(
	public.forms(public.form('MA-2027-00001', '100001', '2027-01-01', '2029-12-31', 'MA-2026-00001')));
SELECT * FROM public.agreements;
SELECT number, version, valid_from, valid_to FROM mentor.agreement_version ORDER BY number, version;
-- the same form again changes nothing
SELECT number, action FROM mentor.import_agreements(
	public.forms(public.form('MA-2027-00001', '100001', '2027-01-01', '2029-12-31', 'MA-2026-00001')));
SELECT count(*) AS versions FROM mentor.agreement_version;

-- what cannot be replaced: an unknown number, another mentor's agreement,
-- one that starts later; two overlapping forms of one mentor in a document
SELECT number, action, line, message FROM mentor.import_agreements(public.forms(
	public.form('MA-2028-00001', '100002', '2028-01-01', '2029-12-31', 'MA-1999-00001'),
	public.form('MA-2028-00002', '100002', '2028-01-01', '2029-12-31', 'MA-2027-00001'),
	public.form('MA-2028-00003', '100002', '2025-01-01', '2025-12-31', 'MA-2026-00002'),
	public.form('MA-2028-00004', '100003', '2027-01-01', '2027-12-31'),
	public.form('MA-2028-00005', '100003', '2027-06-01', '2028-05-31')), true) ORDER BY line, number;

-- rows written straight into the table: the same checks (mentor_agreement)
SELECT public.expect($$INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to)
	VALUES ('MA-X-1', 2, '2027-01-01', '2027-01-01', '2027-12-31')$$);
SELECT public.expect($$INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to, replaces)
	VALUES ('MA-X-2', 2, '2027-01-01', '2027-01-01', '2027-12-31', 'MA-2027-00001')$$);
SELECT public.expect($$INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to, replaces)
	VALUES ('MA-X-3', 2, '2027-01-01', '2027-01-01', '2027-12-31', 'MA-2026-00002')$$);
SELECT public.expect($$UPDATE mentor.agreement SET valid_to = '2027-06-30' WHERE number = 'MA-2026-00002'$$);
SELECT * FROM public.agreements;
-- an unrelated change to an agreement is not re-judged
SELECT public.expect($$UPDATE mentor.agreement SET bonus_amount = 5500 WHERE number = 'MA-2026-00002'$$);

-- plan independence: overlapping agreements from before 1.1 (loaded as a
-- restore would) name the same agreement under every plan
SET session_replication_role = replica;
INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to, bonus_kind, bonus_amount, currency)
VALUES ('MA-OLD-1', 3, '2026-01-05', '2026-01-05', '2028-12-31', 'fixed', 12000, 'RUB'),
	('MA-OLD-2', 3, '2026-01-05', '2026-01-05', '2028-12-31', 'fixed', 13000, 'RUB');
RESET session_replication_role;
-- an unrelated update moves MA-OLD-1 after MA-OLD-2 in the heap, not in the
-- index: 1.0's bonus_accruals then named MA-OLD-2 under a sequential plan
-- and MA-OLD-1 under the others
UPDATE mentor.agreement SET employer_name = 'I. Petrov' WHERE number = 'MA-OLD-1';
SELECT mentor.issue_certificate(3, '2026-01-10') IS NOT NULL AS certified;
UPDATE mentor.program SET requires_agreement = true WHERE code = 'management';
SELECT mentor.assign_pairing('management', 6, 3, '2026-02-02') IS NOT NULL AS paired;
CREATE TEMP TABLE plans (plan text, employee_id bigint, month date, agreement_number text, amount numeric);
INSERT INTO plans SELECT 'default', employee_id, month, agreement_number, amount
	FROM mentor.bonus_accruals('2026-03-01', '2026-03-31') WHERE employee_id = 3;
SET enable_indexscan = off; SET enable_bitmapscan = off;
INSERT INTO plans SELECT 'sequential', employee_id, month, agreement_number, amount
	FROM mentor.bonus_accruals('2026-03-01', '2026-03-31') WHERE employee_id = 3;
SET enable_seqscan = off; SET enable_bitmapscan = on;
INSERT INTO plans SELECT 'bitmap', employee_id, month, agreement_number, amount
	FROM mentor.bonus_accruals('2026-03-01', '2026-03-31') WHERE employee_id = 3;
SET enable_indexscan = on; SET enable_bitmapscan = off;
INSERT INTO plans SELECT 'index', employee_id, month, agreement_number, amount
	FROM mentor.bonus_accruals('2026-03-01', '2026-03-31') WHERE employee_id = 3;
RESET enable_seqscan; RESET enable_indexscan; RESET enable_bitmapscan;
SELECT count(DISTINCT plan) AS plans, count(DISTINCT (agreement_number, amount)) AS answers,
	min(agreement_number) AS agreement, min(amount) AS amount FROM plans;

DROP VIEW public.agreements;
DROP FUNCTION public.forms(text[]);
DROP FUNCTION public.form(text, text, date, date, text, int);
