-- mentor_people: the rules about the two people, through the functions and
-- straight into the table; each refused change leaves no row behind
\i tests/sql/fixture.psql

-- mentor_self_pairing
SELECT public.expect($$SELECT mentor.request_pairing('management', 1, 1, '2026-02-01')$$);
SELECT public.expect($$INSERT INTO mentor.pairing (program, mentee_id, mentor_id, status, started_on)
	VALUES ('management', 3, 3, 'active', '2026-02-01')$$);
SELECT count(*) AS pairings FROM mentor.pairing;

-- mentor_not_approved: never approved, not yet approved, retired
SELECT public.expect($$SELECT mentor.request_pairing('management', 7, 9, '2026-02-01')$$);
SELECT public.expect($$SELECT mentor.assign_pairing('management', 7, 2, '2025-12-31')$$);
UPDATE mentor.mentor SET retired_on = '2026-06-01' WHERE employee_id = 3;
SELECT public.expect($$SELECT mentor.assign_pairing('management', 6, 3, '2026-06-01')$$);
SELECT count(*) AS pairings FROM mentor.pairing;
-- the day before retirement is still fine
SELECT public.expect($$SELECT mentor.assign_pairing('management', 6, 3, '2026-05-31')$$);
SELECT pairing_id, mentee_id, mentor_id, status, started_on FROM mentor.pairing;

-- mentor_dismissed: on the dismissal day, for either person
\i tests/sql/fixture.psql
UPDATE mentor.employee SET dismissed_on = '2026-03-01' WHERE employee_id = 7;
SELECT public.expect($$SELECT mentor.request_pairing('management', 7, 1, '2026-03-01')$$);
SELECT public.expect($$SELECT mentor.request_pairing('management', 7, 1, '2026-02-28')$$);
UPDATE mentor.employee SET dismissed_on = '2026-04-01' WHERE employee_id = 2;
SELECT public.expect($$SELECT mentor.assign_pairing('management', 5, 2, '2026-04-02')$$);
SELECT pairing_id, mentee_id, mentor_id, status FROM mentor.pairing;

-- mentor_grade_gap: management needs 2 levels in the same area, 1 from another
\i tests/sql/fixture.psql
-- Anna (mining, 7) with Olga (mining, 9): gap 2, same area: passes
SELECT public.expect($$SELECT mentor.assign_pairing('management', 4, 2, '2026-02-01')$$);
-- Anna (mining, 7) with Pavel (finance, 8): gap 1, other area: passes
SELECT public.expect($$SELECT mentor.request_pairing('management', 4, 3, '2026-02-01')$$);
-- Carl (finance, 6) with Pavel (finance, 8): gap 2, same area: passes
-- Boris would be fine; Helen is not a mentor. Now the failures:
UPDATE mentor.employee SET grade = 8 WHERE employee_id = 5;
-- Boris (mining, 8) with Olga (mining, 9): gap 1, same area: refused
SELECT public.expect($$SELECT mentor.assign_pairing('management', 5, 2, '2026-02-01')$$);
-- Boris (mining, 8) with Pavel (finance, 8): gap 0, other area: refused
SELECT public.expect($$INSERT INTO mentor.pairing (program, mentee_id, mentor_id, status, requested_on)
	VALUES ('management', 5, 3, 'requested', '2026-02-01')$$);
SELECT pairing_id, mentee_id, mentor_id, status FROM mentor.pairing ORDER BY 1;
-- production has no grade rule
SELECT public.expect($$SELECT mentor.assign_pairing('production', 5, 2, '2026-02-01')$$);

-- mentor_same_profession: production requires it
\i tests/sql/fixture.psql
UPDATE mentor.employee SET profession = 'electrician' WHERE employee_id = 4;
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 1, '2026-02-01')$$);
UPDATE mentor.employee SET profession = NULL WHERE employee_id = 4;
SELECT public.expect($$SELECT mentor.request_pairing('production', 4, 1, '2026-02-01')$$);
SELECT count(*) AS pairings FROM mentor.pairing;
UPDATE mentor.employee SET profession = 'drill operator' WHERE employee_id = 4;
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 1, '2026-02-01')$$);
-- management does not care about professions
SELECT public.expect($$SELECT mentor.assign_pairing('management', 6, 1, '2026-02-01')$$);
SELECT pairing_id, program, mentee_id, mentor_id, status FROM mentor.pairing ORDER BY 1;

-- unknown people and programmes are foreign-key errors, not rule errors
SELECT public.expect($$SELECT mentor.assign_pairing('management', 4, 999, '2026-02-01')$$);
SELECT public.expect($$SELECT mentor.assign_pairing('nosuch', 4, 1, '2026-02-01')$$);
