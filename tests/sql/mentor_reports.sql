-- mentor_reports: overdue_pairings
\i tests/sql/fixture.psql

SELECT mentor.assign_pairing('management', 6, 3, '2026-02-01') AS a \gset
SELECT mentor.assign_pairing('management', 4, 2, '2026-02-01') AS b \gset
SELECT mentor.assign_pairing('production', 5, 1, '2026-02-01') AS c \gset
SELECT mentor.log_session(:a, '2026-02-10 10:00', 30);
SELECT mentor.log_session(:a, '2026-03-01 10:00', 30);
-- a cancelled session is not a meeting
INSERT INTO mentor.session (pairing_id, held_at, minutes, status) VALUES (:b, '2026-02-20 10:00', 30, 'cancelled');

-- management allows at most 31 days; production has no maximum
-- on 2026-03-04: b has had no session since its start 31 days ago: not yet
SELECT * FROM mentor.overdue_pairings('2026-03-04');
-- one day later it is overdue (strictly more than 31 days)
SELECT * FROM mentor.overdue_pairings('2026-03-05');
-- on 2026-04-02, a is 32 days past its last session
SELECT * FROM mentor.overdue_pairings('2026-04-02');
-- a session after as_of does not count
SELECT mentor.log_session(:b, '2026-04-10 10:00', 30);
SELECT pairing_id, last_session, days_since FROM mentor.overdue_pairings('2026-04-02');
-- ended pairings are not overdue
SELECT mentor.end_pairing(:a, 'completed', '2026-04-01', '2026-04-01');
SELECT pairing_id FROM mentor.overdue_pairings('2026-04-02');
