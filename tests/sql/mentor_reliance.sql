-- mentor_reliance: rules held from the referenced side.  Writes to the
-- rows a pairing's start relied on (the approval, a certificate, an
-- agreement) are refused, each with the rule the pairing was judged by;
-- facts of life (a revocation, a back-dated dismissal or retirement)
-- cascade: pairings end no earlier than their start and later sessions are
-- cancelled with a reason.  After every step nothing is left broken.
\i tests/sql/fixture.psql

-- sessions outside their pairing's active dates: must stay none
CREATE FUNCTION public.sessions_outside() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM mentor.session s JOIN mentor.pairing p USING (pairing_id)
	WHERE s.status <> 'cancelled'
		AND (s.held_at::date < p.started_on OR s.held_at::date > p.ended_on)
$$;

-- Ivan (1) mentors Anna (4) in production from 2 February on certificate 1
-- and agreement MA-2026-00001; Pavel (3), approved 1 January, mentors Carl (6)
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-02') AS p1 \gset
SELECT mentor.assign_pairing('management', 6, 3, '2026-02-02') AS m1 \gset
SELECT mentor.log_session(:m1, '2026-02-03 10:00', 30) AS s1 \gset
SELECT mentor.log_session(:m1, '2026-02-20 10:00', 30) AS s2 \gset

-- the approval: refused (mentor_not_approved)
SELECT public.expect($$DELETE FROM mentor.mentor WHERE employee_id = 3$$);
SELECT public.expect($$UPDATE mentor.mentor SET approved_on = '2026-03-01' WHERE employee_id = 3$$);
SELECT public.expect($$UPDATE mentor.mentor SET approved_on = '2026-02-02' WHERE employee_id = 3$$);
SELECT employee_id, approved_on FROM mentor.mentor WHERE employee_id = 3;

-- a certificate: refused while it alone covers the start (mentor_certificate)
SELECT public.expect($$DELETE FROM mentor.certificate WHERE certificate_id = 1$$);
SELECT public.expect($$UPDATE mentor.certificate SET issued_on = '2026-02-10' WHERE certificate_id = 1$$);
SELECT public.expect($$UPDATE mentor.certificate SET employee_id = 3 WHERE certificate_id = 1$$);
SELECT certificate_id, employee_id, issued_on FROM mentor.certificate WHERE certificate_id = 1;
-- with a second certificate covering the start, the first may change
SELECT mentor.issue_certificate(1, '2026-01-20') AS c3 \gset
SELECT public.expect($$UPDATE mentor.certificate SET issued_on = '2026-02-10' WHERE certificate_id = 1$$);
SELECT public.expect(format('DELETE FROM mentor.certificate WHERE certificate_id = %s', :c3));

-- an agreement: refused while it alone covers the start (mentor_agreement)
SELECT public.expect($$DELETE FROM mentor.agreement WHERE number = 'MA-2026-00001'$$);
SELECT public.expect($$UPDATE mentor.agreement SET valid_from = '2026-03-01', signed_on = '2026-03-01' WHERE number = 'MA-2026-00001'$$);
SELECT public.expect($$UPDATE mentor.agreement SET valid_to = '2026-02-01' WHERE number = 'MA-2026-00001'$$);
-- never moved to another person, relied on or not
SELECT public.expect($$UPDATE mentor.agreement SET employee_id = 1 WHERE number = 'MA-2026-00002'$$);
-- its limit not below the active mentees (mentor_capacity)
SELECT mentor.assign_pairing('production', 9, 1, '2026-02-03') AS p2 \gset
SELECT public.expect($$UPDATE mentor.agreement SET max_mentees = 1 WHERE number = 'MA-2026-00001'$$);
SELECT public.expect($$UPDATE mentor.agreement SET max_mentees = 2 WHERE number = 'MA-2026-00001'$$);
SELECT number, employee_id, valid_from, valid_to, max_mentees FROM mentor.agreement ORDER BY number;

-- rows written straight into mentor.agreement get the import's checks
SELECT public.expect($$INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to)
	VALUES ('MA-X-1', 5, '2026-01-05', '2026-01-05', '2027-01-04')$$);
SELECT public.expect($$INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to)
	VALUES ('MA-X-2', 3, '2026-01-05', '2026-01-05', '2030-01-04')$$);
SELECT public.expect($$INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to, bonus_kind, bonus_amount)
	VALUES ('MA-X-3', 3, '2026-01-05', '2026-01-05', '2027-01-04', 'fixed', 5000)$$);
SELECT public.expect($$INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to, bonus_kind, bonus_amount, currency)
	VALUES ('MA-X-4', 3, '2026-01-05', '2026-01-05', '2027-01-04', 'fixed', 5000, 'RUB')$$);
SELECT count(*) AS agreements FROM mentor.agreement;

-- a pairing's own dates keep its sessions inside (mentor_session_outside_pairing)
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L)', :m1, 'completed', '2026-02-10'));
SELECT public.expect(format('UPDATE mentor.pairing SET started_on = %L WHERE pairing_id = %s', '2026-02-05', :m1));
SELECT pairing_id, status, started_on, ended_on FROM mentor.pairing WHERE pairing_id = :m1;
-- a planned session after the end must be cancelled first
SELECT mentor.log_session(:m1, '2026-03-10 10:00', 30) AS s3 \gset
UPDATE mentor.session SET status = 'planned' WHERE session_id = :s3;
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L)', :m1, 'completed', '2026-02-20'));
UPDATE mentor.session SET status = 'cancelled' WHERE session_id = :s3;
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L)', :m1, 'completed', '2026-02-20'));
SELECT public.sessions_outside() AS sessions_outside;

-- cascades: a revocation ends the pairings that need the certificate on
-- its day (Olga, 2, mentors Boris, 5, from 2 February; sessions on 10 and
-- 20 February; revoked on 15 February)
SELECT mentor.assign_pairing('production', 5, 2, '2026-02-02') AS p3 \gset
SELECT mentor.log_session(:p3, '2026-02-10 10:00', 60) AS s4 \gset
SELECT mentor.log_session(:p3, '2026-02-20 10:00', 60) AS s5 \gset
SELECT mentor.revoke_certificate(2, '2026-02-15', 'audit');
SELECT pairing_id, status, ended_on, end_reason FROM mentor.pairing WHERE pairing_id = :p3;
SELECT session_id, status, cancel_reason FROM mentor.session WHERE pairing_id = :p3 ORDER BY 1;
-- a back-dated dismissal ends a pairing no earlier than its start, and
-- cancels the sessions after it (Dina, 7, with Pavel from 1 March)
SELECT mentor.assign_pairing('management', 7, 3, '2026-03-01') AS m2 \gset
SELECT mentor.log_session(:m2, '2026-03-02 10:00', 30) AS s6 \gset
SELECT mentor.log_session(:m2, '2026-03-20 10:00', 30) AS s7 \gset
UPDATE mentor.employee SET dismissed_on = '2026-02-20' WHERE employee_id = 7;
SELECT pairing_id, status, started_on, ended_on, end_reason FROM mentor.pairing WHERE pairing_id = :m2;
SELECT session_id, status, cancel_reason FROM mentor.session WHERE pairing_id = :m2 ORDER BY 1;
-- a back-dated retirement likewise (Ivan, retired as of 1 February)
SELECT mentor.retire_mentor(1, '2026-02-01');
SELECT pairing_id, status, started_on, ended_on, end_reason FROM mentor.pairing
WHERE mentor_id = 1 ORDER BY 1;
SELECT public.sessions_outside() AS sessions_outside;

-- grandfathered: today's grades and parameters do not end a pairing, the
-- report lists what they would refuse
\i tests/sql/fixture.psql
SELECT mentor.assign_pairing('management', 6, 3, '2026-02-02') AS m1 \gset
SELECT mentor.assign_pairing('management', 7, 3, '2026-02-02') AS m2 \gset
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-02') AS p1 \gset
SELECT * FROM mentor.rule_exceptions('2026-03-01');
UPDATE mentor.employee SET grade = 7 WHERE employee_id = 6;
UPDATE mentor.program SET max_mentees = 1, min_grade_gap_other_area = 5 WHERE code = 'management';
UPDATE mentor.employee SET profession = 'geologist' WHERE employee_id = 4;
SELECT * FROM mentor.rule_exceptions('2026-03-01');
-- on a day after the certificate expires, that too
SELECT pairing_id, rule FROM mentor.rule_exceptions('2029-01-10');
SELECT pairing_id, status FROM mentor.pairing ORDER BY 1;
DROP FUNCTION public.sessions_outside();
