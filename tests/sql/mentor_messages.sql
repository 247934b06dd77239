-- mentor_messages: rule errors in Russian under a Russian lc_messages (the
-- catalogue po/ru.po, text domain mentor-<major>), with SQLSTATE and
-- CONSTRAINT unchanged; English again for other locales.  The test run
-- generates the ru_RU.UTF-8 locale (tests/lib.sh).
\i tests/sql/fixture.psql

SELECT mentor.assign_pairing('management', 6, 3, '2026-02-02') AS m \gset
SELECT mentor.log_session(:m, '2026-02-10 10:00', 30) > 0 AS logged;
INSERT INTO mentor.profession (profession, onboarding_weeks, internship_shifts) VALUES ('drill operator', 8, 3);
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-02') AS p \gset

SET lc_messages = 'ru_RU.UTF-8';
SELECT public.expect($$SELECT mentor.assign_pairing('production', 1, 1, '2026-02-02')$$);
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :m, '2026-02-15 10:00'));
SELECT public.expect(format('SELECT mentor.admit(%s, %L, 8, %L)', :p, '2026-02-20', 'DA-1'));
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p, 'completed', '2026-03-20', '2026-03-20'));
SELECT public.expect($$SELECT mentor.assign_pairing('production', 5, 1, '2026-02-03')$$);
SELECT public.expect($$SELECT mentor.assign_pairing('production', 7, 1, '2026-02-03')$$);
-- PostgreSQL's own messages follow the same setting
SELECT public.expect('SELECT 1/0');

RESET lc_messages;
SELECT public.expect(format('SELECT mentor.log_session(%s, %L, 30)', :m, '2026-02-15 10:00'));
