/*-------------------------------------------------------------------------
 *
 * spi_plans.c
 *	  Every query the rule triggers run, prepared once per backend and kept.
 *
 * As in ri_triggers.c, each plan is keyed by what it checks.  The queries
 * pin their operators to pg_catalog because they are planned under the
 * caller's search_path.  Queries that look for "any row near this one" are
 * written as ORDER BY ... LIMIT over an index, so that a generic plan made
 * while a table is still empty cannot degrade into a sequential scan per
 * row as the table grows.
 *
 * The lock queries update a row's key to itself: the new row version makes
 * a concurrent REPEATABLE READ writer of the same row fail with a
 * serialization error, which a mere SELECT ... FOR UPDATE does not, and the
 * trigger column lists make sure no rule trigger fires on it.
 *
 * extension/spi_plans.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"

#include "mentor.h"

typedef struct MentorPlanDef
{
	const char *sql;
	int			nargs;
	Oid			argtypes[4];
	bool		read_only;
} MentorPlanDef;

static const MentorPlanDef plan_defs[PLAN_COUNT] = {
	[PLAN_PROGRAM] = {
		"SELECT max_mentees, min_grade_gap_same_area, min_grade_gap_other_area,"
		" min_days_between_sessions, max_session_minutes, min_sessions,"
		" notice_working_days, requires_certificate, requires_agreement,"
		" same_profession"
		" FROM mentor.program WHERE code" EQ "$1",
		1, {TEXTOID}, true
	},
	[PLAN_LOCK_PEOPLE] = {
		"UPDATE mentor.employee SET employee_id = employee_id"
		" WHERE employee_id" EQ "ANY ($1)"
		" RETURNING employee_id, personnel_no, full_name, function_area,"
		" grade, profession, dismissed_on",
		1, {INT8ARRAYOID}, false
	},
	[PLAN_MENTOR_STATUS] = {
		"SELECT approved_on, retired_on FROM mentor.mentor"
		" WHERE employee_id" EQ "$1",
		1, {INT8OID}, false
	},
	[PLAN_CERTIFICATE_VALID] = {
		"SELECT serial FROM mentor.certificate"
		" WHERE employee_id" EQ "$1 AND valid_until" GE "$2"
		" AND issued_on" LE "$2"
		" AND (revoked_on IS NULL OR revoked_on" GT "$2)"
		" ORDER BY employee_id, valid_until LIMIT 1",
		2, {INT8OID, DATEOID}, false
	},
	[PLAN_AGREEMENT_ON] = {
		"SELECT number, max_mentees FROM mentor.agreement"
		" WHERE employee_id" EQ "$1 AND valid_to" GE "$2"
		" AND valid_from" LE "$2"
		" ORDER BY employee_id, valid_to LIMIT 1",
		2, {INT8OID, DATEOID}, false
	},
	[PLAN_MENTOR_LOAD] = {
		"SELECT pg_catalog.count(*) FROM mentor.pairing"
		" WHERE mentor_id" EQ "$1 AND pairing_id" NE "$3"
		" AND status" EQ "ANY ('{active,ended}'::text[])"
		" AND (ended_on IS NULL OR ended_on" GE "$2)",
		3, {INT8OID, DATEOID, INT8OID}, false
	},
	[PLAN_MENTEE_BUSY] = {
		"SELECT pairing_id, mentor_id FROM mentor.pairing"
		" WHERE mentee_id" EQ "$1 AND program" EQ "$2 AND pairing_id" NE "$4"
		" AND status" EQ "ANY ('{active,ended}'::text[])"
		" AND (ended_on IS NULL OR ended_on" GE "$3)"
		" ORDER BY mentee_id LIMIT 1",
		4, {INT8OID, TEXTOID, DATEOID, INT8OID}, false
	},
	[PLAN_HELD_SESSIONS] = {
		"SELECT pg_catalog.count(*) FROM mentor.session"
		" WHERE pairing_id" EQ "$1 AND status" EQ "'held'",
		1, {INT8OID}, false
	},
	[PLAN_LOCK_PAIRING] = {
		"UPDATE mentor.pairing SET pairing_id = pairing_id"
		" WHERE pairing_id" EQ "$1"
		" RETURNING program, status, started_on, ended_on",
		1, {INT8OID}, false
	},
	[PLAN_SESSION_NEAR] = {
		"SELECT held_at FROM mentor.session"
		" WHERE pairing_id" EQ "$1 AND held_at" GE "$2 AND held_at" LT "$3"
		" AND status" NE "'cancelled' AND session_id" NE "$4"
		" ORDER BY pairing_id, held_at LIMIT 1",
		4, {INT8OID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID}, false
	},
	[PLAN_HOLIDAYS] = {
		"SELECT day FROM mentor.holiday WHERE day" GT "$1 AND day" LE "$2"
		" ORDER BY day",
		2, {DATEOID, DATEOID}, true
	},
	[PLAN_SELECTION_FAILS] = {
		"SELECT method, score_pct, required_pct, note"
		" FROM mentor.candidate_verdict($1) WHERE NOT passed",
		1, {INT8OID}, false
	},
	[PLAN_PERSON] = {
		"SELECT full_name, personnel_no FROM mentor.employee"
		" WHERE employee_id" EQ "$1",
		1, {INT8OID}, false
	},
	[PLAN_LOCK_EMPLOYEE] = {
		"UPDATE mentor.employee SET employee_id = employee_id"
		" WHERE employee_id" EQ "$1",
		1, {INT8OID}, false
	},
	[PLAN_END_PAIRINGS] = {
		"UPDATE mentor.pairing SET status = 'ended', end_reason = $3,"
		" ended_on = GREATEST(started_on, $2), notified_on = NULL"
		" WHERE (mentor_id" EQ "$1 OR (mentee_id" EQ "$1 AND $4))"
		" AND status" EQ "'active'",
		4, {INT8OID, DATEOID, TEXTOID, BOOLOID}, false
	},
	[PLAN_CANCEL_REQUESTS] = {
		"UPDATE mentor.pairing SET status = 'cancelled'"
		" WHERE (mentor_id" EQ "$1 OR (mentee_id" EQ "$1 AND $2))"
		" AND status" EQ "'requested'",
		2, {INT8OID, BOOLOID}, false
	},
};

static SPIPlanPtr plans[PLAN_COUNT];

static SPIPlanPtr
mentor_plan(MentorPlanId id)
{
	if (plans[id] == NULL)
	{
		const MentorPlanDef *def = &plan_defs[id];
		SPIPlanPtr	plan;

		plan = SPI_prepare(def->sql, def->nargs, (Oid *) def->argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for mentor query %d: %s",
				 (int) id, SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed for mentor query %d", (int) id);
		plans[id] = plan;
	}
	return plans[id];
}

/*
 * Run a kept plan; returns the number of rows.  The caller has connected to
 * SPI and reads the rows from SPI_tuptable before SPI_finish.
 */
uint64
mentor_spi_exec(MentorPlanId id, Datum *values, const char *nulls, long count)
{
	int			rc;

	rc = SPI_execute_plan(mentor_plan(id), values, nulls,
						  plan_defs[id].read_only, count);
	if (rc < 0)
		elog(ERROR, "mentor query %d failed: %s",
			 (int) id, SPI_result_code_string(rc));
	return SPI_processed;
}

Datum
mentor_spi_value(uint64 row, int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
						 col, isnull);
}

/* text of a column, or "" for NULL; lives in the SPI procedure context */
char *
mentor_spi_text(uint64 row, int col)
{
	char	   *s = SPI_getvalue(SPI_tuptable->vals[row],
								 SPI_tuptable->tupdesc, col);

	return s ? s : "";
}

/*
 * "Full Name (personnel no)" of an employee, for messages; connected to SPI.
 */
char *
mentor_person_label(int64 employee_id)
{
	Datum		arg = Int64GetDatum(employee_id);

	if (mentor_spi_exec(PLAN_PERSON, &arg, NULL, 1) != 1)
		return psprintf("employee %lld", (long long) employee_id);
	return psprintf("%s (%s)", mentor_spi_text(0, 1), mentor_spi_text(0, 2));
}
