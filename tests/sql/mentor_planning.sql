-- mentor_planning: mentor_demand and candidates_needed against hand-computed
-- numbers (month boundaries, onboarding windows across months, a
-- certificate expiring mid-month)
\i tests/sql/fixture.psql

INSERT INTO mentor.profession VALUES ('drill operator', 8), ('economist', 4);
-- 10 drill operators hired at Mine-1 in March 2026: mentored for 56 days,
-- [2026-03-01, 2026-04-26): 31 days of March, 25 of April
INSERT INTO mentor.hiring_plan VALUES ('Mine-1', 'drill operator', '2026-03-01', 10);
-- Anna, hired earlier, paired on 2026-02-15, open: [2026-02-15, 2026-04-12):
-- 14 days of February, 31 of March, 11 of April
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-15') IS NOT NULL AS paired;
-- Olga's certificate ends on 2026-04-14, in the middle of April
UPDATE mentor.certificate SET issued_on = '2023-04-15' WHERE employee_id = 2;
SELECT employee_id, valid_until FROM mentor.certificate ORDER BY employee_id;

-- expected: Feb 14/28 = 0.5; Mar 10*31/31 + 31/31 = 11; Apr 10*25/30 + 11/30 = 8.7; May 0
-- required = ceil(expected / (2 * 0.85)): 1, 7, 6, 0
-- available at Mine-1: Ivan all four months, Olga until March (not every day of April)
SELECT * FROM mentor.mentor_demand('2026-02-01', '2026-05-31');

-- the availability factor is a setting
SET mentor.availability = 1.0;
SELECT month, expected_mentees, mentors_required FROM mentor.mentor_demand('2026-03-01', '2026-03-31')
WHERE site = 'Mine-1';
RESET mentor.availability;

-- an ended pairing counts through its last day only: Anna's ends on 2026-03-10,
-- so March has 10 of her days: 10*31/31 + 10/31 = 10.3226, and April none
SELECT mentor.end_pairing(1, 'employer_cancelled', '2026-03-10', '2026-03-01');
SELECT month, expected_mentees FROM mentor.mentor_demand('2026-03-01', '2026-04-30') WHERE site = 'Mine-1';

-- candidates: selection pass rate observed from assessments (3 of the 4
-- assessed candidates pass), course pass rate from course attempts (8 of 10)
INSERT INTO mentor.course_attempt (employee_id, taken_on, course_hours, test_passed)
SELECT 1, '2025-06-01'::date + i, 16, i <= 8 FROM generate_series(1, 10) i;
SELECT * FROM mentor.pass_rates();
-- shortages: March ceil(10.3226 / 1.7) - 2 = 5, April ceil(8.3333 / 1.7) - 1 = 4;
-- candidates ceil(5 / (0.75 * 0.8)) = 9 and ceil(4 / 0.6) = 7, sent 45 days
-- (mentor.candidate_lead_days) before the month
SELECT * FROM mentor.candidates_needed('2026-02-01', '2026-05-31');
-- without course history the documented default (0.9) is used: ceil(5 / 0.675) = 8
DELETE FROM mentor.course_attempt;
SELECT * FROM mentor.pass_rates();
SET mentor.candidate_lead_days = 60;
SELECT month, shortage, candidates, send_by FROM mentor.candidates_needed('2026-03-01', '2026-03-31');
RESET mentor.candidate_lead_days;
