-- mentor_closed_months: payroll pays a month once.  close_month freezes a
-- month's bonus accruals; months close in order; a closed month always
-- shows what was paid, and a later change to its amounts appears as a
-- correction row in the first open month, with a note naming the month and
-- the agreement, and is paid once.
\i tests/sql/fixture.psql

-- Ivan (1), fixed 5,000 per mentee-month, mentors Boris (5) from 1 February
SELECT mentor.assign_pairing('production', 5, 1, '2026-02-01') IS NOT NULL AS paired;
SELECT * FROM mentor.bonus_accruals('2026-02-01', '2026-02-28');

-- months close in order, each once; not for PUBLIC
SELECT mentor.close_month('2026-02-10');
SELECT public.expect($$SELECT mentor.close_month('2026-02-01')$$);
SELECT public.expect($$SELECT mentor.close_month('2026-04-01')$$);
SELECT month, closed_by = session_user AS by_me, total FROM mentor.closed_months();

-- the agreement's amount is corrected after February was paid: February
-- stays as paid, March carries the difference, 28 days of 6,000 - 5,000
UPDATE mentor.agreement SET bonus_amount = 6000 WHERE number = 'MA-2026-00001';
SELECT * FROM mentor.bonus_accruals('2026-02-01', '2026-03-31');
-- closing March pays the correction; April does not repeat it
SELECT mentor.close_month('2026-03-01');
SELECT month, bonus_kind, amount, note FROM mentor.bonus_accruals('2026-02-01', '2026-04-30');
SELECT month, total FROM mentor.closed_months();

-- a pairing's dates corrected after closing: the difference again, once
UPDATE mentor.pairing SET started_on = '2026-02-15' WHERE mentee_id = 5;
SELECT month, bonus_kind, mentee_months, amount, note FROM mentor.bonus_accruals('2026-04-01', '2026-04-30');

-- the SQL is not for PUBLIC
SET client_min_messages = warning;
DROP ROLE IF EXISTS mentor_test_payroll;
RESET client_min_messages;
CREATE ROLE mentor_test_payroll;
GRANT USAGE ON SCHEMA mentor TO mentor_test_payroll;
SET ROLE mentor_test_payroll;
SELECT public.expect($$SELECT mentor.close_month('2026-04-01')$$);
RESET ROLE;
REVOKE USAGE ON SCHEMA mentor FROM mentor_test_payroll;
DROP ROLE mentor_test_payroll;
SELECT count(*) AS closed FROM mentor.closed_month;
