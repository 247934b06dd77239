-- mentor_state: the pairing state machine, every illegal transition, the
-- end rules (mentor_min_sessions, mentor_notice_period) and what dismissal
-- and retirement do to pairings
\i tests/sql/fixture.psql

-- creation: only requested or active, without an end
SELECT s AS created_as, public.expect(format(
	'INSERT INTO mentor.pairing (program, mentee_id, mentor_id, status, started_on, ended_on, end_reason)
	 VALUES (%L, 6, 3, %L, %L, %L, %L)', 'management', s, '2026-02-01',
	 CASE WHEN s = 'ended' THEN '2026-03-01' END, CASE WHEN s = 'ended' THEN 'completed' END))
FROM unnest(ARRAY['declined', 'cancelled', 'ended']) s;
SELECT public.expect($$INSERT INTO mentor.pairing (program, mentee_id, mentor_id, status, started_on, ended_on)
	VALUES ('management', 6, 3, 'active', '2026-02-01', '2026-03-01')$$);
SELECT count(*) AS pairings FROM mentor.pairing;

-- one pairing in each state: 1 requested, 2 declined, 3 cancelled, 4 active, 5 ended
SELECT mentor.request_pairing('management', 4, 3, '2026-02-01') AS p_requested \gset
SELECT mentor.request_pairing('management', 5, 3, '2026-02-01') AS p_declined \gset
SELECT mentor.decline_pairing(:p_declined);
SELECT mentor.request_pairing('management', 7, 1, '2026-02-01') AS p_cancelled \gset
UPDATE mentor.pairing SET status = 'cancelled' WHERE pairing_id = :p_cancelled;
SELECT mentor.assign_pairing('management', 6, 3, '2026-02-01') AS p_active \gset
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-01') AS p_ended \gset
SELECT mentor.end_pairing(:p_ended, 'completed', '2026-02-20', '2026-02-20');
CREATE TEMP TABLE before_moves AS SELECT * FROM mentor.pairing;

-- every move the state machine does not have is refused
SELECT p.status AS from_status, t AS to_status,
	(SELECT string_agg(x, ' / ') FROM public.expect(format(
		'UPDATE mentor.pairing SET status = %L, started_on = coalesce(started_on, %L),
			ended_on = CASE WHEN %L = %L THEN %L::date END,
			end_reason = CASE WHEN %L = %L THEN %L END
		 WHERE pairing_id = %s', t, '2026-02-02', t, 'ended', '2026-02-25', t, 'ended', 'completed',
		p.pairing_id)) x WHERE x LIKE 'ERROR%') AS outcome
FROM mentor.pairing p,
	unnest(ARRAY['requested', 'declined', 'cancelled', 'active', 'ended']) t
WHERE p.status <> t
	AND NOT (p.status = 'requested' AND t IN ('active', 'declined', 'cancelled'))
	AND NOT (p.status = 'active' AND t = 'ended')
ORDER BY 1, 2;
-- nothing moved
SELECT count(*) AS changed_rows FROM (
	SELECT * FROM mentor.pairing EXCEPT SELECT * FROM before_moves) d;

-- final states are frozen; people and programme never change
SELECT public.expect(format('UPDATE mentor.pairing SET ended_on = %L WHERE pairing_id = %s', '2026-02-21', :p_ended));
SELECT public.expect(format('UPDATE mentor.pairing SET mentor_id = 2 WHERE pairing_id = %s', :p_active));
SELECT public.expect(format('UPDATE mentor.pairing SET program = %L WHERE pairing_id = %s', 'production', :p_requested));
-- an active pairing can only end by status ended
SELECT public.expect(format('UPDATE mentor.pairing SET ended_on = %L WHERE pairing_id = %s', '2026-02-21', :p_active));
-- decline twice, accept a declined one, end a request
SELECT public.expect(format('SELECT mentor.decline_pairing(%s)', :p_declined));
SELECT public.expect(format('SELECT mentor.accept_pairing(%s, %L)', :p_declined, '2026-02-03'));
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p_requested, 'completed', '2026-02-03', '2026-02-03'));
SELECT count(*) AS changed_rows FROM (
	SELECT * FROM mentor.pairing EXCEPT SELECT * FROM before_moves) d;
-- a no-op update of a final row is fine
SELECT public.expect(format('UPDATE mentor.pairing SET status = status WHERE pairing_id = %s', :p_ended));

-- ending: needs a reason, not before the start
SELECT public.expect(format('UPDATE mentor.pairing SET status = %L WHERE pairing_id = %s', 'ended', :p_active));
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p_active, 'completed', '2026-01-31', '2026-01-31'));
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p_active, 'bored', '2026-03-31', '2026-03-31'));

-- mentor_min_sessions: management needs 1 held session to complete
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p_active, 'completed', '2026-03-31', '2026-03-31'));
SELECT mentor.log_session(:p_active, '2026-02-10 10:00', 30, 'planned only') AS s1 \gset
UPDATE mentor.session SET status = 'planned' WHERE session_id = :s1;
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p_active, 'completed', '2026-03-31', '2026-03-31'));
SELECT status FROM mentor.pairing WHERE pairing_id = :p_active;
UPDATE mentor.session SET status = 'held' WHERE session_id = :s1;
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p_active, 'completed', '2026-03-31', '2026-03-31'));
SELECT status, ended_on, end_reason FROM mentor.pairing WHERE pairing_id = :p_active;

-- mentor_notice_period: production needs 3 working days of notice.
-- Notice on Thursday 2026-04-30; 1 May (Friday) is a holiday, then a
-- weekend: the working days are 4, 5 and 6 May, so 6 May is the earliest end.
INSERT INTO mentor.holiday VALUES ('2026-05-01', 'Spring and Labour Day');
SELECT mentor.assign_pairing('production', 5, 1, '2026-03-01') AS p_prod \gset
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p_prod, 'mentee_withdrew', '2026-05-05', '2026-04-30'));
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p_prod, 'mentor_withdrew', '2026-04-30', '2026-04-30'));
-- a direct write without notified_on has given no notice at all
SELECT public.expect(format('UPDATE mentor.pairing SET status = %L, ended_on = %L, end_reason = %L WHERE pairing_id = %s',
	'ended', '2026-05-05', 'employer_cancelled', :p_prod));
SELECT status FROM mentor.pairing WHERE pairing_id = :p_prod;
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p_prod, 'employer_cancelled', '2026-05-06', '2026-04-30'));
SELECT status, ended_on, end_reason, notified_on FROM mentor.pairing WHERE pairing_id = :p_prod;
-- completion and management (no notice period) need no notice
SELECT mentor.assign_pairing('management', 7, 2, '2026-03-01') AS p_mgmt \gset
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p_mgmt, 'mentee_withdrew', '2026-03-02', '2026-03-02'));

-- dismissal ends active pairings on the dismissal day and cancels requests
\i tests/sql/fixture.psql
SELECT mentor.assign_pairing('management', 6, 3, '2026-02-01') AS a1 \gset
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-01') AS a2 \gset
SELECT mentor.request_pairing('management', 4, 3, '2026-02-01') AS r1 \gset
UPDATE mentor.employee SET dismissed_on = '2026-03-15' WHERE employee_id = 3;
SELECT pairing_id, mentee_id, mentor_id, status, ended_on, end_reason
FROM mentor.pairing ORDER BY 1;
-- retirement ends the mentor's active pairings as mentor_ineligible
SELECT mentor.retire_mentor(1, '2026-04-01');
SELECT pairing_id, status, ended_on, end_reason FROM mentor.pairing WHERE pairing_id = :a2;
SELECT public.expect($$SELECT mentor.retire_mentor(4, '2026-04-01')$$);

-- a programme code can be renamed: the foreign key cascades it into the
-- pairings, which keep their state; moving a pairing to another existing
-- programme is still refused
SELECT mentor.assign_pairing('management', 5, 2, '2026-05-01') AS a4 \gset
UPDATE mentor.program SET code = 'mgmt' WHERE code = 'management';
SELECT pairing_id, program, status FROM mentor.pairing ORDER BY 1;
SELECT public.expect(format('UPDATE mentor.pairing SET program = %L WHERE pairing_id = %s', 'production', :a1));
UPDATE mentor.program SET code = 'management' WHERE code = 'mgmt';
SELECT pairing_id, program, status FROM mentor.pairing ORDER BY 1;
