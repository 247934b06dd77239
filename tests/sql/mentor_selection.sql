-- mentor_selection: nobody becomes a mentor without passing selection
\i tests/sql/fixture.psql

SELECT * FROM mentor.candidate_verdict(1);
-- Fedor failed the test
SELECT * FROM mentor.candidate_verdict(9);
SELECT public.expect($$SELECT mentor.approve_mentor(9)$$);
-- straight into the table is the same rule
SELECT public.expect($$INSERT INTO mentor.mentor (employee_id, approved_on) VALUES (9, '2026-02-01')$$);
SELECT count(*) AS mentors FROM mentor.mentor WHERE employee_id = 9;
-- Anna was never assessed: every required method is missing
SELECT method, passed, note FROM mentor.candidate_verdict(4);
SELECT public.expect($$SELECT mentor.approve_mentor(4)$$);
-- the latest assessment per method counts: a retaken test passes
INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on)
VALUES (9, 'test', 18, 20, '2026-01-15');
SELECT method, score_pct, passed FROM mentor.candidate_verdict(9) WHERE method = 'test';
SELECT public.expect($$SELECT mentor.approve_mentor(9, 'mentor', '2026-02-01')$$);
SELECT employee_id, tier, approved_on FROM mentor.mentor WHERE employee_id = 9;
-- optional methods do not block, but a poor optional score does
INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on)
SELECT 5, m, 7, 10, '2026-01-20'
FROM unnest(ARRAY['competency_model', 'test', 'case_study', 'manager_feedback']) m;
INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on)
VALUES (5, 'peer_feedback', 2, 10, '2026-01-20');
SELECT public.expect($$SELECT mentor.approve_mentor(5)$$);
-- thresholds are data
UPDATE mentor.selection_threshold SET required_pct = 20 WHERE method = 'peer_feedback';
SELECT public.expect($$SELECT mentor.approve_mentor(5, 'mentor', '2026-02-01')$$);
-- approving twice is a duplicate
SELECT public.expect($$SELECT mentor.approve_mentor(5, 'mentor', '2026-02-02')$$);
-- bad scores and methods are refused by the table
SELECT public.expect($$INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on) VALUES (6, 'test', 11, 10, '2026-02-01')$$);
SELECT public.expect($$INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on) VALUES (6, 'astrology', 1, 10, '2026-02-01')$$);

-- a human may override the selection verdict, with a reason, until a day
-- (Labour Code art. 86): the override and its use are in the audit log
SELECT public.expect($$SELECT mentor.override_verdict(4, 'mentor_capacity', 'we need him')$$);
SELECT public.expect($$SELECT mentor.override_verdict(4, 'mentor_selection', '  ')$$);
SELECT public.expect($$SELECT mentor.override_verdict(4, 'mentor_selection', 'a retest is pending', current_date - 1)$$);
SELECT public.expect($$SELECT mentor.approve_mentor(4, 'mentor', '2026-02-01')$$);
SELECT mentor.override_verdict(4, 'mentor_selection', 'the assessments were lost in a fire; the panel vouches for her') > 0 AS overridden;
SELECT public.expect($$SELECT mentor.approve_mentor(4, 'mentor', '2026-02-01')$$);
SELECT employee_id, approved_on FROM mentor.mentor WHERE employee_id = 4;
SELECT rule, reason, uses, used_at IS NOT NULL AS used FROM mentor.override ORDER BY override_id;
SELECT table_name, action, new ->> 'reason' AS override_reason, new ->> 'uses' AS uses
FROM mentor.audit_log WHERE table_name = 'override' ORDER BY audit_id;
