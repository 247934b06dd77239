-- mentor_calendar: working days on the company calendar
\i tests/sql/fixture.psql

-- Friday 2026-05-08 notice: Saturday and Sunday skipped, then a holiday
INSERT INTO mentor.holiday VALUES ('2026-05-11', 'Victory Day (moved)');
SELECT n, mentor.add_working_days('2026-05-08', n) AS day,
	to_char(mentor.add_working_days('2026-05-08', n), 'Dy') AS weekday
FROM generate_series(0, 4) n;
-- a run of holidays longer than the search window (New Year week)
INSERT INTO mentor.holiday SELECT d, 'New Year holidays'
FROM generate_series('2026-12-31'::date, '2027-01-08', '1 day') d;
SELECT mentor.add_working_days('2026-12-30', 1) AS after_new_year,
	mentor.add_working_days('2026-12-30', 3) AS third_day;
-- a long span: 250 working days from 2026-01-01 with no extra holidays
DELETE FROM mentor.holiday;
SELECT mentor.add_working_days('2026-01-01', 250) AS day_250;
SELECT count(*) AS working_days
FROM generate_series('2026-01-02'::date, mentor.add_working_days('2026-01-01', 250), '1 day') d
WHERE extract(isodow FROM d) < 6;
-- bad input
SELECT public.expect($$SELECT mentor.add_working_days('2026-01-01', -1)$$);
SELECT public.expect($$SELECT mentor.add_working_days('infinity', 1)$$);
SELECT mentor.add_working_days(NULL, 1) IS NULL AS strict;
