/* sql/mentor--1.0--1.1.sql: from 1.0 to 1.1 (rules held from the referenced side) */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION mentor UPDATE TO '1.1'" to load this file. \quit

------------------------------------------------------------------------
-- 1.1: rules held from the referenced side
------------------------------------------------------------------------

-- a pairing ended by something else cancels its later sessions, saying why
ALTER TABLE mentor.session ADD COLUMN cancel_reason text;
COMMENT ON COLUMN mentor.session.cancel_reason IS 'why the session was cancelled when its pairing ended before it (dismissal, retirement, revocation)';

CREATE FUNCTION mentor.certificate_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mentor_certificate_changed' LANGUAGE C;
COMMENT ON FUNCTION mentor.certificate_changed() IS 'trigger: a certificate a pairing''s start relied on keeps covering it (mentor_certificate); a revocation ends the pairings it affects';
CREATE TRIGGER certificate_changed
	AFTER UPDATE OF employee_id, issued_on, valid_until, revoked_on OR DELETE
	ON mentor.certificate FOR EACH ROW EXECUTE FUNCTION mentor.certificate_changed();
COMMENT ON TRIGGER certificate_changed ON mentor.certificate IS 'rules from the referenced side: see mentor.rules';

CREATE FUNCTION mentor.agreement_rules() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mentor_agreement_rules' LANGUAGE C;
COMMENT ON FUNCTION mentor.agreement_rules() IS 'trigger: rows written straight into mentor.agreement get the import''s checks (mentor_agreement)';
CREATE TRIGGER agreement_rules
	BEFORE INSERT OR UPDATE
	ON mentor.agreement FOR EACH ROW EXECUTE FUNCTION mentor.agreement_rules();
COMMENT ON TRIGGER agreement_rules ON mentor.agreement IS 'an approved mentor, the terms of the form, one agreement in force per mentor, never another person';

CREATE FUNCTION mentor.agreement_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mentor_agreement_changed' LANGUAGE C;
COMMENT ON FUNCTION mentor.agreement_changed() IS 'trigger: an agreement a pairing''s start relied on keeps covering it (mentor_agreement); max_mentees not below the active mentees (mentor_capacity)';
CREATE TRIGGER agreement_changed
	AFTER UPDATE OF employee_id, valid_from, valid_to, max_mentees OR DELETE
	ON mentor.agreement FOR EACH ROW EXECUTE FUNCTION mentor.agreement_changed();
COMMENT ON TRIGGER agreement_changed ON mentor.agreement IS 'rules from the referenced side: see mentor.rules';

CREATE FUNCTION mentor.mentor_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mentor_mentor_changed' LANGUAGE C;
COMMENT ON FUNCTION mentor.mentor_changed() IS 'trigger: the approval a pairing''s start relied on stays (mentor_not_approved)';
CREATE TRIGGER mentor_changed
	AFTER UPDATE OF employee_id, approved_on OR DELETE
	ON mentor.mentor FOR EACH ROW EXECUTE FUNCTION mentor.mentor_changed();
COMMENT ON TRIGGER mentor_changed ON mentor.mentor IS 'rules from the referenced side: see mentor.rules';

-- active pairings that today's data and parameters would refuse
CREATE FUNCTION mentor.rule_exceptions(as_of date DEFAULT current_date)
	RETURNS TABLE (pairing_id bigint, program text, mentor_id bigint,
		mentee_id bigint, rule text, detail text)
	LANGUAGE sql STABLE
	BEGIN ATOMIC
	WITH active AS (
		SELECT p.pairing_id, p.program, p.mentor_id, p.mentee_id,
			g.max_mentees, g.min_grade_gap_same_area, g.min_grade_gap_other_area,
			g.requires_certificate, g.requires_agreement, g.same_profession,
			r.grade AS mentor_grade, r.function_area AS mentor_area,
			r.profession AS mentor_profession, r.dismissed_on AS mentor_dismissed,
			e.grade AS mentee_grade, e.function_area AS mentee_area,
			e.profession AS mentee_profession, e.dismissed_on AS mentee_dismissed,
			m.employee_id IS NOT NULL AS is_mentor, m.approved_on, m.retired_on,
			(SELECT a.max_mentees FROM mentor.agreement a
			 WHERE a.employee_id OPERATOR(pg_catalog.=) p.mentor_id
				AND a.valid_from OPERATOR(pg_catalog.<=) rule_exceptions.as_of
				AND a.valid_to OPERATOR(pg_catalog.>=) rule_exceptions.as_of
			 ORDER BY a.valid_to, a.agreement_id LIMIT 1) AS agreement_limit,
			EXISTS (SELECT 1 FROM mentor.agreement a
			 WHERE a.employee_id OPERATOR(pg_catalog.=) p.mentor_id
				AND a.valid_from OPERATOR(pg_catalog.<=) rule_exceptions.as_of
				AND a.valid_to OPERATOR(pg_catalog.>=) rule_exceptions.as_of) AS has_agreement,
			pg_catalog.count(*) OVER (PARTITION BY p.mentor_id) AS mentor_load,
			pg_catalog.count(*) OVER (PARTITION BY p.mentee_id, p.program) AS mentee_pairings
		FROM mentor.pairing p
		JOIN mentor.program g ON g.code OPERATOR(pg_catalog.=) p.program
		JOIN mentor.employee r ON r.employee_id OPERATOR(pg_catalog.=) p.mentor_id
		JOIN mentor.employee e ON e.employee_id OPERATOR(pg_catalog.=) p.mentee_id
		LEFT JOIN mentor.mentor m ON m.employee_id OPERATOR(pg_catalog.=) p.mentor_id
		WHERE p.status OPERATOR(pg_catalog.=) 'active'
			AND p.started_on OPERATOR(pg_catalog.<=) rule_exceptions.as_of
			AND (p.ended_on IS NULL OR p.ended_on OPERATOR(pg_catalog.>=) rule_exceptions.as_of)
	)
	SELECT x.pairing_id, x.program, x.mentor_id, x.mentee_id, v.rule, v.detail
	FROM active x
	CROSS JOIN LATERAL (VALUES
		('mentor_not_approved',
			CASE WHEN NOT x.is_mentor THEN 'the mentor has no mentor.mentor row'
				WHEN x.approved_on OPERATOR(pg_catalog.>) rule_exceptions.as_of THEN 'the mentor is approved only from ' || x.approved_on
				WHEN x.retired_on OPERATOR(pg_catalog.<=) rule_exceptions.as_of THEN 'the mentor retired on ' || x.retired_on END),
		('mentor_dismissed',
			CASE WHEN x.mentor_dismissed OPERATOR(pg_catalog.<=) rule_exceptions.as_of THEN 'the mentor was dismissed on ' || x.mentor_dismissed
				WHEN x.mentee_dismissed OPERATOR(pg_catalog.<=) rule_exceptions.as_of THEN 'the mentee was dismissed on ' || x.mentee_dismissed END),
		('mentor_grade_gap',
			CASE WHEN x.mentor_grade OPERATOR(pg_catalog.-) x.mentee_grade OPERATOR(pg_catalog.<)
				CASE WHEN x.mentor_area OPERATOR(pg_catalog.=) x.mentee_area
					THEN x.min_grade_gap_same_area ELSE x.min_grade_gap_other_area END
				THEN pg_catalog.format('grades %s and %s: a gap of %s, the programme now requires %s',
					x.mentor_grade, x.mentee_grade, x.mentor_grade OPERATOR(pg_catalog.-) x.mentee_grade,
					CASE WHEN x.mentor_area OPERATOR(pg_catalog.=) x.mentee_area
						THEN x.min_grade_gap_same_area ELSE x.min_grade_gap_other_area END) END),
		('mentor_same_profession',
			CASE WHEN x.same_profession AND (x.mentor_profession IS NULL OR x.mentee_profession IS NULL
					OR x.mentor_profession OPERATOR(pg_catalog.<>) x.mentee_profession)
				THEN pg_catalog.format('professions %s and %s', coalesce(x.mentor_profession, 'unknown'),
					coalesce(x.mentee_profession, 'unknown')) END),
		('mentor_certificate',
			CASE WHEN x.requires_certificate AND NOT mentor.certificate_valid(x.mentor_id, rule_exceptions.as_of)
				THEN 'the mentor holds no certificate valid on ' || rule_exceptions.as_of END),
		('mentor_agreement',
			CASE WHEN x.requires_agreement AND NOT x.has_agreement
				THEN 'the mentor has no agreement in force on ' || rule_exceptions.as_of END),
		('mentor_capacity',
			CASE WHEN x.mentor_load OPERATOR(pg_catalog.>) LEAST(x.max_mentees, x.agreement_limit)
				THEN pg_catalog.format('the mentor has %s active mentees, the limit is now %s',
					x.mentor_load, LEAST(x.max_mentees, x.agreement_limit)) END),
		('mentor_mentee_busy',
			CASE WHEN x.mentee_pairings OPERATOR(pg_catalog.>) 1
				THEN pg_catalog.format('the mentee has %s active pairings in programme %s',
					x.mentee_pairings, x.program) END)
	) AS v(rule, detail)
	WHERE v.detail IS NOT NULL
	ORDER BY x.pairing_id, v.rule;
END;
COMMENT ON FUNCTION mentor.rule_exceptions(date) IS
	'active pairings on as_of that today''s data and programme parameters would refuse, with the rule: pairings keep the judgement of their start (grandfathered), this lists them for review';

-- the rule catalogue: where each rule is enforced, by trigger and table (a
-- name an ERP or a DBA can look up in \d+, and that no file rename changes)
CREATE OR REPLACE VIEW mentor.rules (rule, description, parameter, enforced_in) AS
VALUES
	('mentor_self_pairing', 'mentor and mentee are the same person', NULL, 'trigger pairing_rules on mentor.pairing'),
	('mentor_not_approved', 'the mentor is not an approved, non-retired mentor', NULL, 'trigger pairing_rules on mentor.pairing; trigger mentor_changed on mentor.mentor'),
	('mentor_certificate', 'the programme requires a certificate and none is valid on the start date', 'program.requires_certificate', 'trigger pairing_rules on mentor.pairing; trigger certificate_changed on mentor.certificate'),
	('mentor_agreement', 'the programme requires an agreement and none is valid on the start date; or an agreement overlaps another of the same mentor', 'program.requires_agreement', 'trigger pairing_rules on mentor.pairing; triggers agreement_rules and agreement_changed on mentor.agreement; function mentor.import_agreements'),
	('mentor_grade_gap', 'grade gap below the programme''s minimum (same / other functional area)', 'program.min_grade_gap_same_area, program.min_grade_gap_other_area', 'trigger pairing_rules on mentor.pairing'),
	('mentor_same_profession', 'the programme requires the same profession and they differ', 'program.same_profession', 'trigger pairing_rules on mentor.pairing'),
	('mentor_capacity', 'the mentor would have more active mentees than allowed', 'program.max_mentees, agreement.max_mentees', 'trigger pairing_rules on mentor.pairing; trigger agreement_changed on mentor.agreement'),
	('mentor_mentee_busy', 'the mentee already has an active pairing in that programme', NULL, 'trigger pairing_rules on mentor.pairing'),
	('mentor_dismissed', 'either person is dismissed on the start date', 'employee.dismissed_on', 'trigger pairing_rules on mentor.pairing'),
	('mentor_state_transition', 'a pairing moves along a transition the state machine does not have', NULL, 'trigger pairing_rules on mentor.pairing'),
	('mentor_min_sessions', 'a pairing is ended as completed with fewer held sessions than the minimum', 'program.min_sessions', 'trigger pairing_rules on mentor.pairing'),
	('mentor_notice_period', 'an early end is dated before the Nth working day after notified_on', 'program.notice_working_days', 'trigger pairing_rules on mentor.pairing'),
	('mentor_session_outside_pairing', 'a session lies outside the pairing''s active dates', NULL, 'trigger session_rules on mentor.session; trigger pairing_rules on mentor.pairing'),
	('mentor_session_length', 'minutes not in 1..the programme''s maximum', 'program.max_session_minutes', 'trigger session_rules on mentor.session'),
	('mentor_session_spacing', 'a non-cancelled session lies closer than the minimum days to another of the same pair', 'program.min_days_between_sessions', 'trigger session_rules on mentor.session'),
	('mentor_selection', 'approving a candidate whose assessments do not pass', 'selection_threshold', 'trigger mentor_rules on mentor.mentor'),
	('mentor_course_hours', 'a certificate for a course shorter than the required hours, or a failed final test', 'mentor.course_hours (setting)', 'trigger certificate_rules on mentor.certificate'),
	('mentor_supervisor', 'a supervision visit by the mentor being visited, or by someone who is neither HR nor a training engineer', NULL, 'trigger visit_rules on mentor.supervision_visit'),
	('mentor_promotion', 'promotion to training engineer without meeting its conditions', 'mentor.promotion_min_completed, mentor.promotion_min_score (settings)', 'trigger promotion_rules on mentor.mentor'),
	('mentor_shift_outside_pairing', 'an internship shift outside the pairing''s active dates, a second shift on one day, or a shift in a programme without admission', 'program.requires_admission, profession.internship_shifts', 'trigger internship_rules on mentor.internship_shift; trigger pairing_rules on mentor.pairing'),
	('mentor_internship_record', 'a skill sign-off or knowledge check outside the pairing''s active dates or in a pairing that needs no admission, or a skill not of the mentee''s profession', 'program.requires_admission, profession.internship_shifts', 'trigger internship_rules on mentor.skill_signoff; trigger internship_rules on mentor.knowledge_check; trigger pairing_rules on mentor.pairing'),
	('mentor_examiner', 'a knowledge check by the pairing''s mentor or by someone who is neither HR nor a training engineer', NULL, 'trigger internship_rules on mentor.knowledge_check'),
	('mentor_admission', 'admission to independent work without the shifts, the signed skills or a passed knowledge check, by a wrong signatory; a production pairing completed without admission; a change to the records an admission relied on', 'program.requires_admission, profession.internship_shifts', 'trigger admission_rules on mentor.admission; trigger internship_rules on mentor.internship_shift; trigger internship_rules on mentor.skill_signoff; trigger internship_rules on mentor.knowledge_check; trigger pairing_rules on mentor.pairing'),
	('mentor_workshop_trainer', 'a workshop led by someone who is not a training engineer', NULL, 'trigger workshop_rules on mentor.workshop');
COMMENT ON COLUMN mentor.rules.enforced_in IS 'the triggers (and tables) that enforce it';

------------------------------------------------------------------------
-- 1.1: one agreement in force per mentor on any day
------------------------------------------------------------------------

-- an agreement may replace an earlier one whose days it overlaps: the
-- earlier one then ends the day before (agreement_rules refuses any other
-- overlap, the import cuts the replaced agreement and keeps its version)
ALTER TABLE mentor.agreement ADD COLUMN replaces text;
COMMENT ON COLUMN mentor.agreement.replaces IS 'number of the agreement this one replaces (<replaces> in the form); that one ends the day before this one starts';
ALTER TABLE mentor.agreement_version ADD COLUMN replaces text;
COMMENT ON COLUMN mentor.agreement_version.replaces IS 'number of the agreement that version replaced';

CREATE FUNCTION mentor.agreement_replaces() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mentor_agreement_replaces' LANGUAGE C;
COMMENT ON FUNCTION mentor.agreement_replaces() IS 'trigger: the agreement a new one replaces ends the day before it starts, its version kept';
CREATE TRIGGER agreement_replaces
	AFTER INSERT OR UPDATE OF replaces, valid_from
	ON mentor.agreement FOR EACH ROW EXECUTE FUNCTION mentor.agreement_replaces();
COMMENT ON TRIGGER agreement_replaces ON mentor.agreement IS 'one agreement in force per mentor: cuts the agreement this one replaces';


------------------------------------------------------------------------
-- 1.1: the audit log
------------------------------------------------------------------------

CREATE TABLE mentor.audit_log (
	audit_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	txid bigint NOT NULL DEFAULT pg_catalog.txid_current(),
	actor text NOT NULL,
	role text NOT NULL,
	application text,
	table_name text NOT NULL,
	row_id bigint,
	action text NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),
	old jsonb,
	new jsonb,
	reason text
);
CREATE INDEX audit_log_row_idx ON mentor.audit_log (table_name, row_id, audit_id);
COMMENT ON TABLE mentor.audit_log IS 'every change of pairings, mentors, certificates, agreements and programmes, of sessions (changes and deletions) and of dismissals, in the same transaction; append-only for every role but the extension''s owner';
COMMENT ON COLUMN mentor.audit_log.audit_id IS 'generated id, in the order of writing';
COMMENT ON COLUMN mentor.audit_log.at IS 'when (the transaction''s start)';
COMMENT ON COLUMN mentor.audit_log.txid IS 'the transaction';
COMMENT ON COLUMN mentor.audit_log.actor IS 'session_user: who logged in';
COMMENT ON COLUMN mentor.audit_log.role IS 'current_user: the role the change was made as';
COMMENT ON COLUMN mentor.audit_log.application IS 'application_name of the session';
COMMENT ON COLUMN mentor.audit_log.table_name IS 'the table changed, in schema mentor';
COMMENT ON COLUMN mentor.audit_log.row_id IS 'the changed row''s id (pairing_id, employee_id, ...); NULL for programmes';
COMMENT ON COLUMN mentor.audit_log.action IS 'INSERT, UPDATE or DELETE';
COMMENT ON COLUMN mentor.audit_log.old IS 'the row before the change (UPDATE, DELETE)';
COMMENT ON COLUMN mentor.audit_log.new IS 'the row after the change (INSERT, UPDATE)';
COMMENT ON COLUMN mentor.audit_log.reason IS 'mentor.change_reason, or what the change says: an end reason, a revocation reason';
COMMENT ON INDEX mentor.audit_log_pkey IS 'primary key of mentor.audit_log';
COMMENT ON INDEX mentor.audit_log_row_idx IS 'a row''s history: WHERE table_name = ... AND row_id = ... ORDER BY audit_id';
COMMENT ON SEQUENCE mentor.audit_log_audit_id_seq IS 'generates audit_log.audit_id';

CREATE FUNCTION mentor.audit() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mentor_audit' LANGUAGE C;
COMMENT ON FUNCTION mentor.audit() IS 'trigger: one audit_log row per changed row, written as the log''s owner; argument: the table''s id column';
CREATE FUNCTION mentor.audit_log_guard() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mentor_audit_log_guard' LANGUAGE C;
COMMENT ON FUNCTION mentor.audit_log_guard() IS 'trigger: the audit log is append-only for every role but its owner';

CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON mentor.pairing
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('pairing_id');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON mentor.mentor
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('employee_id');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON mentor.certificate
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('certificate_id');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON mentor.agreement
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('agreement_id');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON mentor.program
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('');
-- a new session is its own record: only changes and deletions are logged
CREATE TRIGGER audit AFTER UPDATE OR DELETE ON mentor.session
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('session_id');
CREATE TRIGGER audit AFTER UPDATE OF dismissed_on ON mentor.employee
	FOR EACH ROW WHEN (OLD.dismissed_on IS DISTINCT FROM NEW.dismissed_on)
	EXECUTE FUNCTION mentor.audit('employee_id');
COMMENT ON TRIGGER audit ON mentor.pairing IS 'the audit log';
COMMENT ON TRIGGER audit ON mentor.mentor IS 'the audit log';
COMMENT ON TRIGGER audit ON mentor.certificate IS 'the audit log';
COMMENT ON TRIGGER audit ON mentor.agreement IS 'the audit log';
COMMENT ON TRIGGER audit ON mentor.program IS 'the audit log';
COMMENT ON TRIGGER audit ON mentor.session IS 'the audit log: changes and deletions';
COMMENT ON TRIGGER audit ON mentor.employee IS 'the audit log: dismissals';

CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON mentor.audit_log
	FOR EACH ROW EXECUTE FUNCTION mentor.audit_log_guard();
CREATE TRIGGER audit_log_guard_truncate BEFORE TRUNCATE ON mentor.audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION mentor.audit_log_guard();
-- a restore (session_replication_role = replica) must not rewrite it either
ALTER TABLE mentor.audit_log ENABLE ALWAYS TRIGGER audit_log_guard;
ALTER TABLE mentor.audit_log ENABLE ALWAYS TRIGGER audit_log_guard_truncate;
COMMENT ON TRIGGER audit_log_guard ON mentor.audit_log IS 'append-only: no UPDATE or DELETE but by the owner';
COMMENT ON TRIGGER audit_log_guard_truncate ON mentor.audit_log IS 'append-only: no TRUNCATE but by the owner';

SELECT pg_catalog.pg_extension_config_dump('mentor.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.audit_log_audit_id_seq', '');

------------------------------------------------------------------------
-- 1.1: human overrides of selection and promotion verdicts
------------------------------------------------------------------------

CREATE TABLE mentor.override (
	override_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	employee_id bigint NOT NULL REFERENCES mentor.employee,
	rule text NOT NULL CHECK (rule IN ('mentor_selection', 'mentor_promotion')),
	reason text NOT NULL CHECK (reason OPERATOR(pg_catalog.<>) ''),
	valid_until date,
	granted_by text NOT NULL DEFAULT session_user,
	granted_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	used_at timestamptz,
	uses int NOT NULL DEFAULT 0
);
CREATE INDEX override_employee_idx ON mentor.override (employee_id, rule);
COMMENT ON TABLE mentor.override IS 'human overrides of the mentor_selection and mentor_promotion verdicts (Labour Code art. 86, personal data law art. 16), each with its reason and uses; audited';
COMMENT ON COLUMN mentor.override.override_id IS 'generated id';
COMMENT ON COLUMN mentor.override.employee_id IS 'the person the verdict concerns';
COMMENT ON COLUMN mentor.override.rule IS 'mentor_selection or mentor_promotion; no other rule can be overridden';
COMMENT ON COLUMN mentor.override.reason IS 'why a human decided otherwise than the rule';
COMMENT ON COLUMN mentor.override.valid_until IS 'last day it lets the person pass; NULL: no end';
COMMENT ON COLUMN mentor.override.granted_by IS 'who recorded it (session_user)';
COMMENT ON COLUMN mentor.override.granted_at IS 'when';
COMMENT ON COLUMN mentor.override.used_at IS 'when approve_mentor or promote_mentor last passed the rule by it';
COMMENT ON COLUMN mentor.override.uses IS 'how often it let the person pass';
COMMENT ON INDEX mentor.override_pkey IS 'primary key of mentor.override';
COMMENT ON INDEX mentor.override_employee_idx IS 'a person''s overrides of a rule (the selection and promotion triggers)';
COMMENT ON SEQUENCE mentor.override_override_id_seq IS 'generates override.override_id';

CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON mentor.override
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('override_id');
COMMENT ON TRIGGER audit ON mentor.override IS 'the audit log: overrides and their uses';

CREATE FUNCTION mentor.override_verdict(employee_id bigint, rule text, reason text,
	valid_until date DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	id bigint;
BEGIN
	IF override_verdict.rule IS NULL OR override_verdict.rule NOT IN ('mentor_selection', 'mentor_promotion') THEN
		RAISE EXCEPTION 'rule % cannot be overridden', coalesce(override_verdict.rule, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				HINT = 'Only the verdicts of mentor_selection and mentor_promotion rest on a person''s decision; every other rule holds.';
	END IF;
	IF override_verdict.reason IS NULL OR btrim(override_verdict.reason) = '' THEN
		RAISE EXCEPTION 'an override needs a reason'
			USING ERRCODE = 'invalid_parameter_value',
				HINT = 'Say why the verdict is overridden: it goes into the audit log.';
	END IF;
	INSERT INTO mentor.override (employee_id, rule, reason, valid_until)
	VALUES (override_verdict.employee_id, override_verdict.rule,
		override_verdict.reason, override_verdict.valid_until)
	RETURNING override_id INTO id;
	RETURN id;
END;
$$;
COMMENT ON FUNCTION mentor.override_verdict(bigint, text, text, date) IS
	'records a human override of the mentor_selection or mentor_promotion verdict for a person, with a reason, until valid_until; not for PUBLIC';
REVOKE ALL ON FUNCTION mentor.override_verdict(bigint, text, text, date) FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('mentor.override', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.override_override_id_seq', '');

------------------------------------------------------------------------
-- 1.1: closed payroll months
------------------------------------------------------------------------

-- the accruals as today's data computes them: 1.0's bonus_accruals, with a
-- tie-break so that it names the same agreement under every query plan,
-- computed by spans of days (each pairing's days in a month cut by the
-- pieces of time one agreement is in force and the days a valid
-- certificate covers) instead of a row and a certificate lookup per
-- mentee-day
CREATE FUNCTION mentor.accruals_computed(from_month date, to_month date)
	RETURNS TABLE (employee_id bigint, month date, mentee_days int,
		mentee_months numeric, agreement_number text, bonus_kind text,
		amount numeric, note text)
	LANGUAGE sql STABLE
	-- series the planner cannot size: JIT would cost more than the query
	SET jit = off
	BEGIN ATOMIC
	WITH months AS (
		SELECT m::date AS month,
			(m OPERATOR(pg_catalog.+) interval '1 month')::date OPERATOR(pg_catalog.-) 1 AS last_day
		FROM pg_catalog.generate_series(
			pg_catalog.date_trunc('month', accruals_computed.from_month::timestamp),
			pg_catalog.date_trunc('month', accruals_computed.to_month::timestamp),
			interval '1 month') m
	), segments AS (
		-- a paid programme's pairing within a month: its mentee-days as a span
		SELECT p.mentor_id, mo.month, mo.last_day,
			pg_catalog.daterange(GREATEST(p.started_on, mo.month),
				LEAST(coalesce(p.ended_on, mo.last_day), mo.last_day), '[]') AS span
		FROM months mo
		JOIN mentor.pairing p
			ON p.status OPERATOR(pg_catalog.=) ANY ('{active,ended}'::text[])
			AND p.started_on OPERATOR(pg_catalog.<=) mo.last_day
			AND (p.ended_on IS NULL OR p.ended_on OPERATOR(pg_catalog.>=) mo.month)
		JOIN mentor.program g
			ON g.code OPERATOR(pg_catalog.=) p.program AND g.requires_agreement
		WHERE GREATEST(p.started_on, mo.month) OPERATOR(pg_catalog.<=)
			LEAST(coalesce(p.ended_on, mo.last_day), mo.last_day)
	), certified AS (
		-- the days a mentor holds a valid certificate (certificate_valid's rule)
		SELECT c.employee_id, pg_catalog.range_agg(pg_catalog.daterange(c.issued_on,
			LEAST(c.valid_until OPERATOR(pg_catalog.+) 1, c.revoked_on))) AS days
		FROM mentor.certificate c
		WHERE c.issued_on OPERATOR(pg_catalog.<) LEAST(c.valid_until OPERATOR(pg_catalog.+) 1, c.revoked_on)
		GROUP BY c.employee_id
	), bounds AS (
		-- the days on which the agreement in force may change
		SELECT a.employee_id, a.valid_from AS day FROM mentor.agreement a
		UNION
		SELECT a.employee_id, a.valid_to OPERATOR(pg_catalog.+) 1 FROM mentor.agreement a
	), pieces AS (
		SELECT b.employee_id, b.day AS first,
			pg_catalog.lead(b.day) OVER (PARTITION BY b.employee_id ORDER BY b.day) AS stop
		FROM bounds b
	), in_force AS (
		-- between two such days one agreement is in force: the latest start,
		-- then the latest id, among those covering the piece (rows from
		-- before 1.1 may overlap)
		SELECT pc.employee_id, pg_catalog.daterange(pc.first, pc.stop) AS piece,
			a.agreement_id, a.bonus_kind, a.bonus_amount
		FROM pieces pc
		CROSS JOIN LATERAL (
			SELECT x.agreement_id, x.bonus_kind, x.bonus_amount
			FROM mentor.agreement x
			WHERE x.employee_id OPERATOR(pg_catalog.=) pc.employee_id
				AND x.valid_from OPERATOR(pg_catalog.<=) pc.first
				AND x.valid_to OPERATOR(pg_catalog.>=) pc.first
			ORDER BY x.valid_from DESC, x.agreement_id DESC LIMIT 1) a
		WHERE pc.stop IS NOT NULL
	), by_segment AS (
		SELECT s.mentor_id, s.month, s.last_day,
			pg_catalog.upper(s.span) OPERATOR(pg_catalog.-) pg_catalog.lower(s.span) AS days,
			coalesce((SELECT pg_catalog.sum(pg_catalog.upper(r) OPERATOR(pg_catalog.-) pg_catalog.lower(r))
				FROM pg_catalog.unnest(pg_catalog.datemultirange(s.span) OPERATOR(pg_catalog.*) c.days) r), 0) AS certified_days
		FROM segments s
		LEFT JOIN certified c ON c.employee_id OPERATOR(pg_catalog.=) s.mentor_id
	), by_agreement AS (
		-- each segment's days under each agreement, and those also certified
		SELECT s.mentor_id, s.month, f.agreement_id, f.bonus_kind, f.bonus_amount,
			pg_catalog.upper(s.span OPERATOR(pg_catalog.*) f.piece)
				OPERATOR(pg_catalog.-) pg_catalog.lower(s.span OPERATOR(pg_catalog.*) f.piece) AS agreement_days,
			coalesce((SELECT pg_catalog.sum(pg_catalog.upper(r) OPERATOR(pg_catalog.-) pg_catalog.lower(r))
				FROM pg_catalog.unnest(pg_catalog.datemultirange(s.span OPERATOR(pg_catalog.*) f.piece)
					OPERATOR(pg_catalog.*) c.days) r), 0) AS paid_days
		FROM segments s
		JOIN in_force f ON f.employee_id OPERATOR(pg_catalog.=) s.mentor_id
			AND f.piece OPERATOR(pg_catalog.&&) s.span
		LEFT JOIN certified c ON c.employee_id OPERATOR(pg_catalog.=) s.mentor_id
	), main AS (
		-- the agreement of most paid days (the lowest id of equals, as mode())
		SELECT DISTINCT ON (a.mentor_id, a.month) a.mentor_id, a.month, a.agreement_id
		FROM (SELECT b.mentor_id, b.month, b.agreement_id, pg_catalog.sum(b.paid_days) AS paid
			FROM by_agreement b GROUP BY b.mentor_id, b.month, b.agreement_id) a
		WHERE a.paid OPERATOR(pg_catalog.>) 0
		ORDER BY a.mentor_id, a.month, a.paid DESC, a.agreement_id
	), monthly AS (
		SELECT x.mentor_id, x.month, x.month_days, x.days, x.certified_days,
			coalesce(y.agreement_days, 0) AS agreement_days,
			coalesce(y.paid_days, 0) AS paid_days, y.fixed_sum, z.agreement_id AS main_agreement
		FROM (SELECT b.mentor_id, b.month,
				(b.last_day OPERATOR(pg_catalog.-) b.month OPERATOR(pg_catalog.+) 1) AS month_days,
				pg_catalog.sum(b.days) AS days, pg_catalog.sum(b.certified_days) AS certified_days
			FROM by_segment b GROUP BY b.mentor_id, b.month, b.last_day) x
		LEFT JOIN (SELECT a.mentor_id, a.month,
				pg_catalog.sum(a.agreement_days) AS agreement_days,
				pg_catalog.sum(a.paid_days) AS paid_days,
				pg_catalog.sum(a.bonus_amount OPERATOR(pg_catalog.*) a.paid_days)
					FILTER (WHERE a.bonus_kind OPERATOR(pg_catalog.=) 'fixed'
						AND a.paid_days OPERATOR(pg_catalog.>) 0) AS fixed_sum
			FROM by_agreement a GROUP BY a.mentor_id, a.month) y
			ON y.mentor_id OPERATOR(pg_catalog.=) x.mentor_id AND y.month OPERATOR(pg_catalog.=) x.month
		LEFT JOIN main z
			ON z.mentor_id OPERATOR(pg_catalog.=) x.mentor_id AND z.month OPERATOR(pg_catalog.=) x.month
	)
	SELECT m.mentor_id, m.month, m.days::int,
		pg_catalog.round(m.paid_days::numeric OPERATOR(pg_catalog./) m.month_days, 4),
		a.number, a.bonus_kind,
		CASE WHEN m.paid_days OPERATOR(pg_catalog.=) 0 THEN 0
			WHEN a.bonus_kind OPERATOR(pg_catalog.=) 'percent' THEN a.bonus_amount
			ELSE pg_catalog.round(m.fixed_sum OPERATOR(pg_catalog./) m.month_days, 2) END,
		CASE WHEN m.agreement_days OPERATOR(pg_catalog.=) 0
				THEN 'nothing accrues: no mentorship agreement in force on any mentee-day'
			WHEN m.certified_days OPERATOR(pg_catalog.=) 0
				THEN 'nothing accrues: no valid certificate on any mentee-day'
			WHEN m.paid_days OPERATOR(pg_catalog.=) 0
				THEN 'nothing accrues: agreement and certificate never valid on the same mentee-day'
			WHEN a.bonus_kind OPERATOR(pg_catalog.=) 'percent'
				THEN 'percent of pay for ' OPERATOR(pg_catalog.||)
					pg_catalog.round(m.paid_days::numeric OPERATOR(pg_catalog./) m.month_days, 4)
					OPERATOR(pg_catalog.||) ' mentee-months, applied by payroll'
			WHEN m.paid_days OPERATOR(pg_catalog.<) m.days
				THEN 'accrues on ' OPERATOR(pg_catalog.||) m.paid_days OPERATOR(pg_catalog.||)
					' of ' OPERATOR(pg_catalog.||) m.days OPERATOR(pg_catalog.||)
					' mentee-days: the others lack an agreement or a valid certificate'
			ELSE 'fixed bonus per mentee-month' END
	FROM monthly m
	LEFT JOIN mentor.agreement a ON a.agreement_id OPERATOR(pg_catalog.=) m.main_agreement
	ORDER BY m.mentor_id, m.month;
	END;
COMMENT ON FUNCTION mentor.accruals_computed(date, date) IS
	'the bonus accruals as today''s data computes them, closed months or not (bonus_accruals shows closed months as frozen)';

CREATE TABLE mentor.closed_month (
	month date PRIMARY KEY CHECK (month OPERATOR(pg_catalog.=) pg_catalog.date_trunc('month', month)::date),
	closed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	closed_by text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE mentor.closed_month IS 'payroll months paid and closed, in order (close_month); their accruals are frozen';
COMMENT ON COLUMN mentor.closed_month.month IS 'the month (its first day)';
COMMENT ON COLUMN mentor.closed_month.closed_at IS 'when it was closed';
COMMENT ON COLUMN mentor.closed_month.closed_by IS 'who closed it (session_user)';
COMMENT ON INDEX mentor.closed_month_pkey IS 'one row per closed month';

CREATE TABLE mentor.accrual_frozen (
	-- written before its month is marked closed, in the same transaction
	month date NOT NULL REFERENCES mentor.closed_month DEFERRABLE INITIALLY DEFERRED,
	employee_id bigint NOT NULL,
	mentee_days int NOT NULL,
	mentee_months numeric NOT NULL,
	agreement_number text,
	bonus_kind text,
	amount numeric NOT NULL,
	note text,
	corrects_month date
);
CREATE INDEX accrual_frozen_month_idx ON mentor.accrual_frozen (month, employee_id);
COMMENT ON TABLE mentor.accrual_frozen IS 'bonus_accruals rows of closed months, as paid';
COMMENT ON COLUMN mentor.accrual_frozen.month IS 'the closed month';
COMMENT ON COLUMN mentor.accrual_frozen.employee_id IS 'the mentor';
COMMENT ON COLUMN mentor.accrual_frozen.mentee_days IS 'mentee-days (0 for a correction)';
COMMENT ON COLUMN mentor.accrual_frozen.mentee_months IS 'mentee-months paid, or their correction';
COMMENT ON COLUMN mentor.accrual_frozen.agreement_number IS 'the agreement applied';
COMMENT ON COLUMN mentor.accrual_frozen.bonus_kind IS 'fixed, percent or correction';
COMMENT ON COLUMN mentor.accrual_frozen.amount IS 'the amount (the percentage for percent), or the difference for a correction';
COMMENT ON COLUMN mentor.accrual_frozen.note IS 'as bonus_accruals said';
COMMENT ON COLUMN mentor.accrual_frozen.corrects_month IS 'for a correction: the earlier closed month it corrects';
COMMENT ON INDEX mentor.accrual_frozen_month_idx IS 'a closed month''s rows';

-- per mentor and closed month: what today's data computes, minus what was
-- paid for it (its frozen rows and the corrections paid since)
CREATE FUNCTION mentor.accrual_corrections()
	RETURNS TABLE (employee_id bigint, corrects_month date, mentee_months numeric,
		agreement_number text, amount numeric)
	LANGUAGE sql STABLE
	SET jit = off
	BEGIN ATOMIC
	WITH now_computed AS (
		SELECT c.employee_id, c.month, c.mentee_months, c.agreement_number,
			CASE WHEN c.bonus_kind OPERATOR(pg_catalog.=) 'percent' THEN 0 ELSE c.amount END AS amount
		FROM mentor.accruals_computed(
			(SELECT pg_catalog.min(m.month) FROM mentor.closed_month m),
			(SELECT pg_catalog.max(m.month) FROM mentor.closed_month m)) c
	), paid AS (
		SELECT f.employee_id, coalesce(f.corrects_month, f.month) AS month,
			pg_catalog.sum(f.mentee_months) AS mentee_months,
			pg_catalog.sum(CASE WHEN f.bonus_kind OPERATOR(pg_catalog.=) 'percent' THEN 0 ELSE f.amount END) AS amount
		FROM mentor.accrual_frozen f
		GROUP BY 1, 2
	)
	SELECT coalesce(n.employee_id, p.employee_id), coalesce(n.month, p.month),
		coalesce(n.mentee_months, 0) OPERATOR(pg_catalog.-) coalesce(p.mentee_months, 0),
		n.agreement_number,
		coalesce(n.amount, 0) OPERATOR(pg_catalog.-) coalesce(p.amount, 0)
	FROM now_computed n
	FULL JOIN paid p ON p.employee_id OPERATOR(pg_catalog.=) n.employee_id
		AND p.month OPERATOR(pg_catalog.=) n.month
	WHERE coalesce(n.mentee_months, 0) OPERATOR(pg_catalog.<>) coalesce(p.mentee_months, 0)
		OR coalesce(n.amount, 0) OPERATOR(pg_catalog.<>) coalesce(p.amount, 0);
	END;
COMMENT ON FUNCTION mentor.accrual_corrections() IS
	'per mentor and closed month: today''s computation minus what was paid for it; bonus_accruals shows these as correction rows of the first open month';

-- closed months frozen, open months computed, and the corrections of closed
-- months in the first open month
CREATE OR REPLACE FUNCTION mentor.bonus_accruals(from_month date, to_month date)
	RETURNS TABLE (employee_id bigint, month date, mentee_days int,
		mentee_months numeric, agreement_number text, bonus_kind text,
		amount numeric, note text)
	LANGUAGE sql STABLE
	SET jit = off
	BEGIN ATOMIC
	WITH bounds AS (
		SELECT pg_catalog.date_trunc('month', bonus_accruals.from_month::timestamp)::date AS first,
			pg_catalog.date_trunc('month', bonus_accruals.to_month::timestamp)::date AS last,
			(SELECT (pg_catalog.max(m.month) OPERATOR(pg_catalog.+) interval '1 month')::date
			 FROM mentor.closed_month m) AS first_open
	)
	SELECT r.employee_id, r.month, r.mentee_days, r.mentee_months, r.agreement_number,
		r.bonus_kind, r.amount, r.note
	FROM (
		SELECT f.employee_id, f.month, f.mentee_days, f.mentee_months, f.agreement_number,
			f.bonus_kind, f.amount, f.note, f.corrects_month
		FROM mentor.accrual_frozen f, bounds b
		WHERE f.month OPERATOR(pg_catalog.>=) b.first AND f.month OPERATOR(pg_catalog.<=) b.last
		UNION ALL
		SELECT c.employee_id, c.month, c.mentee_days, c.mentee_months, c.agreement_number,
			c.bonus_kind, c.amount, c.note, NULL
		FROM mentor.accruals_computed(bonus_accruals.from_month, bonus_accruals.to_month) c
		WHERE NOT EXISTS (SELECT 1 FROM mentor.closed_month m WHERE m.month OPERATOR(pg_catalog.=) c.month)
		UNION ALL
		SELECT k.employee_id, b.first_open, 0, k.mentee_months, k.agreement_number,
			'correction', k.amount,
			'correction of ' OPERATOR(pg_catalog.||) pg_catalog.to_char(k.corrects_month, 'YYYY-MM')
				OPERATOR(pg_catalog.||) ', agreement ' OPERATOR(pg_catalog.||) coalesce(k.agreement_number, 'none'),
			k.corrects_month
		FROM mentor.accrual_corrections() k, bounds b
		WHERE b.first_open OPERATOR(pg_catalog.>=) b.first AND b.first_open OPERATOR(pg_catalog.<=) b.last
	) r
	ORDER BY r.employee_id, r.month, r.corrects_month NULLS FIRST;
	END;

CREATE FUNCTION mentor.close_month(month date)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	m date := date_trunc('month', close_month.month::timestamp)::date;
	last date;
BEGIN
	IF m IS NULL THEN
		RAISE EXCEPTION 'a month to close is required' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- one closer at a time
	LOCK TABLE mentor.closed_month IN SHARE ROW EXCLUSIVE MODE;
	SELECT max(c.month) INTO last FROM mentor.closed_month c;
	IF last IS NOT NULL AND m <= last THEN
		RAISE EXCEPTION 'month % is closed already', to_char(m, 'YYYY-MM')
			USING ERRCODE = 'invalid_parameter_value',
				HINT = 'A closed month is changed only by correction rows in the first open month.';
	END IF;
	IF last IS NOT NULL AND m <> (last + interval '1 month')::date THEN
		RAISE EXCEPTION 'month % cannot be closed before %', to_char(m, 'YYYY-MM'),
			to_char((last + interval '1 month')::date, 'YYYY-MM')
			USING ERRCODE = 'invalid_parameter_value',
				HINT = 'Months close in order, each the month after the last closed one.';
	END IF;
	INSERT INTO mentor.accrual_frozen (month, employee_id, mentee_days, mentee_months,
		agreement_number, bonus_kind, amount, note, corrects_month)
	SELECT m, b.employee_id, b.mentee_days, b.mentee_months, b.agreement_number,
		b.bonus_kind, b.amount, b.note, NULL
	FROM mentor.bonus_accruals(m, m) b WHERE b.bonus_kind IS DISTINCT FROM 'correction'
	UNION ALL
	SELECT m, k.employee_id, 0, k.mentee_months, k.agreement_number, 'correction', k.amount,
		'correction of ' || to_char(k.corrects_month, 'YYYY-MM') || ', agreement ' ||
			coalesce(k.agreement_number, 'none'),
		k.corrects_month
	FROM mentor.accrual_corrections() k;
	INSERT INTO mentor.closed_month (month) VALUES (m);
END;
$$;
COMMENT ON FUNCTION mentor.close_month(date) IS
	'freezes a month''s bonus accruals (with the corrections it carries) as paid; months close in order; not for PUBLIC';
REVOKE ALL ON FUNCTION mentor.close_month(date) FROM PUBLIC;

CREATE FUNCTION mentor.closed_months()
	RETURNS TABLE (month date, closed_at timestamptz, closed_by text, total numeric)
	LANGUAGE sql STABLE
	BEGIN ATOMIC
	SELECT c.month, c.closed_at, c.closed_by,
		coalesce((SELECT pg_catalog.sum(f.amount) FROM mentor.accrual_frozen f
			WHERE f.month OPERATOR(pg_catalog.=) c.month
				AND f.bonus_kind OPERATOR(pg_catalog.<>) 'percent'), 0)
	FROM mentor.closed_month c ORDER BY c.month;
	END;
COMMENT ON FUNCTION mentor.closed_months() IS
	'the closed payroll months: when, by whom, and the fixed amounts and corrections paid';

SELECT pg_catalog.pg_extension_config_dump('mentor.closed_month', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.accrual_frozen', '');

------------------------------------------------------------------------
-- 1.1: production calendars
------------------------------------------------------------------------

CREATE TABLE mentor.calendar (
	code text PRIMARY KEY,
	title text NOT NULL,
	builtin boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE mentor.calendar IS 'production calendars: "default", and those of regions or sites';
COMMENT ON COLUMN mentor.calendar.code IS 'calendar code (site_calendar and calendar_day use it)';
COMMENT ON COLUMN mentor.calendar.title IS 'human-readable name';
COMMENT ON COLUMN mentor.calendar.builtin IS 'installed by the extension; pg_dump keeps only the other rows';
COMMENT ON INDEX mentor.calendar_pkey IS 'one calendar per code';
INSERT INTO mentor.calendar (code, title, builtin) VALUES ('default', 'Company calendar', true);

CREATE TABLE mentor.calendar_day (
	calendar text NOT NULL DEFAULT 'default' REFERENCES mentor.calendar ON UPDATE CASCADE,
	day date NOT NULL,
	kind text NOT NULL DEFAULT 'day_off' CHECK (kind IN ('day_off', 'working', 'short')),
	name text,
	moved_from date,
	PRIMARY KEY (calendar, day)
);
COMMENT ON TABLE mentor.calendar_day IS 'the days a calendar says otherwise than Monday-Friday working, Saturday-Sunday off';
COMMENT ON COLUMN mentor.calendar_day.calendar IS 'the calendar';
COMMENT ON COLUMN mentor.calendar_day.day IS 'the day';
COMMENT ON COLUMN mentor.calendar_day.kind IS 'day_off, working (a Saturday or Sunday worked) or short (a shortened working day)';
COMMENT ON COLUMN mentor.calendar_day.name IS 'the holiday or why';
COMMENT ON COLUMN mentor.calendar_day.moved_from IS 'for a day off moved from another day: that day';
COMMENT ON INDEX mentor.calendar_day_pkey IS 'a calendar''s days in order: working-day counts read it';

-- 1.0's holiday table is now the default calendar's days off, read and written as before
INSERT INTO mentor.calendar_day (calendar, day, kind, name)
SELECT 'default', h.day, 'day_off', h.name FROM mentor.holiday h;
DROP TABLE mentor.holiday;
CREATE VIEW mentor.holiday AS
SELECT d.day, d.name FROM mentor.calendar_day d
WHERE d.calendar OPERATOR(pg_catalog.=) 'default' AND d.kind OPERATOR(pg_catalog.=) 'day_off'
WITH CASCADED CHECK OPTION;
COMMENT ON VIEW mentor.holiday IS 'the days off of the default calendar (1.0''s company calendar): insert, update and delete write mentor.calendar_day';
COMMENT ON COLUMN mentor.holiday.day IS 'the non-working day';
COMMENT ON COLUMN mentor.holiday.name IS 'why it is a holiday';

CREATE TABLE mentor.site_calendar (
	site text PRIMARY KEY,
	calendar text NOT NULL REFERENCES mentor.calendar ON UPDATE CASCADE
);
COMMENT ON TABLE mentor.site_calendar IS 'the calendar of a site; a site without a row uses "default"';
COMMENT ON COLUMN mentor.site_calendar.site IS 'site, as in employee.site';
COMMENT ON COLUMN mentor.site_calendar.calendar IS 'its calendar';
COMMENT ON INDEX mentor.site_calendar_pkey IS 'one calendar per site; the notice rule reads it';

DROP FUNCTION mentor.add_working_days(date, int);
CREATE FUNCTION mentor.add_working_days(from_day date, days int, calendar text DEFAULT 'default')
	RETURNS date
	AS 'MODULE_PATHNAME', 'mentor_add_working_days'
	LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION mentor.add_working_days(date, int, text) IS
	'the Nth working day after from_day on a calendar: counting starts the next day; Saturdays, Sundays and the calendar''s days off are skipped, its working days counted';

CREATE FUNCTION mentor.import_calendar(doc text, calendar text DEFAULT 'default')
	RETURNS TABLE (day date, kind text, action text)
	AS 'MODULE_PATHNAME', 'mentor_import_calendar_text'
	LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION mentor.import_calendar(text, text) IS
	'loads a year of a production calendar (xmlcalendar.ru format) all or nothing, replacing that year''s rows of the calendar';

CREATE FUNCTION mentor.import_calendar(doc bytea, calendar text DEFAULT 'default')
	RETURNS TABLE (day date, kind text, action text)
	AS 'MODULE_PATHNAME', 'mentor_import_calendar_bytea'
	LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION mentor.import_calendar(bytea, text) IS
	'import_calendar for the file''s bytes: the declared encoding (windows-1251, UTF-16 with BOM, ...) is honoured';

CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON mentor.calendar_day
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('');
COMMENT ON TRIGGER audit ON mentor.calendar_day IS 'the audit log';

SELECT pg_catalog.pg_extension_config_dump('mentor.calendar', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('mentor.calendar_day', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.site_calendar', '');

------------------------------------------------------------------------
-- 1.1: the production internship, admission to independent work, and the
-- mentors' workshops
------------------------------------------------------------------------

-- who may sign (supervise, examine, admit, train) is judged on the day, so
-- a visit's day re-checks its supervisor
DROP TRIGGER visit_rules ON mentor.supervision_visit;
CREATE TRIGGER visit_rules
	BEFORE INSERT OR UPDATE OF pairing_id, supervisor_id, visited_on
	ON mentor.supervision_visit FOR EACH ROW EXECUTE FUNCTION mentor.visit_rules();

ALTER TABLE mentor.program ADD COLUMN requires_admission boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN mentor.program.requires_admission IS 'mentor_admission: a pairing is the mentee''s internship and completes only after admission to independent work (where the profession sets internship_shifts)';
-- the built-in production programme requires it; an installation step,
-- not a change anyone made, so the audit log does not record it
ALTER TABLE mentor.program DISABLE TRIGGER audit;
UPDATE mentor.program SET requires_admission = true WHERE code OPERATOR(pg_catalog.=) 'production' AND builtin;
ALTER TABLE mentor.program ENABLE TRIGGER audit;

ALTER TABLE mentor.profession ADD COLUMN internship_shifts int CHECK (internship_shifts >= 0);
COMMENT ON COLUMN mentor.profession.internship_shifts IS 'internship shifts required before admission to independent work; NULL: the profession needs no admission';

CREATE TABLE mentor.skill (
	profession text NOT NULL REFERENCES mentor.profession ON UPDATE CASCADE,
	skill text NOT NULL CHECK (skill OPERATOR(pg_catalog.<>) ''),
	description text,
	PRIMARY KEY (profession, skill)
);
COMMENT ON TABLE mentor.skill IS 'the checklist of a profession: skills the mentor signs off before admission';
COMMENT ON COLUMN mentor.skill.profession IS 'profession, as in mentor.profession';
COMMENT ON COLUMN mentor.skill.skill IS 'short code of the skill, the key sign_skill takes';
COMMENT ON COLUMN mentor.skill.description IS 'what the new worker shows';
COMMENT ON INDEX mentor.skill_pkey IS 'one skill per profession and code; admission counts a profession''s skills through it';

CREATE TABLE mentor.internship_shift (
	shift_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	pairing_id bigint NOT NULL REFERENCES mentor.pairing,
	worked_on date NOT NULL,
	hours numeric NOT NULL DEFAULT 8 CHECK (hours > 0 AND hours <= 24),
	note text,
	UNIQUE (pairing_id, worked_on)
);
COMMENT ON TABLE mentor.internship_shift IS 'shifts the mentee worked under the mentor (rule mentor_shift_outside_pairing)';
COMMENT ON COLUMN mentor.internship_shift.shift_id IS 'generated id';
COMMENT ON COLUMN mentor.internship_shift.pairing_id IS 'the internship (a pairing of a programme that requires admission)';
COMMENT ON COLUMN mentor.internship_shift.worked_on IS 'the day of the shift, inside the pairing''s active dates; one per day';
COMMENT ON COLUMN mentor.internship_shift.hours IS 'hours worked, more than 0 and at most 24';
COMMENT ON COLUMN mentor.internship_shift.note IS 'what was worked on';
COMMENT ON INDEX mentor.internship_shift_pkey IS 'primary key of mentor.internship_shift';
COMMENT ON INDEX mentor.internship_shift_pairing_id_worked_on_key IS 'one shift per pairing and day; admission counts shifts up to a day through it';
COMMENT ON SEQUENCE mentor.internship_shift_shift_id_seq IS 'generates internship_shift.shift_id';

CREATE TABLE mentor.skill_signoff (
	pairing_id bigint NOT NULL REFERENCES mentor.pairing,
	profession text NOT NULL,
	skill text NOT NULL,
	signed_on date NOT NULL,
	PRIMARY KEY (pairing_id, skill),
	FOREIGN KEY (profession, skill) REFERENCES mentor.skill ON UPDATE CASCADE
);
COMMENT ON TABLE mentor.skill_signoff IS 'skills of the mentee''s profession the pairing''s mentor signed off (rule mentor_internship_record)';
COMMENT ON COLUMN mentor.skill_signoff.pairing_id IS 'the internship';
COMMENT ON COLUMN mentor.skill_signoff.profession IS 'the mentee''s profession (filled in when NULL)';
COMMENT ON COLUMN mentor.skill_signoff.skill IS 'the skill, one of the profession''s checklist';
COMMENT ON COLUMN mentor.skill_signoff.signed_on IS 'day the mentor signed it off, inside the pairing''s active dates';
COMMENT ON INDEX mentor.skill_signoff_pkey IS 'one sign-off per pairing and skill';

CREATE TABLE mentor.knowledge_check (
	check_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	pairing_id bigint NOT NULL REFERENCES mentor.pairing,
	checked_on date NOT NULL,
	passed boolean NOT NULL,
	examiner_id bigint NOT NULL REFERENCES mentor.employee,
	note text
);
CREATE INDEX knowledge_check_pairing_idx ON mentor.knowledge_check (pairing_id, checked_on);
COMMENT ON TABLE mentor.knowledge_check IS 'knowledge checks of the mentee (rule mentor_examiner); the latest one up to the admission day counts';
COMMENT ON COLUMN mentor.knowledge_check.check_id IS 'generated id; of two checks on one day the later id is the later check';
COMMENT ON COLUMN mentor.knowledge_check.pairing_id IS 'the internship';
COMMENT ON COLUMN mentor.knowledge_check.checked_on IS 'day of the check, inside the pairing''s active dates';
COMMENT ON COLUMN mentor.knowledge_check.passed IS 'whether the mentee passed';
COMMENT ON COLUMN mentor.knowledge_check.examiner_id IS 'HR specialist or training engineer, never the pairing''s mentor';
COMMENT ON COLUMN mentor.knowledge_check.note IS 'free notes (questions, commission)';
COMMENT ON INDEX mentor.knowledge_check_pkey IS 'primary key of mentor.knowledge_check';
COMMENT ON INDEX mentor.knowledge_check_pairing_idx IS 'a pairing''s checks by day: the latest check before admission (rule mentor_admission)';
COMMENT ON SEQUENCE mentor.knowledge_check_check_id_seq IS 'generates knowledge_check.check_id';

CREATE TABLE mentor.admission (
	pairing_id bigint PRIMARY KEY REFERENCES mentor.pairing,
	admitted_on date NOT NULL,
	admitted_by bigint NOT NULL REFERENCES mentor.employee,
	order_no text NOT NULL CHECK (order_no OPERATOR(pg_catalog.<>) ''),
	recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE mentor.admission IS 'admission to independent work (допуск к самостоятельной работе) that ends an internship (rule mentor_admission)';
COMMENT ON COLUMN mentor.admission.pairing_id IS 'the internship; one admission per pairing';
COMMENT ON COLUMN mentor.admission.admitted_on IS 'first day of independent work, inside the pairing''s active dates';
COMMENT ON COLUMN mentor.admission.admitted_by IS 'who signed the order: HR or a training engineer, never the mentor';
COMMENT ON COLUMN mentor.admission.order_no IS 'number of the site''s admission order';
COMMENT ON COLUMN mentor.admission.recorded_at IS 'when the admission was recorded';
COMMENT ON INDEX mentor.admission_pkey IS 'one admission per pairing; the morning report looks admissions up through it';

CREATE FUNCTION mentor.internship_rules() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mentor_internship_rules' LANGUAGE C;
COMMENT ON FUNCTION mentor.internship_rules() IS 'trigger: rules mentor_shift_outside_pairing, mentor_internship_record, mentor_examiner; an admitted pairing''s records up to its admission day are closed (mentor_admission)';
CREATE TRIGGER internship_rules
	BEFORE INSERT OR UPDATE OR DELETE
	ON mentor.internship_shift FOR EACH ROW EXECUTE FUNCTION mentor.internship_rules();
COMMENT ON TRIGGER internship_rules ON mentor.internship_shift IS 'rule mentor_shift_outside_pairing; records up to an admission are closed (mentor_admission)';
CREATE TRIGGER internship_rules
	BEFORE INSERT OR UPDATE OR DELETE
	ON mentor.skill_signoff FOR EACH ROW EXECUTE FUNCTION mentor.internship_rules();
COMMENT ON TRIGGER internship_rules ON mentor.skill_signoff IS 'rule mentor_internship_record; records up to an admission are closed (mentor_admission)';
CREATE TRIGGER internship_rules
	BEFORE INSERT OR UPDATE OR DELETE
	ON mentor.knowledge_check FOR EACH ROW EXECUTE FUNCTION mentor.internship_rules();
COMMENT ON TRIGGER internship_rules ON mentor.knowledge_check IS 'rules mentor_examiner and mentor_internship_record; records up to an admission are closed (mentor_admission)';

CREATE FUNCTION mentor.admission_rules() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mentor_admission_rules' LANGUAGE C;
COMMENT ON FUNCTION mentor.admission_rules() IS 'trigger: rule mentor_admission';
CREATE TRIGGER admission_rules
	BEFORE INSERT OR UPDATE OR DELETE
	ON mentor.admission FOR EACH ROW EXECUTE FUNCTION mentor.admission_rules();
COMMENT ON TRIGGER admission_rules ON mentor.admission IS 'rule mentor_admission: shifts, skills, a passed check, the signatory; a completed pairing keeps its admission';

CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON mentor.admission
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('pairing_id');
COMMENT ON TRIGGER audit ON mentor.admission IS 'the audit log';
-- a new shift, sign-off or check is its own record: changes and deletions are logged
CREATE TRIGGER audit AFTER UPDATE OR DELETE ON mentor.knowledge_check
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('check_id');
COMMENT ON TRIGGER audit ON mentor.knowledge_check IS 'the audit log (a new check is its own record)';
CREATE TRIGGER audit AFTER UPDATE OR DELETE ON mentor.internship_shift
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('shift_id');
COMMENT ON TRIGGER audit ON mentor.internship_shift IS 'the audit log (a new shift is its own record)';
CREATE TRIGGER audit AFTER UPDATE OR DELETE ON mentor.skill_signoff
	FOR EACH ROW EXECUTE FUNCTION mentor.audit('pairing_id');
COMMENT ON TRIGGER audit ON mentor.skill_signoff IS 'the audit log (a new sign-off is its own record)';

CREATE FUNCTION mentor.log_shift(pairing_id bigint, worked_on date,
	hours numeric DEFAULT 8, note text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE sql
	BEGIN ATOMIC
	INSERT INTO mentor.internship_shift (pairing_id, worked_on, hours, note)
	VALUES (log_shift.pairing_id, log_shift.worked_on,
		coalesce(log_shift.hours, 8), log_shift.note)
	RETURNING shift_id;
	END;
COMMENT ON FUNCTION mentor.log_shift(bigint, date, numeric, text) IS
	'logs an internship shift of the pairing''s mentee; rule mentor_shift_outside_pairing';

CREATE FUNCTION mentor.sign_skill(pairing_id bigint, skill text,
	signed_on date DEFAULT current_date)
	RETURNS void
	LANGUAGE sql
	BEGIN ATOMIC
	INSERT INTO mentor.skill_signoff (pairing_id, skill, signed_on)
	VALUES (sign_skill.pairing_id, sign_skill.skill, sign_skill.signed_on);
	END;
COMMENT ON FUNCTION mentor.sign_skill(bigint, text, date) IS
	'the mentor signs a skill of the mentee''s profession off; rule mentor_internship_record';

CREATE FUNCTION mentor.record_knowledge_check(pairing_id bigint, checked_on date,
	passed boolean, examiner_id bigint)
	RETURNS bigint
	LANGUAGE sql
	BEGIN ATOMIC
	INSERT INTO mentor.knowledge_check (pairing_id, checked_on, passed, examiner_id)
	VALUES (record_knowledge_check.pairing_id, record_knowledge_check.checked_on,
		record_knowledge_check.passed, record_knowledge_check.examiner_id)
	RETURNING check_id;
	END;
COMMENT ON FUNCTION mentor.record_knowledge_check(bigint, date, boolean, bigint) IS
	'records a knowledge check of the mentee; rule mentor_examiner';

CREATE FUNCTION mentor.admit(pairing_id bigint, admitted_on date,
	admitted_by bigint, order_no text)
	RETURNS void
	LANGUAGE sql
	BEGIN ATOMIC
	INSERT INTO mentor.admission (pairing_id, admitted_on, admitted_by, order_no)
	VALUES (admit.pairing_id, admit.admitted_on, admit.admitted_by, admit.order_no);
	END;
COMMENT ON FUNCTION mentor.admit(bigint, date, bigint, text) IS
	'admits the mentee to independent work by the site''s order; rule mentor_admission';

-- the morning report: active internships past the profession's onboarding
-- window without admission; the partial index finds the active pairings
-- of a programme started before a day, the admission's key the admitted
CREATE FUNCTION mentor.working_without_admission(as_of date DEFAULT current_date)
	RETURNS TABLE (pairing_id bigint, mentee_id bigint, personnel_no text,
		full_name text, site text, profession text, started_on date, days int,
		shifts int, shifts_required int, skills_signed int, skills_total int)
	LANGUAGE sql STABLE
	BEGIN ATOMIC
	SELECT p.pairing_id, p.mentee_id, e.personnel_no, e.full_name, e.site,
		e.profession, p.started_on, (as_of OPERATOR(pg_catalog.-) p.started_on)::int,
		(SELECT pg_catalog.count(*) FROM mentor.internship_shift s
			WHERE s.pairing_id OPERATOR(pg_catalog.=) p.pairing_id
				AND s.worked_on OPERATOR(pg_catalog.<=) as_of)::int,
		pr.internship_shifts,
		(SELECT pg_catalog.count(*) FROM mentor.skill_signoff o
			JOIN mentor.skill k ON k.profession OPERATOR(pg_catalog.=) o.profession
				AND k.skill OPERATOR(pg_catalog.=) o.skill
			WHERE o.pairing_id OPERATOR(pg_catalog.=) p.pairing_id
				AND o.profession OPERATOR(pg_catalog.=) e.profession
				AND o.signed_on OPERATOR(pg_catalog.<=) as_of)::int,
		(SELECT pg_catalog.count(*) FROM mentor.skill k
			WHERE k.profession OPERATOR(pg_catalog.=) e.profession)::int
	FROM mentor.program g
	JOIN mentor.pairing p ON p.program OPERATOR(pg_catalog.=) g.code
		AND p.status OPERATOR(pg_catalog.=) 'active'
		AND p.started_on OPERATOR(pg_catalog.<=) as_of
	JOIN mentor.employee e ON e.employee_id OPERATOR(pg_catalog.=) p.mentee_id
	JOIN mentor.profession pr ON pr.profession OPERATOR(pg_catalog.=) e.profession
	WHERE g.requires_admission
		AND pr.internship_shifts IS NOT NULL
		AND p.started_on OPERATOR(pg_catalog.<=)
			(as_of OPERATOR(pg_catalog.-) (7 OPERATOR(pg_catalog.*) pr.onboarding_weeks))
		AND NOT EXISTS (SELECT 1 FROM mentor.admission a
			WHERE a.pairing_id OPERATOR(pg_catalog.=) p.pairing_id
				AND a.admitted_on OPERATOR(pg_catalog.<=) as_of)
	ORDER BY e.site, p.started_on, p.pairing_id;
	END;
COMMENT ON FUNCTION mentor.working_without_admission(date) IS
	'the morning report: active internships (programmes that require admission, professions with internship_shifts) whose onboarding window (onboarding_weeks from the start) is over on as_of and whose mentee is not admitted';

CREATE FUNCTION mentor.admission_document(pairing_id bigint) RETURNS bytea
	AS 'MODULE_PATHNAME', 'mentor_admission_document'
	LANGUAGE C STRICT STABLE;
COMMENT ON FUNCTION mentor.admission_document(bigint) IS
	'the XML document (UTF-8, namespace urn:mentor:admission:1) of an admission that export_admission signs, byte for byte';
REVOKE ALL ON FUNCTION mentor.admission_document(bigint) FROM PUBLIC;

CREATE FUNCTION mentor.export_admission(pairing_id bigint) RETURNS bytea
	AS 'MODULE_PATHNAME', 'mentor_export_admission'
	LANGUAGE C STRICT STABLE;
COMMENT ON FUNCTION mentor.export_admission(bigint) IS
	'CMS SignedData (DER) of admission_document, signed like certificates (mentor.signing_key_file), verifiable with openssl cms -verify';
REVOKE ALL ON FUNCTION mentor.export_admission(bigint) FROM PUBLIC;

-- workshops: the continuous support of mentors
CREATE TABLE mentor.workshop (
	workshop_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	held_on date NOT NULL,
	hours numeric NOT NULL CHECK (hours > 0 AND hours <= 24),
	topic text NOT NULL CHECK (topic OPERATOR(pg_catalog.<>) ''),
	trainer_id bigint NOT NULL REFERENCES mentor.employee
);
CREATE INDEX workshop_held_on_idx ON mentor.workshop (held_on);
COMMENT ON TABLE mentor.workshop IS 'workshops for mentors led by training engineers (rule mentor_workshop_trainer)';
COMMENT ON COLUMN mentor.workshop.workshop_id IS 'generated id';
COMMENT ON COLUMN mentor.workshop.held_on IS 'day of the workshop';
COMMENT ON COLUMN mentor.workshop.hours IS 'hours, counted as refresher hours of every attendee';
COMMENT ON COLUMN mentor.workshop.topic IS 'what it was about';
COMMENT ON COLUMN mentor.workshop.trainer_id IS 'the training engineer who led it';
COMMENT ON INDEX mentor.workshop_pkey IS 'primary key of mentor.workshop';
COMMENT ON INDEX mentor.workshop_held_on_idx IS 'workshops by day: refresher_hours of a year';
COMMENT ON SEQUENCE mentor.workshop_workshop_id_seq IS 'generates workshop.workshop_id';

CREATE TABLE mentor.workshop_attendance (
	workshop_id bigint NOT NULL REFERENCES mentor.workshop ON DELETE CASCADE,
	mentor_id bigint NOT NULL REFERENCES mentor.mentor (employee_id),
	PRIMARY KEY (workshop_id, mentor_id)
);
CREATE INDEX workshop_attendance_mentor_idx ON mentor.workshop_attendance (mentor_id);
COMMENT ON TABLE mentor.workshop_attendance IS 'mentors who attended a workshop';
COMMENT ON COLUMN mentor.workshop_attendance.workshop_id IS 'the workshop';
COMMENT ON COLUMN mentor.workshop_attendance.mentor_id IS 'the mentor who attended';
COMMENT ON INDEX mentor.workshop_attendance_pkey IS 'one attendance per workshop and mentor';
COMMENT ON INDEX mentor.workshop_attendance_mentor_idx IS 'a mentor''s workshops: the roster''s refresher hours';

CREATE FUNCTION mentor.workshop_rules() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mentor_workshop_rules' LANGUAGE C;
COMMENT ON FUNCTION mentor.workshop_rules() IS 'trigger: rule mentor_workshop_trainer';
CREATE TRIGGER workshop_rules
	BEFORE INSERT OR UPDATE OF held_on, trainer_id
	ON mentor.workshop FOR EACH ROW EXECUTE FUNCTION mentor.workshop_rules();
COMMENT ON TRIGGER workshop_rules ON mentor.workshop IS 'rule mentor_workshop_trainer';

-- refresher hours per mentor in a year, against the setting
CREATE FUNCTION mentor.refresher_hours(year int)
	RETURNS TABLE (mentor_id bigint, personnel_no text, full_name text,
		hours numeric, required numeric, short_by numeric)
	LANGUAGE sql STABLE
	BEGIN ATOMIC
	SELECT m.employee_id, e.personnel_no, e.full_name, coalesce(h.hours, 0),
		r.required,
		GREATEST(r.required OPERATOR(pg_catalog.-) coalesce(h.hours, 0), 0)
	FROM mentor.mentor m
	JOIN mentor.employee e ON e.employee_id OPERATOR(pg_catalog.=) m.employee_id
	CROSS JOIN (SELECT coalesce(NULLIF(pg_catalog.current_setting(
			'mentor.refresher_hours_per_year', true), '')::numeric, 6) AS required) r
	-- the year's workshops summed per mentor in one pass
	LEFT JOIN (
		SELECT a.mentor_id, pg_catalog.sum(w.hours) AS hours
		FROM mentor.workshop w
		JOIN mentor.workshop_attendance a ON a.workshop_id OPERATOR(pg_catalog.=) w.workshop_id
		WHERE w.held_on OPERATOR(pg_catalog.>=) pg_catalog.make_date(refresher_hours.year, 1, 1)
			AND w.held_on OPERATOR(pg_catalog.<) pg_catalog.make_date(refresher_hours.year OPERATOR(pg_catalog.+) 1, 1, 1)
		GROUP BY a.mentor_id) h ON h.mentor_id OPERATOR(pg_catalog.=) m.employee_id
	WHERE (m.retired_on IS NULL OR m.retired_on OPERATOR(pg_catalog.>) pg_catalog.make_date(refresher_hours.year, 1, 1))
		AND (e.dismissed_on IS NULL OR e.dismissed_on OPERATOR(pg_catalog.>) pg_catalog.make_date(refresher_hours.year, 1, 1))
		AND m.approved_on OPERATOR(pg_catalog.<) pg_catalog.make_date(refresher_hours.year OPERATOR(pg_catalog.+) 1, 1, 1)
	ORDER BY 6 DESC, e.personnel_no;
	END;
COMMENT ON FUNCTION mentor.refresher_hours(int) IS
	'per mentor eligible in the year: workshop hours attended in it, the hours required (setting mentor.refresher_hours_per_year, default 6) and the shortfall';

SELECT pg_catalog.pg_extension_config_dump('mentor.skill', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.internship_shift', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.internship_shift_shift_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.skill_signoff', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.knowledge_check', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.knowledge_check_check_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.admission', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.workshop', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.workshop_workshop_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('mentor.workshop_attendance', '');

-- the roster gains the year's refresher hours (a new last column)
CREATE OR REPLACE VIEW mentor.roster AS
SELECT m.employee_id, e.personnel_no, e.full_name, e.site, e.profession, m.tier,
	CASE WHEN e.dismissed_on <= current_date THEN 'dismissed'
		WHEN m.retired_on <= current_date THEN 'retired'
		WHEN c.certificate_id IS NULL THEN 'none'
		WHEN c.revoked_on <= current_date THEN 'revoked'
		WHEN c.valid_until < current_date THEN 'expired'
		WHEN c.issued_on > current_date THEN 'not yet valid'
		ELSE 'valid' END AS certificate_status,
	c.valid_until AS certificate_valid_until,
	CASE WHEN c.valid_until >= current_date AND (c.revoked_on IS NULL OR c.revoked_on > current_date)
		THEN c.valid_until - current_date END AS certificate_days_left,
	coalesce(l.active, 0)::int AS active_mentees,
	GREATEST(LEAST(g.max_mentees, coalesce(a.max_mentees, g.max_mentees))
		- coalesce(l.active, 0), 0)::int AS free_places,
	coalesce(w.hours, 0) AS refresher_hours
FROM mentor.mentor m
JOIN mentor.employee e ON e.employee_id = m.employee_id
LEFT JOIN mentor.program g ON g.code = 'production'
LEFT JOIN LATERAL (
	SELECT x.* FROM mentor.certificate x WHERE x.employee_id = m.employee_id
	ORDER BY (x.revoked_on IS NULL OR x.revoked_on > current_date) DESC, x.valid_until DESC
	LIMIT 1) c ON true
LEFT JOIN LATERAL (
	SELECT x.max_mentees FROM mentor.agreement x
	WHERE x.employee_id = m.employee_id AND x.valid_from <= current_date AND x.valid_to >= current_date
	ORDER BY x.valid_from DESC LIMIT 1) a ON true
LEFT JOIN LATERAL (
	SELECT count(*) AS active FROM mentor.pairing p
	WHERE p.mentor_id = m.employee_id AND p.status = 'active' AND p.started_on <= current_date) l ON true
LEFT JOIN LATERAL (
	SELECT sum(ws.hours) AS hours FROM mentor.workshop_attendance wa
	JOIN mentor.workshop ws ON ws.workshop_id = wa.workshop_id
	WHERE wa.mentor_id = m.employee_id
		AND ws.held_on >= date_trunc('year', current_date)::date
		AND ws.held_on <= current_date) w ON true;
COMMENT ON COLUMN mentor.roster.refresher_hours IS 'workshop hours attended this calendar year, up to today (see refresher_hours)';

------------------------------------------------------------------------
-- 1.1: views read as their caller, so a DBA's row-level security policy
-- (one site's HR sees one site) holds through them as through the tables
------------------------------------------------------------------------

ALTER VIEW mentor.roster SET (security_invoker = true);
ALTER VIEW mentor.program_kpis SET (security_invoker = true);
ALTER VIEW mentor.site_load SET (security_invoker = true);
ALTER VIEW mentor.holiday SET (security_invoker = true);
ALTER VIEW mentor.rules SET (security_invoker = true);

------------------------------------------------------------------------
-- 1.1: events for integrators: NOTIFY mentor_events, delivered at commit
------------------------------------------------------------------------

-- one event per change an ERP waits for; NOTIFY is transactional, so a
-- rolled-back change sends nothing.  Statement triggers over the
-- statement's transition tables: one call per statement, not per row, so a
-- bulk load or an import pays one trigger call for all its rows.
CREATE FUNCTION mentor.notify_event() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF TG_TABLE_NAME = 'pairing' AND TG_OP = 'INSERT' THEN
		PERFORM pg_notify('mentor_events', json_build_object('event', 'pairing_' || CASE n.status
				WHEN 'active' THEN 'accepted' ELSE n.status END,
			'table', 'pairing', 'id', n.pairing_id)::text)
		FROM (SELECT * FROM new_rows ORDER BY pairing_id) n;
	ELSIF TG_TABLE_NAME = 'pairing' THEN
		PERFORM pg_notify('mentor_events', json_build_object('event', 'pairing_' || CASE n.status
				WHEN 'active' THEN 'accepted' ELSE n.status END,
			'table', 'pairing', 'id', n.pairing_id)::text)
		FROM (SELECT n.* FROM new_rows n JOIN old_rows o ON o.pairing_id = n.pairing_id
			WHERE o.status IS DISTINCT FROM n.status ORDER BY n.pairing_id) n;
	ELSIF TG_TABLE_NAME = 'certificate' AND TG_OP = 'INSERT' THEN
		PERFORM pg_notify('mentor_events', json_build_object('event', 'certificate_issued',
			'table', 'certificate', 'id', n.certificate_id)::text)
		FROM (SELECT * FROM new_rows ORDER BY certificate_id) n;
	ELSIF TG_TABLE_NAME = 'certificate' THEN
		PERFORM pg_notify('mentor_events', json_build_object('event', 'certificate_revoked',
			'table', 'certificate', 'id', n.certificate_id)::text)
		FROM (SELECT n.* FROM new_rows n JOIN old_rows o ON o.certificate_id = n.certificate_id
			WHERE o.revoked_on IS NULL AND n.revoked_on IS NOT NULL ORDER BY n.certificate_id) n;
	ELSIF TG_TABLE_NAME = 'agreement' THEN
		PERFORM pg_notify('mentor_events', json_build_object('event',
			CASE TG_OP WHEN 'INSERT' THEN 'agreement_imported' ELSE 'agreement_updated' END,
			'table', 'agreement', 'id', n.agreement_id)::text)
		FROM (SELECT * FROM new_rows ORDER BY agreement_id) n;
	ELSIF TG_TABLE_NAME = 'admission' THEN
		PERFORM pg_notify('mentor_events', json_build_object('event', 'mentee_admitted',
			'table', 'admission', 'id', n.pairing_id)::text)
		FROM (SELECT * FROM new_rows ORDER BY pairing_id) n;
	END IF;
	RETURN NULL;
END;
$$;
COMMENT ON FUNCTION mentor.notify_event() IS
	'statement trigger: NOTIFY mentor_events with {"event", "table", "id"} for each pairing requested, accepted, declined, cancelled or ended, certificate issued or revoked, agreement imported or updated, mentee admitted';

CREATE TRIGGER notify_event AFTER INSERT ON mentor.pairing
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION mentor.notify_event();
COMMENT ON TRIGGER notify_event ON mentor.pairing IS 'events pairing_requested, pairing_accepted';
CREATE TRIGGER notify_status AFTER UPDATE ON mentor.pairing
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION mentor.notify_event();
COMMENT ON TRIGGER notify_status ON mentor.pairing IS 'events pairing_accepted, pairing_declined, pairing_cancelled, pairing_ended';
CREATE TRIGGER notify_event AFTER INSERT ON mentor.certificate
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION mentor.notify_event();
COMMENT ON TRIGGER notify_event ON mentor.certificate IS 'event certificate_issued';
CREATE TRIGGER notify_status AFTER UPDATE ON mentor.certificate
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION mentor.notify_event();
COMMENT ON TRIGGER notify_status ON mentor.certificate IS 'event certificate_revoked';
CREATE TRIGGER notify_event AFTER INSERT ON mentor.agreement
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION mentor.notify_event();
COMMENT ON TRIGGER notify_event ON mentor.agreement IS 'event agreement_imported';
CREATE TRIGGER notify_status AFTER UPDATE ON mentor.agreement
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION mentor.notify_event();
COMMENT ON TRIGGER notify_status ON mentor.agreement IS 'event agreement_updated';
CREATE TRIGGER notify_event AFTER INSERT ON mentor.admission
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION mentor.notify_event();
COMMENT ON TRIGGER notify_event ON mentor.admission IS 'event mentee_admitted';

-- for a daily job (pg_cron): what is due, one event each
CREATE FUNCTION mentor.notify_due(as_of date DEFAULT current_date)
	RETURNS int
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	sent int := 0;
	r record;
BEGIN
	FOR r IN
		SELECT 'certificate_expiring' AS event, 'certificate' AS tab, c.certificate_id AS id
		FROM mentor.expiring_certificates('90 days', notify_due.as_of) x
		JOIN mentor.certificate c ON c.serial = x.serial
		UNION ALL
		SELECT 'pairing_overdue', 'pairing', o.pairing_id
		FROM mentor.overdue_pairings(notify_due.as_of) o
		UNION ALL
		SELECT 'request_unanswered', 'pairing', p.pairing_id
		FROM mentor.pairing p
		WHERE p.status = 'requested' AND p.requested_on <= notify_due.as_of - 7
		ORDER BY 1, 3
	LOOP
		PERFORM pg_notify('mentor_events',
			json_build_object('event', r.event, 'table', r.tab, 'id', r.id, 'as_of', notify_due.as_of)::text);
		sent := sent + 1;
	END LOOP;
	RETURN sent;
END;
$$;
COMMENT ON FUNCTION mentor.notify_due(date) IS
	'sends NOTIFY mentor_events for each certificate expiring within 90 days, overdue pairing and request unanswered for more than 7 days on as_of (at commit); returns how many; for a daily job';

------------------------------------------------------------------------
-- 1.1: logical replication of the schema
------------------------------------------------------------------------

-- a subscriber's sessions drop their cached programme parameters when the
-- apply worker changes a programme: it fires row triggers that are ENABLE
-- ALWAYS, never statement triggers
CREATE TRIGGER program_changed_row
	AFTER INSERT OR UPDATE OR DELETE
	ON mentor.program FOR EACH ROW EXECUTE FUNCTION mentor.program_changed();
ALTER TABLE mentor.program ENABLE ALWAYS TRIGGER program_changed_row;
COMMENT ON TRIGGER program_changed_row ON mentor.program IS
	'tells every session''s rule triggers to re-read programme parameters when replication applies a change';

-- the built-in rows both sides have: a row replication brings (the initial
-- copy, or an apply) with the key of a built-in row updates that row
-- instead of failing on the duplicate key.  ENABLE REPLICA: only the apply
-- worker and a restore (session_replication_role = replica) run it.
CREATE FUNCTION mentor.merge_builtin() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	key text := TG_ARGV[0];
	cols text;
	merged int;
BEGIN
	SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
	FROM pg_attribute a
	WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped
		AND a.attgenerated = '';
	EXECUTE format('UPDATE %1$I.%2$I t SET (%3$s) = (SELECT %3$s FROM jsonb_populate_record(NULL::%1$I.%2$I, $1))'
		' WHERE t.%4$I = $2 AND t.builtin', TG_TABLE_SCHEMA, TG_TABLE_NAME, cols, key)
		USING to_jsonb(NEW), to_jsonb(NEW) ->> key;
	GET DIAGNOSTICS merged = ROW_COUNT;
	IF merged > 0 THEN
		RETURN NULL;
	END IF;
	RETURN NEW;
END;
$$;
COMMENT ON FUNCTION mentor.merge_builtin() IS
	'trigger (replication and restores only): a row with the key of a built-in row updates that row instead of duplicating it; argument: the key column';

CREATE TRIGGER merge_builtin BEFORE INSERT ON mentor.program
	FOR EACH ROW EXECUTE FUNCTION mentor.merge_builtin('code');
ALTER TABLE mentor.program ENABLE REPLICA TRIGGER merge_builtin;
COMMENT ON TRIGGER merge_builtin ON mentor.program IS 'a replicated built-in programme merges into the local one';
CREATE TRIGGER merge_builtin BEFORE INSERT ON mentor.selection_threshold
	FOR EACH ROW EXECUTE FUNCTION mentor.merge_builtin('method');
ALTER TABLE mentor.selection_threshold ENABLE REPLICA TRIGGER merge_builtin;
COMMENT ON TRIGGER merge_builtin ON mentor.selection_threshold IS 'a replicated built-in pass mark merges into the local one';
CREATE TRIGGER merge_builtin BEFORE INSERT ON mentor.checklist_item
	FOR EACH ROW EXECUTE FUNCTION mentor.merge_builtin('item');
ALTER TABLE mentor.checklist_item ENABLE REPLICA TRIGGER merge_builtin;
COMMENT ON TRIGGER merge_builtin ON mentor.checklist_item IS 'a replicated built-in checklist item merges into the local one';
CREATE TRIGGER merge_builtin BEFORE INSERT ON mentor.calendar
	FOR EACH ROW EXECUTE FUNCTION mentor.merge_builtin('code');
ALTER TABLE mentor.calendar ENABLE REPLICA TRIGGER merge_builtin;
COMMENT ON TRIGGER merge_builtin ON mentor.calendar IS 'a replicated built-in calendar merges into the local one';

-- logical replication does not carry sequences: before a subscriber takes
-- writes (a promotion, a switch-over), bring each one past its table's rows
CREATE FUNCTION mentor.sync_sequences()
	RETURNS TABLE (sequence_name text, last_value bigint)
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	r record;
	v bigint;
BEGIN
	FOR r IN
		SELECT c.oid::regclass AS tab, a.attname AS col,
			pg_get_serial_sequence(c.oid::regclass::text, a.attname) AS seq
		FROM pg_class c
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attidentity <> ''
		WHERE c.relnamespace = 'mentor'::regnamespace AND c.relkind = 'r'
		ORDER BY 3
	LOOP
		EXECUTE format('SELECT max(%I) FROM %s', r.col, r.tab) INTO v;
		PERFORM setval(r.seq, coalesce(v, 1), v IS NOT NULL);
		sequence_name := r.seq;
		last_value := v;
		RETURN NEXT;
	END LOOP;
	-- the number in printed certificate serials MC-<year>-<number>
	SELECT max(split_part(serial, '-', 3)::bigint) INTO v
	FROM mentor.certificate WHERE serial ~ '^MC-[0-9]{4}-[0-9]{1,18}$';
	PERFORM setval('mentor.certificate_serial_seq', coalesce(v, 1), v IS NOT NULL);
	sequence_name := 'mentor.certificate_serial_seq';
	last_value := v;
	RETURN NEXT;
END;
$$;
REVOKE ALL ON FUNCTION mentor.sync_sequences() FROM PUBLIC;
COMMENT ON FUNCTION mentor.sync_sequences() IS
	'sets every sequence of the schema past the rows its table holds (the last value, NULL where a table is empty): run on a logical-replication subscriber before it takes writes';

------------------------------------------------------------------------
-- 1.1: capacity planning in one pass over the data it needs
------------------------------------------------------------------------

-- the same figures as 1.0's SQL mentor_demand, counted in C (demand.c)
-- from three reads instead of joining every window to every month: a
-- window adds its weight from its first day and removes it from its stop,
-- a mentor counts from the first whole month a certificate covers to the
-- end of the island of such months, and each month's figures are running
-- sums.  The reads run as the caller, so privileges and row-level security
-- apply as before.  STRICT: NULL months gave no rows and still do.
CREATE OR REPLACE FUNCTION mentor.mentor_demand(from_month date, to_month date)
	RETURNS TABLE (site text, profession text, month date,
		expected_mentees numeric, mentors_required int,
		mentors_available int, gap int)
	AS 'MODULE_PATHNAME', 'mentor_demand'
	LANGUAGE C STABLE STRICT
	-- its reads are costed above jit_above_cost: compiling costs more
	SET jit = off;

------------------------------------------------------------------------
-- 1.1: \d+ documents every object, not only tables, columns and functions
------------------------------------------------------------------------

COMMENT ON SCHEMA mentor IS 'mentorship programme of an industrial enterprise: people, pairings, sessions, certificates, agreements, rules (mentor.rules) and reports';

COMMENT ON INDEX mentor.agreement_employee_idx IS 'a mentor''s agreements by end: the agreement in force on a day (rules mentor_agreement and mentor_capacity, bonus accruals)';
COMMENT ON INDEX mentor.agreement_number_key IS 'one agreement per number; the import finds agreements by number';
COMMENT ON INDEX mentor.agreement_pkey IS 'primary key of mentor.agreement';
COMMENT ON INDEX mentor.agreement_version_pkey IS 'primary key of mentor.agreement_version: one row per agreement and version';
COMMENT ON INDEX mentor.assessment_employee_idx IS 'a candidate''s assessments per method and date: the latest counts (candidate_verdict)';
COMMENT ON INDEX mentor.assessment_pkey IS 'primary key of mentor.assessment';
COMMENT ON INDEX mentor.certificate_employee_idx IS 'a mentor''s certificates by last valid day: the certificate valid on a day (rule mentor_certificate, certificate_valid)';
COMMENT ON INDEX mentor.certificate_pkey IS 'primary key of mentor.certificate; exports read certificates by it';
COMMENT ON INDEX mentor.certificate_serial_key IS 'one certificate per printed serial';
COMMENT ON INDEX mentor.certificate_valid_until_idx IS 'certificates by last valid day: expiring_certificates';
COMMENT ON INDEX mentor.checklist_item_pkey IS 'primary key of mentor.checklist_item';
COMMENT ON INDEX mentor.course_attempt_employee_idx IS 'a candidate''s course attempts (pass_rates)';
COMMENT ON INDEX mentor.course_attempt_pkey IS 'primary key of mentor.course_attempt';
COMMENT ON INDEX mentor.employee_personnel_no_key IS 'one employee per personnel number; the import finds mentors by it';
COMMENT ON INDEX mentor.employee_pkey IS 'primary key of mentor.employee; rule triggers lock people through it';
COMMENT ON INDEX mentor.employee_site_profession_idx IS 'employees by site and profession: capacity planning';
COMMENT ON INDEX mentor.feedback_pairing_idx IS 'a pairing''s feedback: the Mentor Day report';
COMMENT ON INDEX mentor.feedback_pkey IS 'primary key of mentor.feedback';
COMMENT ON INDEX mentor.hiring_plan_pkey IS 'one planned figure per site, profession and month';
COMMENT ON INDEX mentor.mentor_pkey IS 'one mentor row per employee; rule triggers read the approval through it';
COMMENT ON INDEX mentor.pairing_active_idx IS 'active pairings by programme and start: overdue_pairings and the reports';
COMMENT ON INDEX mentor.pairing_mentee_idx IS 'a mentee''s pairings by end: rule mentor_mentee_busy, dismissals';
COMMENT ON INDEX mentor.pairing_mentor_idx IS 'a mentor''s pairings by end: rule mentor_capacity and the rules held from the referenced side';
COMMENT ON INDEX mentor.pairing_pkey IS 'primary key of mentor.pairing; session rules lock the pairing through it';
COMMENT ON INDEX mentor.profession_pkey IS 'primary key of mentor.profession';
COMMENT ON INDEX mentor.program_pkey IS 'one programme per code; pairings reference it';
COMMENT ON INDEX mentor.selection_threshold_pkey IS 'one pass mark per assessment method';
COMMENT ON INDEX mentor.session_pairing_idx IS 'a pairing''s sessions by time: rules mentor_session_spacing, mentor_min_sessions, mentor_session_outside_pairing; overdue_pairings';
COMMENT ON INDEX mentor.session_pkey IS 'primary key of mentor.session';
COMMENT ON INDEX mentor.supervision_visit_pairing_idx IS 'visits to a pairing: growth_areas, rule mentor_promotion';
COMMENT ON INDEX mentor.supervision_visit_pkey IS 'primary key of mentor.supervision_visit';
COMMENT ON INDEX mentor.visit_score_pkey IS 'one score per visit and checklist item';

COMMENT ON SEQUENCE mentor.agreement_agreement_id_seq IS 'generates agreement.agreement_id';
COMMENT ON SEQUENCE mentor.assessment_assessment_id_seq IS 'generates assessment.assessment_id';
COMMENT ON SEQUENCE mentor.certificate_certificate_id_seq IS 'generates certificate.certificate_id';
COMMENT ON SEQUENCE mentor.certificate_serial_seq IS 'the number in printed certificate serials MC-<year>-<number> (issue_certificate)';
COMMENT ON SEQUENCE mentor.course_attempt_attempt_id_seq IS 'generates course_attempt.attempt_id';
COMMENT ON SEQUENCE mentor.employee_employee_id_seq IS 'generates employee.employee_id';
COMMENT ON SEQUENCE mentor.feedback_feedback_id_seq IS 'generates feedback.feedback_id';
COMMENT ON SEQUENCE mentor.pairing_pairing_id_seq IS 'generates pairing.pairing_id';
COMMENT ON SEQUENCE mentor.session_session_id_seq IS 'generates session.session_id';
COMMENT ON SEQUENCE mentor.supervision_visit_visit_id_seq IS 'generates supervision_visit.visit_id';

COMMENT ON TRIGGER certificate_rules ON mentor.certificate IS 'rule mentor_course_hours; valid_until derived from issued_on';
COMMENT ON TRIGGER employee_dismissed ON mentor.employee IS 'a dismissal ends the person''s pairings (reason dismissed) and cancels their requests';
COMMENT ON TRIGGER mentor_rules ON mentor.mentor IS 'rule mentor_selection on approval';
COMMENT ON TRIGGER mentor_retired ON mentor.mentor IS 'a retirement ends the mentor''s pairings (reason mentor_ineligible) and cancels their requests';
COMMENT ON TRIGGER promotion_rules ON mentor.mentor IS 'rule mentor_promotion when the tier becomes training_engineer';
COMMENT ON TRIGGER pairing_rules ON mentor.pairing IS 'the pairing state machine and every pairing rule: see mentor.rules';
COMMENT ON TRIGGER program_changed ON mentor.program IS 'tells every session''s rule triggers to re-read programme parameters (also on replication apply)';
COMMENT ON TRIGGER session_rules ON mentor.session IS 'rules mentor_session_outside_pairing, mentor_session_length, mentor_session_spacing';
COMMENT ON TRIGGER visit_rules ON mentor.supervision_visit IS 'rule mentor_supervisor';

-- constraints: what each says, from its kind and definition
DO $$
DECLARE
	c record;
	what text;
BEGIN
	FOR c IN
		SELECT con.conname, con.conrelid::regclass AS tab, con.contype,
			pg_catalog.pg_get_constraintdef(con.oid) AS def,
			con.confrelid::regclass AS ref
		FROM pg_catalog.pg_constraint con
		WHERE con.connamespace OPERATOR(pg_catalog.=) 'mentor'::regnamespace
			AND con.contype OPERATOR(pg_catalog.=) ANY (ARRAY['p', 'u', 'f', 'c']::"char"[])
			AND pg_catalog.obj_description(con.oid, 'pg_constraint') IS NULL
	LOOP
		what := CASE c.contype
			WHEN 'p' THEN pg_catalog.format('identifies a %s row: %s', c.tab, c.def)
			WHEN 'u' THEN pg_catalog.format('no two %s rows share %s', c.tab, c.def)
			WHEN 'f' THEN pg_catalog.format('every value names a %s row: %s', c.ref, c.def)
			ELSE pg_catalog.format('bad input is refused with this name (SQLSTATE 23514): %s', c.def)
		END;
		EXECUTE pg_catalog.format('COMMENT ON CONSTRAINT %I ON %s IS %L', c.conname, c.tab, what);
	END LOOP;
END $$;
