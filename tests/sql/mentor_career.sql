-- mentor_career: supervision visits (mentor_supervisor), growth areas,
-- promotion to training engineer (mentor_promotion), Mentor Day, reports
\i tests/sql/fixture.psql

SELECT mentor.assign_pairing('management', 6, 1, '2026-02-01') AS mg \gset
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-01') AS pr \gset

-- mentor_supervisor: HR may, the mentor himself may not, nor a plain employee
SELECT public.expect(format('SELECT mentor.record_visit(%s, 8, %L, %L)', :pr, '2026-03-01',
	'{"safety_briefing": 5, "hands_on_practice": 3, "feedback_to_mentee": 4}'));
SELECT public.expect(format('SELECT mentor.record_visit(%s, 1, %L, %L)', :pr, '2026-03-02',
	'{"safety_briefing": 5}'));
SELECT public.expect(format('INSERT INTO mentor.supervision_visit (pairing_id, supervisor_id, visited_on) VALUES (%s, 5, %L)',
	:pr, '2026-03-02'));
-- bad scores are refused and leave nothing behind
SELECT public.expect(format('SELECT mentor.record_visit(%s, 8, %L, %L)', :pr, '2026-03-03', '{"charisma": 5}'));
SELECT public.expect(format('SELECT mentor.record_visit(%s, 8, %L, %L)', :pr, '2026-03-03', '{"safety_briefing": 7}'));
SELECT public.expect(format('SELECT mentor.record_visit(%s, 8, %L, %L)', :pr, '2026-03-03', '[1, 2]'));
SELECT (SELECT count(*) FROM mentor.supervision_visit) AS visits, (SELECT count(*) FROM mentor.visit_score) AS scores;

-- a second visit; growth areas are the weakest items first
SELECT mentor.record_visit(:pr, 8, '2026-04-01', '{"safety_briefing": 4, "hands_on_practice": 2, "knowledge_transfer": 5}') > 0 AS recorded;
SELECT * FROM mentor.growth_areas(1);

-- mentor_promotion: a valid certificate, 3 completed pairings (setting),
-- and an average supervision score of 4 of 5 (setting)
SELECT public.expect($$SELECT mentor.promote_mentor(1, '2026-05-01')$$);
SET mentor.promotion_min_completed = 1;
SELECT mentor.log_session(:mg, '2026-02-10 10:00+03', 40) > 0 AS session;
SELECT mentor.end_pairing(:mg, 'completed', '2026-04-30', '2026-04-30');
-- average so far: (5+3+4+4+2+5)/6 = 3.83
SELECT public.expect($$SELECT mentor.promote_mentor(1, '2026-05-01')$$);
SELECT mentor.record_visit(:pr, 8, '2026-04-20', '{"safety_briefing": 5, "hands_on_practice": 5, "feedback_to_mentee": 5, "knowledge_transfer": 5}') > 0 AS recorded;
SELECT public.expect($$SELECT mentor.promote_mentor(1, '2026-05-01')$$);
SELECT employee_id, tier, promoted_on FROM mentor.mentor WHERE employee_id = 1;
SELECT public.expect($$SELECT mentor.promote_mentor(1, '2026-05-02')$$);
-- no valid certificate, no promotion; and no approval straight into the top tier
SELECT public.expect($$SELECT mentor.promote_mentor(3, '2026-05-01')$$);
SELECT public.expect($$UPDATE mentor.mentor SET tier = 'training_engineer', promoted_on = '2026-05-01' WHERE employee_id = 2$$);
SELECT tier FROM mentor.mentor WHERE employee_id = 2;
RESET mentor.promotion_min_completed;

-- a training engineer may now supervise someone else's pairing
SELECT mentor.assign_pairing('production', 5, 2, '2026-05-01') AS op \gset
SELECT public.expect(format('SELECT mentor.record_visit(%s, 1, %L, %L)', :op, '2026-05-10', '{"safety_briefing": 4}'));

-- Mentor Day: thanks and ratings per mentor and year
SELECT mentor.thank_mentor(:pr, 5, 'Thank you for the patience at the face', '2026-05-15') > 0 AS thanked;
SELECT mentor.thank_mentor(:mg, 4, NULL, '2026-05-15') > 0 AS thanked;
SELECT mentor.thank_mentor(:op, 5, 'Спасибо!', '2026-05-16') > 0 AS thanked;
SELECT public.expect(format('SELECT mentor.thank_mentor(%s, 6, NULL, %L)', :pr, '2026-05-20'));
SELECT * FROM mentor.mentor_day(2026);
SELECT count(*) AS none_in_2025 FROM mentor.mentor_day(2025);

-- the reports (columns that do not depend on today's date)
SELECT employee_id, personnel_no, tier, certificate_status, certificate_valid_until,
	active_mentees, free_places FROM mentor.roster ORDER BY employee_id;
SELECT * FROM mentor.program_kpis ORDER BY year, program;
SELECT * FROM mentor.site_load ORDER BY site;
-- every report column is documented
SELECT c.relname, a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE n.nspname = 'mentor' AND c.relkind = 'v' AND col_description(c.oid, a.attnum) IS NULL;

-- a human may override the promotion verdict too, with a reason
SELECT public.expect($$SELECT mentor.promote_mentor(2, '2026-05-01')$$);
SELECT mentor.override_verdict(2, 'mentor_promotion', 'leads the new shaft''s training; decided by the board', current_date + 30) > 0 AS overridden;
SELECT public.expect($$SELECT mentor.promote_mentor(2, '2026-05-01')$$);
SELECT employee_id, tier, promoted_on FROM mentor.mentor WHERE employee_id = 2;
SELECT rule, uses FROM mentor.override;
