-- mentor_demand_reference: mentor_demand (counted in C since 1.1) against
-- 1.0's SQL formulation of the same figures, read from the frozen 1.0
-- script as the reference, on a random enterprise built to reach every case the
-- formulation tells apart: windows across months and the horizon's ends,
-- open and ended pairings, other programmes and statuses, zero planned
-- hires, professions without onboarding weeks, people without a site or a
-- profession, overlapping, adjacent and gapped certificates, revocations,
-- retirements and dismissals mid-month, a missing production programme.
\i tests/sql/fixture.psql

CREATE FUNCTION pg_temp.define(body text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE replace(replace(body, 'mentor.mentor_demand(', 'pg_temp.demand_1_0('),
		'mentor_demand.', 'demand_1_0.');
END $$;

-- the reference is read from the installed, frozen 1.0 script (not copied
-- here): its mentor_demand, renamed into pg_temp
SELECT count(*) AS defined FROM (SELECT pg_catalog.pg_read_file(
		(SELECT setting FROM pg_catalog.pg_config WHERE name = 'SHAREDIR') || '/extension/mentor--1.0.sql') AS script) f,
	LATERAL (SELECT substring(f.script FROM
		'CREATE FUNCTION mentor\.mentor_demand\(from_month date, to_month date\).*?\n\tEND;\n') AS body) b,
	LATERAL (SELECT pg_temp.define(b.body)) d;

-- differences both ways and the order: none, for every horizon asked
CREATE FUNCTION pg_temp.compare(f date, t date) RETURNS TABLE (horizon text, rows bigint, only_c bigint, only_ref bigint, same_order boolean)
LANGUAGE sql AS $$
	SELECT f || ' .. ' || t,
		(SELECT count(*) FROM mentor.mentor_demand(f, t)),
		(SELECT count(*) FROM (SELECT * FROM mentor.mentor_demand(f, t)
			EXCEPT ALL SELECT * FROM pg_temp.demand_1_0(f, t)) x),
		(SELECT count(*) FROM (SELECT * FROM pg_temp.demand_1_0(f, t)
			EXCEPT ALL SELECT * FROM mentor.mentor_demand(f, t)) x),
		(SELECT array_agg(d ORDER BY n) FROM (SELECT row_number() OVER () n, d FROM mentor.mentor_demand(f, t) d) a)
			IS NOT DISTINCT FROM
		(SELECT array_agg(d ORDER BY n) FROM (SELECT row_number() OVER () n, d FROM pg_temp.demand_1_0(f, t) d) a)
$$;

-- the enterprise, written past the rule triggers (replica role) so that
-- states the rules would refuse today (overlapping certificates of one
-- mentor, mentors and mentees anywhere) are there too
SET session_replication_role = replica;
SELECT setseed(0.2026);
INSERT INTO mentor.profession VALUES ('drill operator', 8), ('economist', 4), ('blaster', 13), ('loader', 1);
INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade, site, profession, hired_on, dismissed_on)
SELECT 'R' || i, 'Random ' || i, 'mining', 1 + i % 12,
	CASE WHEN i % 29 = 0 THEN NULL ELSE (ARRAY['Mine-1', 'Mine-2', 'Plant', 'HQ'])[1 + i % 4] END,
	CASE WHEN i % 31 = 0 THEN NULL ELSE (ARRAY['drill operator', 'economist', 'blaster', 'loader', 'welder'])[1 + (i / 4) % 5] END,
	'2015-01-01',
	CASE WHEN random() < 0.1 THEN '2025-06-01'::date + (random() * 600)::int END
FROM generate_series(1, 400) i;
INSERT INTO mentor.mentor (employee_id, tier, approved_on, retired_on)
SELECT e.employee_id, 'mentor', '2024-01-01'::date + (random() * 700)::int,
	CASE WHEN random() < 0.15 THEN '2026-01-01'::date + (random() * 500)::int END
FROM mentor.employee e WHERE e.personnel_no LIKE 'R%' AND e.employee_id % 5 = 0;
-- one to four certificates each: renewals overlapping, touching or leaving
-- a gap, some revoked
INSERT INTO mentor.certificate (employee_id, serial, course_hours, test_passed, issued_on, valid_until, revoked_on)
SELECT m.employee_id, 'RC-' || m.employee_id || '-' || k, 16, true, d, d + (200 + random() * 900)::int,
	CASE WHEN random() < 0.12 THEN d + (random() * 400)::int END
FROM mentor.mentor m, generate_series(1, 1 + m.employee_id::int % 4) k,
	LATERAL (SELECT '2023-06-01'::date + (k * 300 + random() * 400)::int AS d) x
WHERE m.employee_id > 9;
INSERT INTO mentor.pairing (program, mentee_id, mentor_id, status, requested_on, started_on, ended_on)
SELECT CASE WHEN i % 9 = 0 THEN 'management' ELSE 'production' END,
	1 + (random() * 408)::int, 1, st, s, s,
	CASE WHEN st = 'ended' THEN s + (random() * 200)::int END
FROM generate_series(1, 900) i,
	LATERAL (SELECT '2024-06-01'::date + (random() * 1000)::int + 0 * i AS s,
		(ARRAY['active', 'ended', 'ended', 'requested', 'declined', 'cancelled'])[1 + (random() * 5)::int] AS st) x;
INSERT INTO mentor.hiring_plan
SELECT s, p, ('2026-01-01'::date + (mo || ' months')::interval)::date, (random() * 4)::int
FROM unnest(ARRAY['Mine-1', 'Mine-2', 'Plant']) s, unnest(ARRAY['drill operator', 'blaster', 'loader']) p,
	generate_series(0, 29) mo
WHERE random() < 0.6;
RESET session_replication_role;
ANALYZE;

-- the cases are there
SELECT (SELECT count(*) FROM mentor.certificate a JOIN mentor.certificate b
		ON a.employee_id = b.employee_id AND a.certificate_id < b.certificate_id
		AND a.issued_on <= b.valid_until AND b.issued_on <= a.valid_until) > 10 AS overlapping_certificates,
	(SELECT count(*) FROM mentor.certificate WHERE revoked_on IS NOT NULL) > 5 AS revoked,
	(SELECT count(*) FROM mentor.mentor WHERE retired_on IS NOT NULL) > 5 AS retired,
	(SELECT count(*) FROM mentor.mentor m JOIN mentor.employee e USING (employee_id) WHERE e.dismissed_on IS NOT NULL) > 0 AS mentor_dismissed,
	(SELECT count(*) FROM mentor.pairing p JOIN mentor.employee e ON e.employee_id = p.mentee_id
		WHERE p.program = 'production' AND e.profession = 'welder') > 5 AS unlisted_profession,
	(SELECT count(*) FROM mentor.pairing p JOIN mentor.employee e ON e.employee_id = p.mentee_id
		WHERE p.program = 'production' AND (e.site IS NULL OR e.profession IS NULL)) > 5 AS no_site_or_profession,
	(SELECT count(*) FROM mentor.hiring_plan WHERE planned_hires = 0) > 5 AS zero_hires,
	(SELECT count(DISTINCT status) FROM mentor.pairing) = 5 AS every_status;

SELECT * FROM pg_temp.compare('2026-01-01', '2026-12-31');
-- and the figures compared are not all zero
SELECT count(*) FILTER (WHERE expected_mentees > 0) > 100 AS mentees,
	count(*) FILTER (WHERE mentors_available > 0) > 100 AS mentors,
	count(*) FILTER (WHERE gap > 0) > 10 AS shortages
FROM mentor.mentor_demand('2026-01-01', '2026-12-31');
SELECT * FROM pg_temp.compare('2024-03-15', '2028-02-10');
SELECT * FROM pg_temp.compare('2026-02-20', '2026-02-20');
SELECT * FROM pg_temp.compare('2019-01-01', '2021-12-31');
SELECT * FROM pg_temp.compare('2026-05-01', '2026-03-01');
-- other settings and programme figures
SET mentor.availability = 0.33;
UPDATE mentor.program SET max_mentees = 3 WHERE code = 'production';
SELECT * FROM pg_temp.compare('2025-07-01', '2027-06-30');
RESET mentor.availability;
-- without a production programme: no mentors required, no gap
SET session_replication_role = replica;
DELETE FROM mentor.pairing WHERE program = 'production';
DELETE FROM mentor.program WHERE code = 'production';
RESET session_replication_role;
SELECT * FROM pg_temp.compare('2026-01-01', '2026-06-30');
SELECT count(*) FILTER (WHERE mentors_required IS NULL AND gap IS NULL) = count(*) AS none_required
FROM mentor.mentor_demand('2026-01-01', '2026-06-30');

-- NULL months: no rows (STRICT), as 1.0's empty series gave; infinite ones
-- are refused
SELECT count(*) FROM mentor.mentor_demand(NULL, '2026-06-30');
SELECT count(*) FROM mentor.mentor_demand('2026-01-01', NULL);
SELECT count(*) FROM mentor.mentor_demand('2026-01-01', 'infinity');
-- the ends of the date range: months from 4713 BC count (no arithmetic
-- leaves the range), and a horizon of every month there is runs until the
-- statement is cancelled, like any query
SELECT count(*) > 0 AND count(*) = 12 * (SELECT count(*) FROM mentor.mentor_demand('2026-01-01', '2026-01-31')) AS bc_months
FROM mentor.mentor_demand('4713-01-01 BC', '4713-12-31 BC');
SELECT count(*) > 0 AS last_months FROM mentor.mentor_demand('5874897-11-01', '5874897-12-31');
SET statement_timeout = '1s';
SELECT count(*) FROM mentor.mentor_demand('4713-01-01 BC', '5874897-12-31');
RESET statement_timeout;
