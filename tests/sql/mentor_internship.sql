-- mentor_internship: the production internship and admission to
-- independent work (rules mentor_shift_outside_pairing,
-- mentor_internship_record, mentor_examiner, mentor_admission), the
-- morning report, and the mentors' workshops (mentor_workshop_trainer,
-- refresher_hours).  Every refused write leaves the tables as they were.
\i tests/sql/fixture.psql

-- a drill operator is mentored for 8 weeks and needs 3 shifts and two
-- skills before admission; an economist needs no admission
INSERT INTO mentor.profession (profession, onboarding_weeks, internship_shifts) VALUES
	('drill operator', 8, 3), ('economist', 4, NULL);
INSERT INTO mentor.skill (profession, skill, description) VALUES
	('drill operator', 'pre_shift_check', 'checks the drill rig before the shift'),
	('drill operator', 'gas_measurement', 'measures methane at the face'),
	('economist', 'budgeting', 'plans a cost centre''s budget');
SELECT code, requires_admission FROM mentor.program ORDER BY code;

-- what the internship tables hold: compared after every refused write
CREATE FUNCTION public.internship_state() RETURNS text LANGUAGE sql AS $$
	SELECT format('shifts %s, sign-offs %s, checks %s, admissions %s',
		(SELECT count(*) FROM mentor.internship_shift),
		(SELECT count(*) FROM mentor.skill_signoff),
		(SELECT count(*) FROM mentor.knowledge_check),
		(SELECT count(*) FROM mentor.admission))
$$;

-- Ivan (1) mentors Anna (4) in production from 2 February; Pavel (3)
-- mentors Carl (6) in management
SELECT mentor.assign_pairing('production', 4, 1, '2026-02-02') AS p \gset
SELECT mentor.assign_pairing('management', 6, 3, '2026-02-02') AS m \gset

-- mentor_shift_outside_pairing: inside the dates, one a day, internships only
SELECT mentor.log_shift(:p, '2026-02-03') > 0 AS logged;
SELECT public.expect(format('SELECT mentor.log_shift(%s, %L)', :p, '2026-02-01'));
SELECT public.expect(format('SELECT mentor.log_shift(%s, %L, 6, %L)', :p, '2026-02-03', 'again'));
SELECT public.expect(format('SELECT mentor.log_shift(%s, %L)', :m, '2026-02-03'));
SELECT public.expect(format('INSERT INTO mentor.internship_shift (pairing_id, worked_on) VALUES (%s, %L)', :p, '2026-01-30'));
SELECT public.expect(format('UPDATE mentor.internship_shift SET worked_on = %L WHERE pairing_id = %s', '2026-01-30', :p));
SELECT public.expect('SELECT mentor.log_shift(999, current_date)');
SELECT public.expect(format('SELECT mentor.log_shift(%s, %L, 30)', :p, '2026-02-04'));
SELECT public.internship_state();

-- mentor_internship_record: a skill of the mentee's profession, inside the dates
SELECT mentor.sign_skill(:p, 'pre_shift_check', '2026-02-05');
SELECT profession, skill, signed_on FROM mentor.skill_signoff;
SELECT public.expect(format('SELECT mentor.sign_skill(%s, %L, %L)', :p, 'charisma', '2026-02-05'));
SELECT public.expect(format('INSERT INTO mentor.skill_signoff (pairing_id, profession, skill, signed_on) VALUES (%s, %L, %L, %L)',
	:p, 'economist', 'budgeting', '2026-02-05'));
SELECT public.expect(format('SELECT mentor.sign_skill(%s, %L, %L)', :p, 'gas_measurement', '2026-01-05'));
SELECT public.expect(format('SELECT mentor.sign_skill(%s, %L, %L)', :m, 'budgeting', '2026-02-05'));
SELECT public.internship_state();

-- mentor_examiner: HR or a training engineer, never the mentor
SELECT mentor.record_knowledge_check(:p, '2026-02-06', false, 8) > 0 AS failed_check;
SELECT public.expect(format('SELECT mentor.record_knowledge_check(%s, %L, true, 1)', :p, '2026-02-07'));
SELECT public.expect(format('SELECT mentor.record_knowledge_check(%s, %L, true, 5)', :p, '2026-02-07'));
SELECT public.expect(format('INSERT INTO mentor.knowledge_check (pairing_id, checked_on, passed, examiner_id) VALUES (%s, %L, true, 1)', :p, '2026-02-07'));
SELECT public.expect(format('UPDATE mentor.knowledge_check SET examiner_id = 1 WHERE pairing_id = %s', :p));
SELECT public.expect(format('SELECT mentor.record_knowledge_check(%s, %L, true, 8)', :p, '2026-01-07'));
SELECT public.expect(format('SELECT mentor.record_knowledge_check(%s, %L, true, 8)', :m, '2026-02-07'));
SELECT public.internship_state();

-- mentor_admission: each missing condition in turn
SELECT public.expect(format('SELECT mentor.admit(%s, %L, 8, %L)', :p, '2026-02-20', 'DA-17'));
SELECT mentor.log_shift(:p, d) > 0 AS logged FROM unnest(ARRAY['2026-02-09', '2026-02-10']::date[]) d;
SELECT public.expect(format('SELECT mentor.admit(%s, %L, 8, %L)', :p, '2026-02-20', 'DA-17'));
SELECT mentor.sign_skill(:p, 'gas_measurement', '2026-02-10');
SELECT public.expect(format('SELECT mentor.admit(%s, %L, 8, %L)', :p, '2026-02-20', 'DA-17'));
SELECT mentor.record_knowledge_check(:p, '2026-02-16', true, 8) > 0 AS passed_check;
-- the latest check on or before the day counts: on the 15th it was the failed one
SELECT public.expect(format('SELECT mentor.admit(%s, %L, 8, %L)', :p, '2026-02-15', 'DA-17'));
-- the signatory: never the mentor, never a plain employee
SELECT public.expect(format('SELECT mentor.admit(%s, %L, 1, %L)', :p, '2026-02-20', 'DA-17'));
SELECT public.expect(format('SELECT mentor.admit(%s, %L, 5, %L)', :p, '2026-02-20', 'DA-17'));
SELECT public.expect(format('SELECT mentor.admit(%s, %L, 8, %L)', :p, '2026-01-20', 'DA-17'));
SELECT public.expect(format('INSERT INTO mentor.admission (pairing_id, admitted_on, admitted_by, order_no) VALUES (%s, %L, 5, %L)',
	:p, '2026-02-20', 'DA-17'));
SELECT public.expect(format('INSERT INTO mentor.admission (pairing_id, admitted_on, admitted_by, order_no) VALUES (%s, %L, 8, %L)',
	:p, '2026-02-12', 'DA-17'));
SELECT public.expect(format('SELECT mentor.admit(%s, %L, 8, %L)', :m, '2026-02-20', 'DM-1'));
SELECT e FROM public.expect(format('SELECT mentor.admit(%s, %L, 8, %L)', :p, '2026-02-20', '')) e
WHERE e NOT LIKE '  DETAIL:%';
SELECT public.internship_state();
-- all there: admitted by HR
SELECT public.expect(format('SELECT mentor.admit(%s, %L, 8, %L)', :p, '2026-02-20', 'DA-17'));
SELECT pairing_id = :p AS same, admitted_on, admitted_by, order_no FROM mentor.admission;

-- the admission document: libxml2 writes and escapes it, UTF-8 whatever
-- the names hold; a pairing without admission has none
UPDATE mentor.employee SET full_name = 'Анна "Ким" <&>' WHERE employee_id = 4;
\a
SELECT convert_from(mentor.admission_document(:p), 'UTF8') AS document;
\a
SELECT public.expect(format('SELECT mentor.admission_document(%s)', :m));

-- the records the admission relied on are closed; later ones are not
SELECT public.expect(format('DELETE FROM mentor.internship_shift WHERE pairing_id = %s AND worked_on = %L', :p, '2026-02-10'));
SELECT public.expect(format('UPDATE mentor.internship_shift SET hours = 4 WHERE pairing_id = %s AND worked_on = %L', :p, '2026-02-03'));
SELECT public.expect(format('DELETE FROM mentor.skill_signoff WHERE pairing_id = %s', :p));
SELECT public.expect(format('SELECT mentor.record_knowledge_check(%s, %L, false, 8)', :p, '2026-02-18'));
SELECT public.expect(format('UPDATE mentor.admission SET admitted_on = %L WHERE pairing_id = %s', '2026-02-12', :p));
SELECT public.expect(format('UPDATE mentor.admission SET admitted_by = 1 WHERE pairing_id = %s', :p));
SELECT public.expect(format('UPDATE mentor.admission SET pairing_id = %s WHERE pairing_id = %s', :m, :p));
SELECT public.internship_state();
SELECT mentor.log_shift(:p, '2026-02-23') > 0 AS logged_after;
DELETE FROM mentor.internship_shift WHERE pairing_id = :p AND worked_on = '2026-02-23';

-- a production pairing completes only with its mentee admitted: Boris (5)
-- with Olga (2) has no admission
SELECT mentor.assign_pairing('production', 5, 2, '2026-02-03') AS p2 \gset
SELECT mentor.log_shift(:p2, '2026-03-02') > 0 AS logged;
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p2, 'completed', '2026-03-20', '2026-03-20'));
SELECT public.expect(format('UPDATE mentor.pairing SET status = %L, ended_on = %L, end_reason = %L WHERE pairing_id = %s',
	'ended', '2026-03-20', 'completed', :p2));
-- nor do its dates leave a record outside
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p2, 'dismissed', '2026-02-27', '2026-02-27'));
SELECT public.expect(format('UPDATE mentor.pairing SET started_on = %L WHERE pairing_id = %s', '2026-03-03', :p2));
SELECT pairing_id = :p2 AS same, status, started_on, ended_on FROM mentor.pairing WHERE pairing_id = :p2;
-- a profession without internship_shifts needs no admission: no shifts,
-- and a completion without one
BEGIN;
UPDATE mentor.profession SET internship_shifts = NULL WHERE profession = 'drill operator';
SELECT public.expect(format('SELECT mentor.log_shift(%s, %L)', :p2, '2026-03-09'));
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p2, 'completed', '2026-03-20', '2026-03-20'));
ROLLBACK;
-- a management pairing needs no admission
SELECT mentor.log_session(:m, '2026-02-10 10:00', 30) > 0 AS session;
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :m, 'completed', '2026-03-01', '2026-03-01'));

-- the morning report: 8 weeks = 56 days after the start, not admitted
-- (Anna was admitted on 20 February; Boris started on 3 February)
SELECT d AS as_of, r.personnel_no, r.started_on, r.days, r.shifts, r.shifts_required,
	r.skills_signed, r.skills_total
FROM unnest(ARRAY['2026-03-30', '2026-03-31', '2026-06-01']::date[]) d
LEFT JOIN LATERAL mentor.working_without_admission(d) r ON true ORDER BY d;
-- with a 2-week window Anna, not yet admitted on 19 February, is listed too
UPDATE mentor.profession SET onboarding_weeks = 2 WHERE profession = 'drill operator';
SELECT personnel_no, days, shifts, skills_signed FROM mentor.working_without_admission('2026-02-19') ORDER BY 1;
UPDATE mentor.profession SET onboarding_weeks = 8 WHERE profession = 'drill operator';

-- completing the internship; its admission then stays
SELECT public.expect(format('SELECT mentor.end_pairing(%s, %L, %L, %L)', :p, 'completed', '2026-03-27', '2026-03-27'));
SELECT public.expect(format('DELETE FROM mentor.admission WHERE pairing_id = %s', :p));
SELECT public.internship_state();
-- before completion an admission may be withdrawn (Boris: admitted, withdrawn)
SELECT mentor.log_shift(:p2, d) > 0 AS logged FROM unnest(ARRAY['2026-03-03', '2026-03-04']::date[]) d;
SELECT mentor.sign_skill(:p2, s, '2026-03-04') FROM unnest(ARRAY['pre_shift_check', 'gas_measurement']) s;
SELECT mentor.record_knowledge_check(:p2, '2026-03-05', true, 8) > 0 AS passed;
SELECT public.expect(format('SELECT mentor.admit(%s, %L, 8, %L)', :p2, '2026-03-05', 'DA-18'));
SELECT public.expect(format('DELETE FROM mentor.admission WHERE pairing_id = %s', :p2));
SELECT public.internship_state();
-- a pairing's later start may not leave a sign-off before it either
BEGIN;
DELETE FROM mentor.internship_shift WHERE pairing_id = :p2;
SELECT public.expect(format('UPDATE mentor.pairing SET started_on = %L WHERE pairing_id = %s', '2026-03-05', :p2));
SELECT started_on FROM mentor.pairing WHERE pairing_id = :p2;
ROLLBACK;

-- mentor_workshop_trainer: a training engineer on the workshop's day
SELECT public.expect($$INSERT INTO mentor.workshop (held_on, hours, topic, trainer_id) VALUES ('2026-04-10', 3, 'Feedback', 1)$$);
SELECT public.expect($$INSERT INTO mentor.workshop (held_on, hours, topic, trainer_id) VALUES ('2026-04-10', 3, 'Feedback', 8)$$);
SELECT count(*) AS workshops FROM mentor.workshop;
SET mentor.promotion_min_completed = 1;
SET mentor.promotion_min_score = 0;
SELECT mentor.record_visit(:p, 8, '2026-03-10', '{"safety_briefing": 4}') > 0 AS visited;
SELECT mentor.promote_mentor(1, '2026-04-01');
RESET mentor.promotion_min_completed;
RESET mentor.promotion_min_score;
SELECT public.expect($$INSERT INTO mentor.workshop (held_on, hours, topic, trainer_id) VALUES ('2026-03-10', 3, 'Feedback', 1)$$);
SELECT public.expect($$INSERT INTO mentor.workshop (held_on, hours, topic, trainer_id) VALUES ('2026-04-10', 3, 'Feedback', 1)$$);
SELECT public.expect($$UPDATE mentor.workshop SET held_on = '2026-03-10'$$);
SELECT public.expect($$UPDATE mentor.workshop SET trainer_id = 8$$);
SELECT held_on, trainer_id FROM mentor.workshop;
SELECT workshop_id AS w1 FROM mentor.workshop \gset
INSERT INTO mentor.workshop (held_on, hours, topic, trainer_id) VALUES ('2026-09-15', 2.5, 'Safety talk', 1), ('2027-01-15', 4, 'Next year', 1);
INSERT INTO mentor.workshop_attendance (workshop_id, mentor_id)
SELECT w.workshop_id, m FROM mentor.workshop w, unnest(ARRAY[2, 3]) m WHERE w.held_on < '2027-01-01' AND NOT (m = 3 AND w.topic = 'Safety talk');
INSERT INTO mentor.workshop_attendance (workshop_id, mentor_id)
SELECT workshop_id, 2 FROM mentor.workshop WHERE held_on = '2027-01-15';
SELECT public.expect(format('INSERT INTO mentor.workshop_attendance VALUES (%s, 4)', :w1));
-- 2026: Olga 3 + 2.5 = 5.5 (short 0.5), Pavel 3 (short 3), Ivan 0 (short 6);
-- 2027: Olga 4 (short 2)
SELECT * FROM mentor.refresher_hours(2026);
SELECT mentor_id, hours, short_by FROM mentor.refresher_hours(2027) WHERE hours > 0;
SET mentor.refresher_hours_per_year = 5;
SELECT mentor_id, hours, required, short_by FROM mentor.refresher_hours(2026) WHERE mentor_id = 2;
RESET mentor.refresher_hours_per_year;
-- the roster shows this year's hours up to today
INSERT INTO mentor.workshop (held_on, hours, topic, trainer_id)
VALUES (GREATEST(current_date, '2026-04-01'), 1.5, 'Today', 1);
INSERT INTO mentor.workshop_attendance SELECT workshop_id, 3 FROM mentor.workshop WHERE topic = 'Today';
-- (Pavel: 3 hours on 2026-04-10 and 1.5 today; only today's in a later year)
SELECT refresher_hours = CASE WHEN extract(year FROM current_date) = 2026 THEN 4.5 ELSE 1.5 END
	AS roster_shows_this_year
FROM mentor.roster WHERE employee_id = 3;
