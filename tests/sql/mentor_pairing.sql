-- mentor_pairing: the rules checked when a pairing starts (certificate,
-- agreement, capacity, busy mentee), on assign and on accept, and straight
-- into the table
\i tests/sql/fixture.psql

-- mentor_certificate: production requires one valid on the start date
-- (Pavel has none; Ivan's starts on 2026-01-10)
UPDATE mentor.employee SET profession = 'economist', site = 'HQ' WHERE employee_id = 6;
INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to)
VALUES ('MA-2026-00003', 3, '2026-01-05', '2026-01-05', '2029-01-04');
SELECT public.expect($$SELECT mentor.assign_pairing('production', 6, 3, '2026-02-01')$$);
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 1, '2026-01-09')$$);
SELECT count(*) AS pairings FROM mentor.pairing;
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 1, '2026-01-10')$$);
-- management does not require certificates
SELECT public.expect($$SELECT mentor.assign_pairing('management', 6, 3, '2026-02-01')$$);

-- mentor_agreement: production requires one valid on the start date
\i tests/sql/fixture.psql
DELETE FROM mentor.agreement WHERE employee_id = 2;
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 2, '2026-02-01')$$);
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 1, '2026-01-04')$$);
SELECT count(*) AS pairings FROM mentor.pairing;
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 1, '2026-01-10')$$);
-- switched off for the programme, it passes
UPDATE mentor.program SET requires_agreement = NULL WHERE code = 'production';
SELECT public.expect($$SELECT mentor.assign_pairing('production', 5, 2, '2026-02-01')$$);

-- mentor_capacity: 2 active mentees per mentor, counted across programmes
\i tests/sql/fixture.psql
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-01');
SELECT mentor.assign_pairing('management', 6, 1, '2026-02-01');
SELECT public.expect($$SELECT mentor.assign_pairing('production', 5, 1, '2026-02-02')$$);
SELECT public.expect($$INSERT INTO mentor.pairing (program, mentee_id, mentor_id, status, started_on)
	VALUES ('production', 7, 1, 'active', '2026-03-01')$$);
SELECT count(*) AS pairings FROM mentor.pairing;
-- a request is not a place taken, but its acceptance is checked
SELECT mentor.request_pairing('production', 5, 1, '2026-02-02') AS req \gset
SELECT public.expect(format('SELECT mentor.accept_pairing(%s, %L)', :req, '2026-02-03'));
SELECT status, started_on FROM mentor.pairing WHERE pairing_id = :req;
-- once a pairing ends, its place is free the day after
SELECT mentor.end_pairing(1, 'completed', '2026-02-10', '2026-02-10');
SELECT public.expect(format('SELECT mentor.accept_pairing(%s, %L)', :req, '2026-02-10'));
SELECT public.expect(format('SELECT mentor.accept_pairing(%s, %L)', :req, '2026-02-11'));
SELECT program, mentee_id, status, started_on, ended_on FROM mentor.pairing ORDER BY started_on, mentee_id;
-- an agreement's maxMentees lowers the programme's limit
\i tests/sql/fixture.psql
UPDATE mentor.agreement SET max_mentees = 1 WHERE employee_id = 1;
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-01');
SELECT public.expect($$SELECT mentor.assign_pairing('production', 5, 1, '2026-02-01')$$);
-- and a higher one does not raise it
UPDATE mentor.agreement SET max_mentees = 5 WHERE employee_id = 1;
SELECT mentor.assign_pairing('production', 5, 1, '2026-02-01');
SELECT public.expect($$SELECT mentor.assign_pairing('production', 7, 1, '2026-02-01')$$);
-- a programme without a limit
UPDATE mentor.program SET max_mentees = NULL WHERE code = 'production';
SELECT public.expect($$SELECT mentor.assign_pairing('production', 7, 1, '2026-02-01')$$);
-- ... is still bounded by the agreement
UPDATE mentor.agreement SET max_mentees = 3 WHERE employee_id = 1;
SELECT public.expect($$SELECT mentor.assign_pairing('production', 9, 1, '2026-02-01')$$);

-- mentor_mentee_busy: one active pairing per mentee and programme
\i tests/sql/fixture.psql
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-01');
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 2, '2026-03-01')$$);
SELECT public.expect($$INSERT INTO mentor.pairing (program, mentee_id, mentor_id, status, started_on)
	VALUES ('production', 4, 2, 'active', '2026-03-01')$$);
SELECT count(*) AS pairings FROM mentor.pairing;
-- another programme is fine
SELECT public.expect($$SELECT mentor.assign_pairing('management', 4, 3, '2026-03-01')$$);
-- after the end: not on the last day, but from the day after
SELECT mentor.end_pairing(1, 'employer_cancelled', '2026-03-10', '2026-03-01');
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 2, '2026-03-10')$$);
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 2, '2026-03-11')$$);
SELECT program, mentee_id, mentor_id, status, started_on, ended_on
FROM mentor.pairing ORDER BY started_on, mentee_id;

-- the people rules are checked again on acceptance
\i tests/sql/fixture.psql
SELECT mentor.request_pairing('management', 6, 3, '2026-02-01');
UPDATE mentor.employee SET dismissed_on = '2026-02-15' WHERE employee_id = 3;
SELECT status FROM mentor.pairing WHERE pairing_id = 1;
SELECT mentor.request_pairing('management', 6, 1, '2026-02-01');
UPDATE mentor.employee SET grade = 10 WHERE employee_id = 6;
SELECT public.expect($$SELECT mentor.accept_pairing(2, '2026-02-20')$$);
SELECT status FROM mentor.pairing WHERE pairing_id = 2;
