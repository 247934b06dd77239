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

-- production calendars (1.1): the government moves days every year.  A
-- calendar of Russia's facts: Saturday 2025-11-01 worked, its day off moved
-- to Monday 11-03, National Unity Day 11-04; 2026 New Year holidays through
-- 01-08, 01-09 a day off moved from Saturday 01-03, 12-31 from Sunday 01-04
INSERT INTO mentor.calendar (code, title) VALUES ('ru', 'Russian Federation');
INSERT INTO mentor.calendar_day (calendar, day, kind, name, moved_from) VALUES
	('ru', '2025-11-01', 'working', 'working Saturday', NULL),
	('ru', '2025-11-03', 'day_off', 'moved day off', '2025-11-01'),
	('ru', '2025-11-04', 'day_off', 'National Unity Day', NULL),
	('ru', '2026-01-09', 'day_off', 'moved day off', '2026-01-03'),
	('ru', '2026-12-31', 'day_off', 'moved day off', '2026-01-04');
INSERT INTO mentor.calendar_day (calendar, day, kind, name)
SELECT 'ru', d, 'day_off', 'New Year holidays' FROM generate_series('2026-01-01'::date, '2026-01-08', '1 day') d;
-- 3 working days after Thursday 2025-10-30: Friday, the worked Saturday, Wednesday
SELECT mentor.add_working_days('2025-10-30', 3, 'ru') AS ru_2025,
	mentor.add_working_days('2025-10-30', 3) AS default_2025;
-- 3 working days after 2026-01-08: the moved day off on Friday 01-09 skipped
SELECT mentor.add_working_days('2026-01-08', 3, 'ru') AS ru_2026,
	mentor.add_working_days('2026-01-08', 3) AS default_2026;

-- mentor.holiday of 1.0 is the default calendar's days off, read and written
INSERT INTO mentor.holiday VALUES ('2026-06-12', 'Russia Day');
UPDATE mentor.holiday SET name = 'Day of Russia' WHERE day = '2026-06-12';
SELECT calendar, day, kind, name FROM mentor.calendar_day WHERE calendar = 'default' ORDER BY day;
SELECT * FROM mentor.holiday ORDER BY day;
DELETE FROM mentor.holiday WHERE day = '2026-06-12';
SELECT count(*) AS default_days FROM mentor.calendar_day WHERE calendar = 'default';

-- the notice rule counts on the calendar of the mentor's site: Ivan works at
-- Mine-1; notice on 2026-01-08 allows an end on 01-13 on the default
-- calendar, on 01-14 on Mine-1's
SELECT mentor.assign_pairing('production', 4, 1, '2026-01-10') AS p \gset
INSERT INTO mentor.site_calendar VALUES ('Mine-1', 'ru');
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p, 'mentee_withdrew', '2026-01-13', '2026-01-08'));
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p, 'mentee_withdrew', '2026-01-14', '2026-01-08'));
SELECT status, ended_on FROM mentor.pairing WHERE pairing_id = :p;
