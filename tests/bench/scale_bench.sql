-- tests/bench/scale_bench.sql: a synthetic enterprise (100,000 employees,
-- 10,000 mentors, 100,000 pairings, 1,000,000 sessions, a 36-month hiring
-- plan for 20 sites x 30 professions, 10,000 internships, 500 workshops) and
-- the time of the reports on it.  psql -v scale=N multiplies the people,
-- pairings and sessions by N (the plan and the workshops stay).
-- The generator writes with session_replication_role = replica (the data is
-- consistent by construction); the reports run as any session would.
\set ON_ERROR_STOP on
\if :{?scale}
\else
\set scale 1
\endif
\set QUIET on
SET client_min_messages = warning;
SET session_replication_role = replica;
SELECT setseed(0.42);

INSERT INTO mentor.profession
SELECT 'prof-' || lpad(p::text, 2, '0'), 4 + p % 9 FROM generate_series(1, 30) p;
INSERT INTO mentor.employee (employee_id, personnel_no, full_name, function_area, grade, site, profession, hired_on)
SELECT i, 'N' || i, 'Employee ' || i, 'production', CASE WHEN i <= 10000 * :scale THEN 8 ELSE 3 END,
	'Site-' || lpad((1 + i % 20)::text, 2, '0'), 'prof-' || lpad((1 + (i / 20) % 30)::text, 2, '0'),
	'2015-01-01'::date + (i % 3000)
FROM generate_series(1, 100000 * :scale) i;
SELECT setval('mentor.employee_employee_id_seq', 100000 * :scale);
INSERT INTO mentor.mentor (employee_id, tier, approved_on)
SELECT i, CASE WHEN i % 50 = 0 THEN 'training_engineer' ELSE 'mentor' END, '2023-01-01'
FROM generate_series(1, 10000 * :scale) i;
-- certificates issued over 2023-06 .. 2026-10: some expire within the plan
INSERT INTO mentor.certificate (certificate_id, employee_id, serial, course_hours, test_passed, issued_on, valid_until)
SELECT i, i, 'MC-S-' || i, 16, true, d, (d + interval '3 years')::date - 1
FROM generate_series(1, 10000 * :scale) i, LATERAL (SELECT '2023-06-01'::date + (i * 7919 % 1250) AS d) x;
INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to, bonus_kind, bonus_amount, currency)
SELECT 'MA-S-' || i, i, '2023-06-01', '2023-06-01', '2026-05-31', 'fixed', 5000, 'RUB'
FROM generate_series(1, 10000 * :scale) i;
-- 100,000 pairings: mentor m mentors mentee 10000 + k (same site and
-- profession: mentee ids step by 20 * 30 * ...); 10 per mentor, one after
-- another; the last of each mentor's ten still active
INSERT INTO mentor.pairing (pairing_id, program, mentee_id, mentor_id, status, requested_on, started_on, ended_on, end_reason)
SELECT (m - 1) * 10 + k, 'production', 10000 * :scale + ((m - 1) * 10 + k - 1) % (90000 * :scale) + 1, m,
	CASE WHEN k = 10 THEN 'active' ELSE 'ended' END,
	s, s, CASE WHEN k = 10 THEN NULL ELSE s + 56 END, CASE WHEN k = 10 THEN NULL ELSE 'completed' END
FROM generate_series(1, 10000 * :scale) m, generate_series(1, 10) k,
	LATERAL (SELECT '2024-01-01'::date + (k - 1) * 70 + (m % 30) AS s) x;
SELECT setval('mentor.pairing_pairing_id_seq', 100000 * :scale);
-- 1,000,000 sessions: ten a pairing, a week apart; the active ones stop early
-- for one in three mentors, so that overdue_pairings has work
INSERT INTO mentor.session (pairing_id, held_at, minutes, topic, status)
SELECT p.pairing_id, p.started_on + 7 * j + time '10:00',
	45, 'topic ' || j,
	CASE WHEN p.status = 'active' AND p.mentor_id % 3 = 0 AND j > 2 THEN 'planned' ELSE 'held' END
FROM mentor.pairing p, generate_series(0, 9) j;
INSERT INTO mentor.hiring_plan
SELECT 'Site-' || lpad(s::text, 2, '0'), 'prof-' || lpad(p::text, 2, '0'),
	('2026-12-01'::date + (mo || ' months')::interval)::date, (s * p + mo) % 7
FROM generate_series(1, 20) s, generate_series(1, 30) p, generate_series(0, 35) mo;
UPDATE mentor.program SET max_days_between_sessions = 31 WHERE code = 'production';
-- the internship (1.1): 5 shifts and 5 skills per profession; every active
-- pairing has 3 shifts and 3 skills signed, every second one is admitted;
-- 500 workshops of 2 hours, each attended by 40 mentors
UPDATE mentor.profession SET internship_shifts = 5;
INSERT INTO mentor.skill SELECT p.profession, 'skill-' || k, 'skill ' || k FROM mentor.profession p, generate_series(1, 5) k;
INSERT INTO mentor.internship_shift (pairing_id, worked_on)
SELECT p.pairing_id, p.started_on + j FROM mentor.pairing p, generate_series(1, 3) j WHERE p.status = 'active';
INSERT INTO mentor.skill_signoff (pairing_id, profession, skill, signed_on)
SELECT p.pairing_id, e.profession, 'skill-' || k, p.started_on + 3
FROM mentor.pairing p JOIN mentor.employee e ON e.employee_id = p.mentee_id, generate_series(1, 3) k
WHERE p.status = 'active';
INSERT INTO mentor.admission (pairing_id, admitted_on, admitted_by, order_no)
SELECT pairing_id, started_on + 20, 50, 'D-' || pairing_id FROM mentor.pairing
WHERE status = 'active' AND pairing_id % 20 = 0;
INSERT INTO mentor.workshop (workshop_id, held_on, hours, topic, trainer_id)
SELECT w, '2026-01-05'::date + w % 300, 2, 'workshop ' || w, 50 * (1 + w % 200) FROM generate_series(1, 500) w;
INSERT INTO mentor.workshop_attendance SELECT w, 1 + (w * 37 + k * 251) % (10000 * :scale) FROM generate_series(1, 500) w, generate_series(1, 40) k
ON CONFLICT DO NOTHING;
RESET session_replication_role;
ANALYZE;

\unset QUIET
SELECT (SELECT count(*) FROM mentor.employee) AS employees, (SELECT count(*) FROM mentor.mentor) AS mentors,
	(SELECT count(*) FROM mentor.pairing) AS pairings, (SELECT count(*) FROM mentor.session) AS sessions,
	(SELECT count(*) FROM mentor.hiring_plan) AS plan_rows;

CREATE TEMP TABLE timings (report text, rows bigint, ms numeric);
CREATE FUNCTION pg_temp.timed(report text, q text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; n bigint; best numeric := NULL; i int;
BEGIN
	FOR i IN 1..3 LOOP		-- best of three: the first run also warms the cache
		t0 := clock_timestamp();
		EXECUTE 'SELECT count(*) FROM (' || q || ') x' INTO n;
		best := least(coalesce(best, 1e9), extract(epoch FROM clock_timestamp() - t0) * 1000);
	END LOOP;
	INSERT INTO timings VALUES (report, n, round(best, 1));
END $$;
SELECT pg_temp.timed('mentor_demand, 36 months', $$SELECT * FROM mentor.mentor_demand('2026-12-01', '2029-11-30')$$);
SELECT pg_temp.timed('candidates_needed, 36 months', $$SELECT * FROM mentor.candidates_needed('2026-12-01', '2029-11-30')$$);
SELECT pg_temp.timed('overdue_pairings', $$SELECT * FROM mentor.overdue_pairings('2026-11-22')$$);
SELECT pg_temp.timed('expiring_certificates, 90 days', $$SELECT * FROM mentor.expiring_certificates('90 days', '2026-11-22')$$);
SELECT pg_temp.timed('roster view', $$SELECT * FROM mentor.roster$$);
SELECT pg_temp.timed('site_load view', $$SELECT * FROM mentor.site_load$$);
SELECT pg_temp.timed('bonus_accruals, one month', $$SELECT * FROM mentor.bonus_accruals('2026-10-01', '2026-10-31')$$);
SELECT pg_temp.timed('working_without_admission', $$SELECT * FROM mentor.working_without_admission('2026-11-22')$$);
SELECT pg_temp.timed('refresher_hours, one year', $$SELECT * FROM mentor.refresher_hours(2026)$$);
SELECT report, rows, ms FROM timings;

-- mentor_demand's costly case, which the enterprise above lacks: sites and
-- professions outside the plan with no mentor (office staff) are asked,
-- employee by employee, whether any was ever a production mentee.  20,000
-- of them in 200 groups, rolled back afterwards.
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO mentor.employee (employee_id, personnel_no, full_name, function_area, grade, site, profession, hired_on)
SELECT 100000 * :scale + i, 'O' || i, 'Office ' || i, 'finance', 5, 'HQ-' || (i % 10), 'office-' || (i % 20), '2020-01-01'
FROM generate_series(1, 20000) i;
ANALYZE mentor.employee;
SELECT pg_temp.timed('mentor_demand, + 20,000 office staff', $$SELECT * FROM mentor.mentor_demand('2026-12-01', '2029-11-30')$$);
SELECT report, rows, ms FROM timings WHERE report LIKE '%office%';
ROLLBACK;
ANALYZE mentor.employee;

-- the plans use the indexes
EXPLAIN (COSTS OFF) SELECT * FROM mentor.overdue_pairings('2026-11-22');
EXPLAIN (COSTS OFF) SELECT p.pairing_id, max(x.held_at) FROM mentor.pairing p
	JOIN mentor.session x ON x.pairing_id = p.pairing_id
	WHERE p.status = 'active' AND x.status = 'held' GROUP BY p.pairing_id;
EXPLAIN (COSTS OFF) SELECT * FROM mentor.roster WHERE employee_id = 42;
EXPLAIN (COSTS OFF) SELECT * FROM mentor.expiring_certificates('90 days', '2026-11-22');
EXPLAIN (COSTS OFF) SELECT * FROM mentor.working_without_admission('2026-11-22');
