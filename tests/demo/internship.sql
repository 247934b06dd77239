-- tests/demo/internship.sql: from new hire to independent worker (version
-- 1.1), for tests/demo.sh: a flotation operator's internship (shifts,
-- skills, a failed and a passed knowledge check), admission to independent
-- work by the site's HR, completion; the morning report with one operator
-- still waiting; a mentors' workshop and the year's refresher hours.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- the trade: mentored for 6 weeks; 3 internship shifts and three skills
-- before anyone works alone at a flotation cell
INSERT INTO mentor.profession (profession, onboarding_weeks, internship_shifts)
VALUES ('flotation operator', 6, 3);
INSERT INTO mentor.skill (profession, skill, description) VALUES
	('flotation operator', 'reagent_dosing', 'doses flotation reagents to the chart'),
	('flotation operator', 'froth_control', 'reads and corrects the froth level'),
	('flotation operator', 'cell_lockout', 'locks out a flotation cell before maintenance');

-- a veteran operator, selected, certified and under agreement; two new hires
INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade, site, profession, hired_on) VALUES
	('100108', 'Gennady Zhukov',     'mining', 8, 'Mine-3', 'flotation operator', '2003-05-19'),
	('400415', 'Rustam Khabibullin', 'mining', 3, 'Mine-3', 'flotation operator', current_date - 80),
	('400416', 'Svetlana Gromova',   'mining', 3, 'Mine-3', 'flotation operator', current_date - 60);
CREATE TEMP TABLE op AS SELECT personnel_no AS no, employee_id AS id FROM mentor.employee;
INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on)
SELECT (SELECT id FROM op WHERE no = '100108'), method, 88, 100, current_date - 420
FROM mentor.selection_threshold;
SELECT mentor.approve_mentor((SELECT id FROM op WHERE no = '100108'), 'mentor', current_date - 400) \g /dev/null
SELECT mentor.issue_certificate((SELECT id FROM op WHERE no = '100108'), current_date - 380) \g /dev/null
INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to, bonus_kind, bonus_amount, currency)
SELECT 'MA-2025-100108', id, current_date - 380, current_date - 380, (current_date - 380 + interval '3 years')::date - 1,
	'fixed', 5000, 'RUB' FROM op WHERE no = '100108';

\echo
\echo '== From new hire to independent work: Rustam Khabibullin, flotation operator'
SELECT mentor.assign_pairing('production', (SELECT id FROM op WHERE no = '400415'),
	(SELECT id FROM op WHERE no = '100108'), current_date - 78) AS rustam \gset
SELECT mentor.log_shift(:rustam, current_date - d) FROM unnest(ARRAY[75, 72, 70]) d \g /dev/null
SELECT mentor.sign_skill(:rustam, s, current_date - 70)
FROM unnest(ARRAY['reagent_dosing', 'froth_control', 'cell_lockout']) s \g /dev/null
-- the first knowledge check is failed, the second passed; HR examines
SELECT mentor.record_knowledge_check(:rustam, current_date - 68, false, (SELECT id FROM op WHERE no = '300301')) \g /dev/null
\echo '   admission the day after the failed check is refused:'
\set ON_ERROR_STOP off
SELECT mentor.admit(:rustam, current_date - 67, (SELECT id FROM op WHERE no = '300301'), 'D-0031');
\set ON_ERROR_STOP on
SELECT mentor.record_knowledge_check(:rustam, current_date - 60, true, (SELECT id FROM op WHERE no = '300301')) \g /dev/null
SELECT mentor.admit(:rustam, current_date - 59, (SELECT id FROM op WHERE no = '300301'), 'D-0031') \g /dev/null
SELECT mentor.end_pairing(:rustam, 'completed', current_date - 36, current_date - 36) \g /dev/null
SELECT e.full_name AS mentee, p.started_on, a.admitted_on, a.order_no, s.full_name AS signed_by,
	p.status, p.end_reason, p.ended_on
FROM mentor.pairing p
JOIN mentor.employee e ON e.employee_id = p.mentee_id
JOIN mentor.admission a ON a.pairing_id = p.pairing_id
JOIN mentor.employee s ON s.employee_id = a.admitted_by
WHERE p.pairing_id = :rustam;

\echo
\echo '== The morning report: who works past the onboarding window without admission'
SELECT mentor.assign_pairing('production', (SELECT id FROM op WHERE no = '400416'),
	(SELECT id FROM op WHERE no = '100108'), current_date - 58) AS svetlana \gset
SELECT mentor.log_shift(:svetlana, current_date - d) FROM unnest(ARRAY[55, 52]) d \g /dev/null
SELECT mentor.sign_skill(:svetlana, 'reagent_dosing', current_date - 52) \g /dev/null
SELECT full_name, site, profession, started_on, days, shifts, shifts_required, skills_signed, skills_total
FROM mentor.working_without_admission();

\echo
\echo '== A workshop for mentors, led by the training engineer Andrei Kuznetsov, and the year''s refresher hours'
INSERT INTO mentor.workshop (held_on, hours, topic, trainer_id)
SELECT current_date - 10, 3, 'Giving feedback on the shop floor', id FROM op WHERE no = '100104';
INSERT INTO mentor.workshop_attendance (workshop_id, mentor_id)
SELECT w.workshop_id, op.id FROM mentor.workshop w, op WHERE op.no IN ('100101', '100102', '100108');
SELECT personnel_no, full_name, hours, required, short_by
FROM mentor.refresher_hours(extract(year FROM current_date - 10)::int)
WHERE personnel_no LIKE '100%' ORDER BY personnel_no;
