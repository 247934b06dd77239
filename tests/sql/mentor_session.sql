-- mentor_session: mentor_session_outside_pairing, mentor_session_length and
-- mentor_session_spacing, through log_session and straight into the table
\i tests/sql/fixture.psql
SELECT mentor.assign_pairing('management', 6, 3, '2026-02-01') AS mg \gset
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-01') AS pr \gset
SELECT mentor.request_pairing('management', 7, 2, '2026-02-01') AS rq \gset

-- mentor_session_length: 1..45 minutes in management
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 46)', :mg, '2026-02-02 10:00'));
SELECT public.expect(format('INSERT INTO mentor.session (pairing_id, held_at, minutes) VALUES (%s, %L, 0)', :mg, '2026-02-02 10:00'));
SELECT count(*) AS sessions FROM mentor.session;
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 45)', :mg, '2026-02-02 10:00'));
-- production has no maximum, but a session still lasts at least a minute
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 240)', :pr, '2026-02-02 08:00'));
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, -5)', :pr, '2026-02-03 08:00'));
-- an update is checked too
SELECT public.expect(format('UPDATE mentor.session SET minutes = 60 WHERE pairing_id = %s', :mg));
SELECT pairing_id, held_at, minutes FROM mentor.session ORDER BY session_id;

-- mentor_session_outside_pairing: before the start, after the end, not started
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :pr, '2026-01-31 23:59'));
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :rq, '2026-02-20 10:00'));
SELECT mentor.end_pairing(:pr, 'employer_cancelled', '2026-02-27', '2026-02-20');
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :pr, '2026-02-28 09:00'));
-- the last day is still inside
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :pr, '2026-02-27 18:00'));
-- the day is taken in the session TimeZone: 2026-02-27 22:30 UTC is
-- 2026-02-28 01:30 in Moscow, after the end
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :pr, '2026-02-27 22:30+00'));
SET TimeZone = 'UTC';
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :pr, '2026-02-27 22:30+00'));
SET TimeZone = 'Europe/Moscow';
SELECT count(*) AS sessions FROM mentor.session WHERE pairing_id = :pr;

-- mentor_session_spacing: 14 days in management, earlier or later
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :mg, '2026-02-15 10:00'));
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :mg, '2026-02-03 10:00'));
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :mg, '2026-02-16 09:00'));
-- a session logged later but dated earlier is checked against both sides
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :mg, '2026-03-10 10:00'));
SELECT public.expect(format('INSERT INTO mentor.session (pairing_id, held_at, minutes) VALUES (%s, %L, 30)', :mg, '2026-02-25 10:00'));
SELECT count(*) AS sessions FROM mentor.session WHERE pairing_id = :mg;
-- cancelled sessions do not count, and moving one into the window is refused
SELECT session_id AS feb16 FROM mentor.session WHERE pairing_id = :mg AND held_at::date = '2026-02-16' \gset
UPDATE mentor.session SET status = 'cancelled' WHERE session_id = :feb16;
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :mg, '2026-02-24 10:00'));
SELECT public.expect(format('UPDATE mentor.session SET status = %L WHERE session_id = %s', 'held', :feb16));
SELECT public.expect(format('UPDATE mentor.session SET held_at = %L WHERE session_id = %s', '2026-03-20 10:00', :feb16));
SELECT held_at::date, minutes, status FROM mentor.session WHERE pairing_id = :mg ORDER BY held_at;
-- planned sessions count like held ones
SELECT public.expect(format('INSERT INTO mentor.session (pairing_id, held_at, minutes, status) VALUES (%s, %L, 30, %L)', :mg, '2026-04-20 10:00', 'planned'));
SELECT public.expect(format('INSERT INTO mentor.session (pairing_id, held_at, minutes, status) VALUES (%s, %L, 30, %L)', :mg, '2026-04-25 10:00', 'planned'));
-- a multi-row insert is refused whole
SELECT public.expect(format('INSERT INTO mentor.session (pairing_id, held_at, minutes) VALUES (%s, %L, 30), (%s, %L, 30)',
	:mg, '2026-06-01 10:00', :mg, '2026-06-05 10:00'));
SELECT count(*) AS sessions FROM mentor.session WHERE held_at >= '2026-06-01';
-- unknown pairing
SELECT public.expect($$SELECT mentor.log_session(999, '2026-02-02 10:00', 30)$$);
