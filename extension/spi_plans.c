/*-------------------------------------------------------------------------
 *
 * spi_plans.c
 *	  The SQL the extension's C runs, prepared once per backend and kept.
 *
 * As in ri_triggers.c, each plan is keyed by what it does.  The queries pin
 * their operators to pg_catalog because they are planned under the caller's
 * search_path.
 *
 * What runs for every checked row (row locks and the reads of the rules)
 * does not come here: lookup.c does it with plain index scans, which cost
 * less than an executor start.  What is left runs per programme (the
 * parameter cache), per dismissal or retirement, per approval, visit or
 * promotion, and per import (set-wise writes).
 *
 * Plans are generic, made once: a custom plan per execution would re-plan
 * every call.  Each query is written so that its generic plan is an index
 * scan even when made while the tables are still empty (equality on a
 * leading index column).  Queries that write use the latest snapshot, for
 * the reason lookup.c gives.
 *
 * extension/spi_plans.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "nodes/parsenodes.h"
#include "utils/snapmgr.h"

#include "mentor.h"

/* the import's batch of agreements: one array per column (agreement_import.c) */
#define AGREEMENT_ROWS \
	" FROM ROWS FROM (pg_catalog.unnest($1::text[]), pg_catalog.unnest($2::int8[])," \
	" pg_catalog.unnest($3::date[]), pg_catalog.unnest($4::date[])," \
	" pg_catalog.unnest($5::date[]), pg_catalog.unnest($6::text[])," \
	" pg_catalog.unnest($7::text[]), pg_catalog.unnest($8::text[])," \
	" pg_catalog.unnest($9::text[]), pg_catalog.unnest($10::text[])," \
	" pg_catalog.unnest($11::text[]), pg_catalog.unnest($12::text[])," \
	" pg_catalog.unnest($13::text[]), pg_catalog.unnest($14::text[])," \
	" pg_catalog.unnest($15::text[]), pg_catalog.unnest($16::int8[]))" \
	" AS u(number, employee_id, signed_on, valid_from, valid_to, bonus_kind," \
	" bonus_amount, currency, max_mentees, employer_name, employer_position," \
	" employee_name, document, document_sha256, content_sha256, agreement_id)"
#define AGREEMENT_ROW_ARGS \
	16, {TEXTARRAYOID, INT8ARRAYOID, DATEARRAYOID, DATEARRAYOID, DATEARRAYOID, \
		TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, \
		TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, \
		INT8ARRAYOID}, false

typedef struct MentorPlanDef
{
	const char *sql;
	int			nargs;
	Oid			argtypes[16];
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
	[PLAN_SELECTION_FAILS] = {
		"SELECT method, score_pct, required_pct, note"
		" FROM mentor.candidate_verdict($1) WHERE NOT passed",
		1, {INT8OID}, false
	},
	/* a pairing ended by something else: reliance.c */
	[PLAN_CANCEL_SESSIONS_AFTER] = {
		"UPDATE mentor.session s SET status = 'cancelled',"
		" cancel_reason = pg_catalog.format('pairing %s ended on %s (%s)', p.pairing_id,"
		"   pg_catalog.to_char(GREATEST(p.started_on, $2), 'YYYY-MM-DD'), $3)"
		" FROM mentor.pairing p"
		" WHERE p.pairing_id" EQ "$1 AND s.pairing_id" EQ "p.pairing_id"
		" AND p.status" EQ "'active' AND s.status" NE "'cancelled'"
		" AND s.held_at" GE "CAST(GREATEST(p.started_on, $2) OPERATOR(pg_catalog.+) 1"
		"   AS pg_catalog.timestamptz)",
		3, {INT8OID, DATEOID, TEXTOID}, false
	},
	[PLAN_END_PAIRING] = {
		"UPDATE mentor.pairing SET status = 'ended', end_reason = $3,"
		" ended_on = GREATEST(started_on, $2), notified_on = NULL"
		" WHERE pairing_id" EQ "$1 AND status" EQ "'active'",
		3, {INT8OID, DATEOID, TEXTOID}, false
	},
	[PLAN_CANCEL_REQUESTS] = {
		"UPDATE mentor.pairing SET status = 'cancelled'"
		" WHERE (mentor_id" EQ "$1 OR mentee_id" EQ "$2)"
		" AND status" EQ "'requested'",
		2, {INT8OID, INT8OID}, false
	},
	/*
	 * The import writes set-wise: one statement for all new agreements, one
	 * for all changed ones, from arrays (one per column) it fills.
	 */
	[PLAN_AGREEMENT_KEEP_VERSIONS] = {
		"INSERT INTO mentor.agreement_version (agreement_id, version, number, employee_id, signed_on, valid_from, valid_to, bonus_kind, bonus_amount, currency, max_mentees, employer_name, employer_position, employee_name, document, document_sha256, content_sha256, imported_at)"
		" SELECT agreement_id, version, number, employee_id, signed_on, valid_from, valid_to, bonus_kind, bonus_amount, currency, max_mentees, employer_name, employer_position, employee_name, document, document_sha256, content_sha256, imported_at"
		" FROM mentor.agreement WHERE agreement_id" EQ "ANY ($1)",
		1, {INT8ARRAYOID}, false
	},
	[PLAN_AGREEMENT_INSERT] = {
		"INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to, bonus_kind, bonus_amount, currency, max_mentees, employer_name, employer_position, employee_name, document, document_sha256, content_sha256)"
		" SELECT u.number, u.employee_id, u.signed_on, u.valid_from, u.valid_to,"
		" u.bonus_kind, u.bonus_amount::pg_catalog.numeric, u.currency,"
		" u.max_mentees::pg_catalog.int4, u.employer_name, u.employer_position,"
		" u.employee_name, u.document, u.document_sha256, u.content_sha256"
		AGREEMENT_ROWS,
		AGREEMENT_ROW_ARGS
	},
	[PLAN_AGREEMENT_UPDATE] = {
		"UPDATE mentor.agreement a SET number = u.number, employee_id = u.employee_id,"
		" signed_on = u.signed_on, valid_from = u.valid_from, valid_to = u.valid_to,"
		" bonus_kind = u.bonus_kind, bonus_amount = u.bonus_amount::pg_catalog.numeric,"
		" currency = u.currency, max_mentees = u.max_mentees::pg_catalog.int4,"
		" employer_name = u.employer_name, employer_position = u.employer_position,"
		" employee_name = u.employee_name, document = u.document,"
		" document_sha256 = u.document_sha256, content_sha256 = u.content_sha256,"
		" version = a.version OPERATOR(pg_catalog.+) 1, imported_at = pg_catalog.now()"
		AGREEMENT_ROWS
		" WHERE a.agreement_id" EQ "u.agreement_id",
		AGREEMENT_ROW_ARGS
	},
	[PLAN_VISIT_PARTIES] = {
		"SELECT p.mentor_id, s.is_hr,"
		" EXISTS (SELECT 1 FROM mentor.mentor m WHERE m.employee_id" EQ "s.employee_id"
		"   AND m.tier" EQ "'training_engineer' AND m.retired_on IS NULL)"
		" FROM mentor.pairing p, mentor.employee s"
		" WHERE p.pairing_id" EQ "$1 AND s.employee_id" EQ "$2",
		2, {INT8OID, INT8OID}, false
	},
	[PLAN_PROMOTION_RECORD] = {
		"SELECT (SELECT pg_catalog.count(*) FROM mentor.pairing p"
		"   WHERE p.mentor_id" EQ "$1 AND p.status" EQ "'ended'"
		"   AND p.end_reason" EQ "'completed' AND p.ended_on" LE "$2),"
		" (SELECT pg_catalog.count(DISTINCT v.visit_id) FROM mentor.supervision_visit v"
		"   JOIN mentor.pairing p ON p.pairing_id" EQ "v.pairing_id"
		"   WHERE p.mentor_id" EQ "$1 AND v.visited_on" LE "$2),"
		" (SELECT pg_catalog.avg(s.score OPERATOR(pg_catalog./) i.max_score"
		"     OPERATOR(pg_catalog.*) 5)::float8"
		"   FROM mentor.supervision_visit v"
		"   JOIN mentor.pairing p ON p.pairing_id" EQ "v.pairing_id"
		"   JOIN mentor.visit_score s ON s.visit_id" EQ "v.visit_id"
		"   JOIN mentor.checklist_item i ON i.item" EQ "s.item"
		"   WHERE p.mentor_id" EQ "$1 AND v.visited_on" LE "$2)",
		2, {INT8OID, DATEOID}, false
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

		plan = SPI_prepare_cursor(def->sql, def->nargs, (Oid *) def->argtypes,
								  CURSOR_OPT_GENERIC_PLAN);
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
	SPIPlanPtr	plan = mentor_plan(id);
	int			rc;

	if (plan_defs[id].read_only)
		rc = SPI_execute_plan(plan, values, nulls, true, count);
	else
		rc = SPI_execute_snapshot(plan, values, nulls,
								  GetLatestSnapshot(), InvalidSnapshot,
								  false, true, count);
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

