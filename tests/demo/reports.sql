-- tests/demo/reports.sql: what an HR manager sees, for tests/demo.sh
\pset footer off
\pset null '-'

\echo
\echo '== Programmes and their rules (NULL switches a rule off)'
SELECT code, max_mentees AS max, min_grade_gap_same_area AS gap_same, min_grade_gap_other_area AS gap_other,
	min_days_between_sessions AS min_days, max_days_between_sessions AS max_days,
	max_session_minutes AS max_min, min_sessions, requires_certificate AS cert,
	requires_agreement AS agreement, same_profession AS same_prof, notice_working_days AS notice
FROM mentor.program ORDER BY code;

\echo
\echo '== Mentors: tier, certificate and load today'
SELECT e.personnel_no, e.full_name, e.profession, m.tier,
	CASE WHEN mentor.certificate_valid(e.employee_id) THEN 'valid'
		WHEN EXISTS (SELECT 1 FROM mentor.certificate c WHERE c.employee_id = e.employee_id AND c.revoked_on IS NOT NULL) THEN 'revoked'
		WHEN EXISTS (SELECT 1 FROM mentor.certificate c WHERE c.employee_id = e.employee_id) THEN 'expired'
		ELSE 'none' END AS certificate,
	(SELECT max(valid_until) - current_date FROM mentor.certificate c
	 WHERE c.employee_id = e.employee_id AND c.revoked_on IS NULL AND c.valid_until >= current_date) AS days_left,
	(SELECT count(*) FROM mentor.pairing p WHERE p.mentor_id = e.employee_id AND p.status = 'active') AS mentees
FROM mentor.mentor m JOIN mentor.employee e USING (employee_id)
ORDER BY e.personnel_no;

\echo
\echo '== Active pairings'
SELECT p.pairing_id AS id, p.program, te.full_name AS mentor, me.full_name AS mentee, p.started_on,
	(SELECT count(*) FROM mentor.session s WHERE s.pairing_id = p.pairing_id AND s.status = 'held') AS sessions
FROM mentor.pairing p
JOIN mentor.employee te ON te.employee_id = p.mentor_id
JOIN mentor.employee me ON me.employee_id = p.mentee_id
WHERE p.status = 'active' ORDER BY p.program, p.pairing_id;

\echo
\echo '== Requests waiting for the mentor''s answer'
SELECT p.pairing_id AS id, te.full_name AS mentor, me.full_name AS mentee, p.requested_on
FROM mentor.pairing p
JOIN mentor.employee te ON te.employee_id = p.mentor_id
JOIN mentor.employee me ON me.employee_id = p.mentee_id
WHERE p.status = 'requested';

\echo
\echo '== What the rules refuse (every attempt is rolled back; an ERP gets the SQLSTATE and the rule name)'
CREATE FUNCTION pg_temp.attempt(what text, stmt text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE st text; cn text; msg text; hnt text;
BEGIN
	BEGIN
		EXECUTE stmt;
		RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'accepted';
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, cn = CONSTRAINT_NAME,
			msg = MESSAGE_TEXT, hnt = PG_EXCEPTION_HINT;
	END;
	IF st = 'P0001' AND msg = 'accepted' THEN
		RETURN NEXT 'accepted  ' || what;
	ELSE
		RETURN NEXT 'REFUSED   ' || what;
		RETURN NEXT '          ' || st || ' ' || coalesce(nullif(cn, ''), '-') || ': ' || msg;
		IF hnt <> '' THEN RETURN NEXT '          hint: ' || hnt; END IF;
	END IF;
END $$;
CREATE TEMP TABLE who AS SELECT personnel_no AS no, employee_id AS id FROM mentor.employee;
\pset tuples_only on
\pset format unaligned
SELECT a FROM (VALUES
	(1, 'a third mentee for Sergei Volkov',
	 $$SELECT mentor.assign_pairing('production', (SELECT id FROM who WHERE no = '400404'), (SELECT id FROM who WHERE no = '100101'))$$),
	(2, 'a second mentee for Irina Sokolova, whose agreement allows one',
	 $$SELECT mentor.assign_pairing('production', (SELECT id FROM who WHERE no = '400413'), (SELECT id FROM who WHERE no = '100103'))$$),
	(3, 'a new surveyor for Mikhail Lebedev, whose certificate expired',
	 $$SELECT mentor.assign_pairing('production', (SELECT id FROM who WHERE no = '400412'), (SELECT id FROM who WHERE no = '100105'))$$),
	(4, 'a mine surveyor for a drill operator',
	 $$SELECT mentor.assign_pairing('production', (SELECT id FROM who WHERE no = '400412'), (SELECT id FROM who WHERE no = '100102'))$$),
	(5, 'a second mentor for Alexei Romanov in management',
	 $$SELECT mentor.assign_pairing('management', (SELECT id FROM who WHERE no = '500501'), (SELECT id FROM who WHERE no = '200202'))$$),
	(6, 'Yuri Novikov approved as a mentor',
	 $$SELECT mentor.approve_mentor((SELECT id FROM who WHERE no = '100106'))$$),
	(7, 'Natalia Egorova (grade 12) asks for Olga Mikhailova (grade 13)',
	 $$SELECT mentor.request_pairing('management', (SELECT id FROM who WHERE no = '500502'), (SELECT id FROM who WHERE no = '200203'))$$),
	(8, 'Viktor Stepanov (finance, grade 12) asks for Dmitri Fedorov (finance, 13)',
	 $$SELECT mentor.request_pairing('management', (SELECT id FROM who WHERE no = '500503'), (SELECT id FROM who WHERE no = '200202'))$$),
	(9, 'a 90-minute management session',
	 $$SELECT mentor.log_session((SELECT min(pairing_id) FROM mentor.pairing WHERE program = 'management' AND status = 'active'), now(), 90)$$),
	(10, 'two management sessions three days apart, written straight into the table',
	 $$INSERT INTO mentor.session (pairing_id, held_at, minutes)
	   SELECT p, now() + d * interval '1 day', 30
	   FROM (SELECT max(pairing_id) AS p FROM mentor.pairing WHERE program = 'management' AND status = 'active') x,
	        (VALUES (20), (23)) v(d)$$),
	(11, 'a session dated before the pairing started',
	 $$SELECT mentor.log_session(p.pairing_id, p.started_on - 1 + time '10:00', 30) FROM mentor.pairing p WHERE p.mentee_id = (SELECT id FROM who WHERE no = '400410')$$),
	(12, 'a mentee withdraws with one day''s notice',
	 $$SELECT mentor.end_pairing((SELECT min(pairing_id) FROM mentor.pairing WHERE program = 'production' AND status = 'active'), 'mentee_withdrew', current_date + 1, current_date)$$),
	(13, 'the same withdrawal with three working days'' notice',
	 $$SELECT mentor.end_pairing((SELECT min(pairing_id) FROM mentor.pairing WHERE program = 'production' AND status = 'active'), 'mentee_withdrew', mentor.add_working_days(current_date, 3), current_date)$$),
	(14, 'a declined request accepted after all',
	 $$UPDATE mentor.pairing SET status = 'declined' WHERE status = 'requested';
	   UPDATE mentor.pairing SET status = 'active' WHERE status = 'declined'$$),
	(15, 'a certificate for a 12-hour course',
	 $$SELECT mentor.issue_certificate((SELECT id FROM who WHERE no = '100107'), current_date, 12)$$)
) v(n, what, stmt), LATERAL pg_temp.attempt(v.what, v.stmt) a
ORDER BY v.n;
\pset tuples_only off
\pset format aligned

\echo
\echo '== Overdue pairings (more days since the last held session than the programme allows)'
SELECT o.pairing_id AS id, te.full_name AS mentor, me.full_name AS mentee, o.last_session, o.days_since
FROM mentor.overdue_pairings() o
JOIN mentor.employee te ON te.employee_id = o.mentor_id
JOIN mentor.employee me ON me.employee_id = o.mentee_id;

\echo
\echo '== Certificates expiring within 90 days'
SELECT * FROM mentor.expiring_certificates('90 days');

\echo
\echo '== Capacity forecast at Mine-3 for the next six months (production programme)'
\echo '   Nikolai Popov''s certificate expires in 40 days: from then on he is no longer available'
SELECT * FROM mentor.mentor_demand(current_date, (current_date + interval '5 months')::date)
WHERE site = 'Mine-3' AND profession = 'drill operator';
\echo
\echo '== Candidates to send to selection to close the gaps'
SELECT * FROM mentor.pass_rates();
SELECT * FROM mentor.candidates_needed(current_date, (current_date + interval '5 months')::date)
WHERE site = 'Mine-3';
\echo
\echo '== The README''s worked example: 3,200 operators hired by the potash combine in 2027'
SELECT month, expected_mentees, mentors_required, mentors_available, gap
FROM mentor.mentor_demand('2027-01-01', '2027-12-31') WHERE site = 'Potash Combine';
\echo
\echo '== The roster and the load per site (report views)'
SELECT personnel_no, full_name, tier, certificate_status, certificate_days_left, active_mentees, free_places
FROM mentor.roster ORDER BY personnel_no;
SELECT * FROM mentor.site_load ORDER BY site;
\echo
\echo '== Growth areas of Andrei Kuznetsov, from supervision visits'
SELECT g.* FROM mentor.employee e, mentor.growth_areas(e.employee_id) g WHERE e.personnel_no = '100104';

\echo
\echo '== Notice: the earliest end of an early withdrawal notified today (3 working days, company calendar)'
SELECT current_date AS notified_on, mentor.add_working_days(current_date, 3) AS earliest_end;
