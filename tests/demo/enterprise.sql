-- tests/demo/enterprise.sql: a small demo enterprise for tests/demo.sh.
-- A potash mine hiring operators (production onboarding) and a steel
-- plant's management mentoring.  Dates are relative to today, so the demo
-- always shows a live programme.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- the company calendar: Russian public holidays of 2026 and 2027
INSERT INTO mentor.holiday (day, name)
SELECT d::date, 'New Year holidays' FROM generate_series('2026-01-01'::date, '2026-01-08', '1 day') d
UNION ALL VALUES ('2026-02-23'::date, 'Defender of the Fatherland Day'),
	('2026-03-09', 'International Women''s Day (moved)'),
	('2026-05-01', 'Spring and Labour Day'), ('2026-05-11', 'Victory Day (moved)'),
	('2026-06-12', 'Russia Day'), ('2026-11-04', 'Unity Day'), ('2026-12-31', 'New Year''s Eve')
UNION ALL SELECT d::date, 'New Year holidays' FROM generate_series('2027-01-01'::date, '2027-01-08', '1 day') d;

-- people: production mentors and mentees at the mine, managers at the plant
INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade, site, profession, is_hr, hired_on) VALUES
	('100101', 'Sergei Volkov',     'mining',     8, 'Mine-3',       'drill operator', false, '2004-03-01'),
	('100102', 'Nikolai Popov',     'mining',     8, 'Mine-3',       'drill operator', false, '2008-06-15'),
	('100103', 'Irina Sokolova',    'mining',     7, 'Mine-3',       'electrician',    false, '2010-09-01'),
	('100104', 'Andrei Kuznetsov',  'mining',     9, 'Mine-3',       'electrician',    false, '2001-02-01'),
	('100105', 'Mikhail Lebedev',   'mining',     8, 'Mine-3',       'mine surveyor',  false, '2006-04-10'),
	('100106', 'Yuri Novikov',      'mining',     7, 'Mine-3',       'drill operator', false, '2012-11-20'),
	('100107', 'Pavel Morozov',     'mining',     8, 'Mine-3',       'drill operator', false, '2009-01-12'),
	('200201', 'Elena Vasilieva',   'production', 14, 'Steel Plant', 'manager',        false, '2005-05-05'),
	('200202', 'Dmitri Fedorov',    'finance',    13, 'Steel Plant', 'manager',        false, '2007-07-07'),
	('200203', 'Olga Mikhailova',   'production', 13, 'Steel Plant', 'manager',        false, '2009-09-09'),
	('300301', 'Tatiana Orlova',    'hr',         10, 'Mine-3',       'hr specialist',  true,  '2011-03-03'),
	('300302', 'Maria Belova',      'hr',         9,  'Steel Plant',  'hr specialist',  true,  '2015-08-08');
INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade, site, profession, hired_on)
SELECT '4004' || lpad(i::text, 2, '0'),
	(ARRAY['Artem', 'Kirill', 'Maxim', 'Denis', 'Ilya', 'Roman', 'Egor', 'Timur', 'Oleg', 'Vlad',
		'Anna', 'Daria', 'Polina', 'Sofia'])[i] || ' ' ||
	(ARRAY['Ivanov', 'Smirnov', 'Petrov', 'Sidorov', 'Zaitsev', 'Pavlov', 'Semenov', 'Golubev',
		'Vinogradov', 'Bogdanov', 'Vorobieva', 'Frolova', 'Titova', 'Kiseleva'])[i],
	'mining', 3, 'Mine-3',
	(ARRAY['drill operator', 'drill operator', 'drill operator', 'drill operator', 'electrician',
		'electrician', 'mine surveyor', 'drill operator', 'drill operator', 'electrician',
		'drill operator', 'mine surveyor', 'electrician', 'drill operator'])[i],
	current_date - 120 + i
FROM generate_series(1, 14) i;
INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade, site, profession, hired_on) VALUES
	('500501', 'Alexei Romanov',  'production', 11, 'Steel Plant', 'manager', current_date - 400),
	('500502', 'Natalia Egorova', 'production', 12, 'Steel Plant', 'manager', current_date - 500),
	('500503', 'Viktor Stepanov', 'finance',    12, 'Steel Plant', 'manager', current_date - 300),
	('500504', 'Ksenia Makarova', 'sales',      11, 'Steel Plant', 'manager', current_date - 200);

-- selection: every candidate but Yuri Novikov passes
INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on, assessor_id)
SELECT e.employee_id, m.method, 70 + (e.employee_id * 7 + length(m.method)) % 25, 100,
	current_date - 1200, (SELECT employee_id FROM mentor.employee WHERE personnel_no = '300301')
FROM mentor.employee e, mentor.selection_threshold m
WHERE e.personnel_no IN ('100101', '100102', '100103', '100104', '100105', '100106', '100107',
	'200201', '200202', '200203');
UPDATE mentor.assessment SET score = 45
WHERE method = 'case_study' AND employee_id = (SELECT employee_id FROM mentor.employee WHERE personnel_no = '100106');

SELECT mentor.approve_mentor(employee_id, 'mentor', current_date - 1150)
FROM mentor.employee
WHERE personnel_no IN ('100101', '100102', '100103', '100104', '100105', '100107', '200201', '200202', '200203');

-- certificates: most valid, Nikolai's expires in 40 days, Mikhail's has expired,
-- Pavel's was revoked
SELECT mentor.issue_certificate(employee_id,
	CASE personnel_no WHEN '100102' THEN current_date - 1055
		WHEN '100105' THEN current_date - 1100 ELSE current_date - 700 + (employee_id % 5)::int * 30 END)
FROM mentor.employee WHERE personnel_no IN ('100101', '100102', '100103', '100104', '100105', '100107');
SELECT mentor.revoke_certificate(c.certificate_id, current_date - 30, 'safety rules breach')
FROM mentor.certificate c JOIN mentor.employee e USING (employee_id) WHERE e.personnel_no = '100107';

-- agreements signed about two years ago (the forms in xml/samples replace
-- them from 2026-03-01 on: each names the one it replaces, which must start
-- earlier, so never later than 2025-03-01 whatever today is)
INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to, bonus_kind, bonus_amount, currency, max_mentees)
SELECT 'MA-2024-' || personnel_no, employee_id, d, d, (d + interval '3 years')::date - 1,
	'fixed', 5000, 'RUB', CASE WHEN personnel_no = '100103' THEN 1 END
FROM mentor.employee, LEAST(current_date - 700, date '2025-03-01') AS d
WHERE personnel_no IN ('100101', '100102', '100103', '100104', '100105', '100107');

CREATE TEMP TABLE who AS SELECT personnel_no AS no, employee_id AS id FROM mentor.employee;

-- Andrei Kuznetsov's record: a completed pairing, a good supervision visit,
-- and so a promotion to production training engineer (this company asks
-- for one completed pairing instead of the default three)
SELECT mentor.assign_pairing('production', (SELECT id FROM who WHERE no = '400413'),
	(SELECT id FROM who WHERE no = '100104'), current_date - 110) AS hist \gset
SELECT mentor.end_pairing(:hist, 'completed', current_date - 30, current_date - 30);
SELECT mentor.record_visit(:hist, (SELECT id FROM who WHERE no = '300301'), current_date - 60,
	'{"knowledge_transfer": 5, "safety_briefing": 5, "hands_on_practice": 4, "feedback_to_mentee": 5}');
SET mentor.promotion_min_completed = 1;
SELECT mentor.promote_mentor((SELECT id FROM who WHERE no = '100104'), current_date - 20);
RESET mentor.promotion_min_completed;

-- pairings: HR assigns new hires to certified mentors of their profession
SELECT mentor.assign_pairing('production', (SELECT id FROM who WHERE no = m), (SELECT id FROM who WHERE no = t), current_date - d)
FROM (VALUES ('400401', '100101', 100), ('400402', '100101', 60), ('400403', '100102', 95),
	('400405', '100104', 110), ('400406', '100103', 90), ('400407', '100105', 300),
	('400408', '100102', 20), ('400410', '100104', 15)) v(m, t, d);
-- a completed one and an early end
SELECT mentor.end_pairing(p.pairing_id, 'completed', current_date - 210, current_date - 210)
FROM mentor.pairing p JOIN who ON who.id = p.mentee_id WHERE who.no = '400407';

-- management: mentees choose, mentors accept
SELECT mentor.request_pairing('management', (SELECT id FROM who WHERE no = m), (SELECT id FROM who WHERE no = t), current_date - d)
FROM (VALUES ('500501', '200201', 130), ('500502', '200202', 90), ('500503', '200201', 40),
	('500504', '200203', 10)) v(m, t, d);
SELECT mentor.accept_pairing(p.pairing_id, p.requested_on + 3)
FROM mentor.pairing p JOIN who ON who.id = p.mentee_id WHERE who.no IN ('500501', '500502', '500503');

-- sessions: production pairings meet weekly; management every 2-4 weeks,
-- and Natalia Egorova's pairing has gone quiet
INSERT INTO mentor.session (pairing_id, held_at, minutes, topic)
SELECT p.pairing_id, p.started_on + 2 + 7 * k + time '09:00', 60 + 15 * (k % 3),
	(ARRAY['safety briefing at the face', 'drill rig controls', 'shift hand-over', 'hands-on practice'])[1 + k % 4]
FROM mentor.pairing p, generate_series(0, 12) k
WHERE p.program = 'production' AND p.started_on + 2 + 7 * k <= least(current_date, coalesce(p.ended_on, current_date));
INSERT INTO mentor.session (pairing_id, held_at, minutes, topic)
SELECT p.pairing_id, p.started_on + 5 + 18 * k + time '16:00', 45,
	(ARRAY['career route', 'leading a shift team', 'budget defence', 'strategic KPIs'])[1 + k % 4]
FROM mentor.pairing p JOIN who ON who.id = p.mentee_id, generate_series(0, 7) k
WHERE p.program = 'management' AND p.status = 'active'
	AND p.started_on + 5 + 18 * k <= current_date - CASE WHEN who.no = '500502' THEN 50 ELSE 0 END;

-- capacity planning: onboarding weeks per profession, and a hiring plan for
-- the mine for the next six months (one drill operator and one electrician a
-- month: small, so that the certificate about to expire shows up as a gap)
INSERT INTO mentor.profession VALUES ('drill operator', 8), ('electrician', 6),
	('mine surveyor', 10), ('manager', 26), ('operator', 8);
INSERT INTO mentor.hiring_plan (site, profession, month, planned_hires)
SELECT 'Mine-3', p, (date_trunc('month', current_date) + k * interval '1 month')::date, 1
FROM generate_series(0, 5) k, unnest(ARRAY['drill operator', 'electrician']) p;
-- and the README's worked example: the whole potash combine hires 3,200
-- operators in 2027 (267 a month, 266 in April, August, November and December)
INSERT INTO mentor.hiring_plan (site, profession, month, planned_hires)
SELECT 'Potash Combine', 'operator', make_date(2027, m, 1),
	CASE WHEN m IN (4, 8, 11, 12) THEN 266 ELSE 267 END
FROM generate_series(1, 12) m;
