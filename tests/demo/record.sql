-- tests/demo/record.sql: the system of record (version 1.1), for
-- tests/demo.sh: a moved working day, one pairing's audit trail, and a
-- correction of a closed payroll month.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

\echo
\echo '== A production calendar: in 2025 the day off of Saturday 1 November moved to Monday 3 November'
INSERT INTO mentor.calendar (code, title) VALUES ('ru-2025', 'Russian Federation, 2025');
-- the xmlcalendar.ru format (xml/samples/calendar/ru-2025.xml, which holds
-- only these facts; demo.sh passes it as base64)
SELECT * FROM mentor.import_calendar(decode(:'calendar_b64', 'base64'), 'ru-2025');
SELECT '2025-10-30'::date AS notice_given,
	mentor.add_working_days('2025-10-30', 3) AS earliest_end_plain_weeks,
	mentor.add_working_days('2025-10-30', 3, 'ru-2025') AS earliest_end_on_the_2025_calendar;

\echo
\echo '== The audit trail of Andrei Kuznetsov''s completed pairing (who, what, why)'
SELECT a.audit_id, a.action, a.old ->> 'status' AS was, a.new ->> 'status' AS became,
	a.new ->> 'ended_on' AS ended_on, a.reason, a.actor, a.application
FROM mentor.audit_log a
JOIN mentor.pairing p ON a.table_name = 'pairing' AND a.row_id = p.pairing_id
JOIN mentor.employee m ON m.employee_id = p.mentor_id
WHERE m.personnel_no = '100104' AND p.status = 'ended'
ORDER BY a.audit_id;

\echo
\echo '== Payroll closes last month; then Sergei Volkov''s bonus is raised from 5,000 to 5,500 back to 1 March'
SELECT mentor.close_month((date_trunc('month', current_date) - interval '1 month')::date);
BEGIN;
SET LOCAL mentor.change_reason = 'bonus raised by order 17-K, back-dated';
UPDATE mentor.agreement SET bonus_amount = 5500 WHERE number = 'MA-2026-00101';
COMMIT;
SELECT month, closed_by, total FROM mentor.closed_months();
\echo '   last month stays as paid; this month carries the difference as a correction row:'
SELECT b.month, b.bonus_kind, b.mentee_months, b.amount, b.note
FROM mentor.bonus_accruals((date_trunc('month', current_date) - interval '1 month')::date, current_date) b
JOIN mentor.employee e USING (employee_id)
WHERE e.personnel_no = '100101' ORDER BY b.month, b.bonus_kind DESC;
