/*-------------------------------------------------------------------------
 *
 * career.c
 *	  Supervision and the two-tier career: rules mentor_supervisor and
 *	  mentor_promotion (their settings are registered in mentor.c).
 *
 * Both rules guard rare writes (a visit, a promotion), so they read through
 * SPI.  A supervisor is an HR specialist or a production training engineer
 * on the day (mentor_standing, which the internship's examiner and
 * signatory and the workshops' trainer share) and never the mentor being
 * visited.  Promotion to training engineer needs
 * a valid certificate, a minimum of completed pairings and a minimum
 * average supervision score (on a 5-point scale).
 *
 * extension/career.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "mentor.h"
#include "override.h"
#include "certificate.h"
#include "internship.h"

/* the pairing whose mentor a supervisor may not be (lookup.c) */
static MentorIndex idx_pairing_pkey = MENTOR_INDEX("pairing", "pairing_pkey");	/* pairing (pairing_id) */

/* an employee's standing on a day: HR, a training engineer, dismissed */
static MentorQuery standing_query = {
	"SELECT e.is_hr,"
	" e.dismissed_on IS NOT NULL AND e.dismissed_on" LE "$2,"
	" EXISTS (SELECT 1 FROM mentor.mentor m WHERE m.employee_id" EQ "e.employee_id"
	"   AND m.tier" EQ "'training_engineer'"
	"   AND (m.promoted_on IS NULL OR m.promoted_on" LE "$2)"
	"   AND (m.retired_on IS NULL OR m.retired_on" GT "$2))"
	" FROM mentor.employee e WHERE e.employee_id" EQ "$1",
	2, {INT8OID, DATEOID}, false, NULL
};

/* completed pairings, visits and the average score of a mentor up to a day */
static MentorQuery promotion_record = {
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
	2, {INT8OID, DATEOID}, false, NULL
};

PG_FUNCTION_INFO_V1(mentor_visit_rules);
PG_FUNCTION_INFO_V1(mentor_promotion_rules);



/*
 * Who may sign for the enterprise on a day (a supervision visit, a
 * knowledge check, an admission, a workshop): the one place that says
 * what "HR or a training engineer" means.  A training engineer is one on
 * the day (promoted on or before it, not retired); nobody dismissed on the
 * day signs.  The person's employee row is locked first, so a dismissal
 * written meanwhile is either seen or waits for this transaction.  A
 * person who does not exist is the foreign key's error (column of rel).
 */
void
mentor_standing(Relation rel, const char *column, int64 employee_id,
				DateADT day, MentorStanding *out)
{
	Datum		args[2];
	bool		isnull;

	memset(out, 0, sizeof(MentorStanding));
	mentor_lock_employee(employee_id);
	args[0] = Int64GetDatum(employee_id);
	args[1] = DateADTGetDatum(day);
	mentor_spi_connect();
	if (mentor_query_run(&standing_query, args, NULL, 1) == 1)
	{
		out->is_hr = DatumGetBool(mentor_spi_value(0, 1, &isnull));
		out->dismissed = DatumGetBool(mentor_spi_value(0, 2, &isnull));
		out->is_engineer = DatumGetBool(mentor_spi_value(0, 3, &isnull));
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("employee %lld does not exist", (long long) employee_id),
				 errdetail("Column %s of %s names no employee.", column,
						   RelationGetRelationName(rel)),
				 errtableconstraint(rel, psprintf("%s_%s_fkey",
												  RelationGetRelationName(rel),
												  column))));
	mentor_spi_finish();
	out->may_sign = !out->dismissed && (out->is_hr || out->is_engineer);
}

static bool
visit_pairing_mentor(TupleTableSlot *slot, void *arg)
{
	bool		isnull;

	*(int64 *) arg = DatumGetInt64(mentor_slot_attr(slot, "mentor_id", &isnull));
	return false;
}

/*
 * BEFORE INSERT OR UPDATE OF pairing_id, supervisor_id, visited_on ON
 * mentor.supervision_visit: rule mentor_supervisor.
 */
Datum
mentor_visit_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	HeapTuple	tuple;
	TupleDesc	tupdesc;
	int64		pairing_id;
	int64		supervisor_id;
	int64		mentor_id = 0;
	DateADT		day;
	ScanKeyData key;
	MentorStanding st;

	tuple = mentor_before_row(fcinfo, "visit_rules");
	rel = trigdata->tg_relation;
	tupdesc = RelationGetDescr(rel);
	/* NULLs are left to the NOT NULL constraints, checked after this */
	if (!mentor_attr_id(tuple, tupdesc, "pairing_id", &pairing_id) ||
		!mentor_attr_id(tuple, tupdesc, "supervisor_id", &supervisor_id) ||
		!mentor_attr_date(tuple, tupdesc, "visited_on", &day))
		return PointerGetDatum(tuple);

	mentor_key_id(&key, pairing_id);
	mentor_index_scan(&idx_pairing_pkey, &key, 1, visit_pairing_mentor, &mentor_id);
	if (mentor_id == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("pairing %lld does not exist", (long long) pairing_id),
				 errtableconstraint(rel, "supervision_visit_pairing_id_fkey")));

	if (mentor_id == supervisor_id)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_supervisor"),
				 errmsg("%s cannot supervise their own pairing %lld", mentor_person_label(mentor_id), (long long) pairing_id),
				 errhint("An HR specialist or a training engineer other than the mentor supervises.")));
	mentor_standing(rel, "supervisor_id", supervisor_id, day, &st);
	if (!st.may_sign)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_supervisor"),
				 errmsg("%s may not supervise pairing %lld on %s", mentor_person_label(supervisor_id), (long long) pairing_id, mentor_date_str(day)),
				 errdetail("A supervisor is an HR specialist (employee.is_hr) or a training engineer on the day of the visit, and not dismissed."),
				 errhint("Choose an HR specialist or a training engineer.")));
	return PointerGetDatum(tuple);
}

/*
 * BEFORE INSERT OR UPDATE OF tier ON mentor.mentor: rule mentor_promotion,
 * when the tier becomes training_engineer.
 */
Datum
mentor_promotion_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	tupdesc;
	HeapTuple	tuple;
	bool		isnull;
	char	   *tier;
	int64		employee_id;
	DateADT		day;
	Datum		d;
	Datum		args[2];
	int64		completed;
	int64		visits;
	double		score;
	char	   *who;

	tuple = mentor_before_row(fcinfo, "promotion_rules");
	rel = trigdata->tg_relation;
	tupdesc = RelationGetDescr(rel);
	/* a NULL tier or employee is left to NOT NULL, checked after this */
	tier = mentor_attr_text(tuple, tupdesc, "tier");
	if (tier == NULL || strcmp(tier, "training_engineer") != 0)
		return PointerGetDatum(tuple);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) &&
		strcmp(mentor_attr_text(trigdata->tg_trigtuple, tupdesc, "tier"),
			   "training_engineer") == 0)
		return PointerGetDatum(tuple);	/* already one */
	if (!mentor_attr_id(tuple, tupdesc, "employee_id", &employee_id))
		return PointerGetDatum(tuple);
	d = mentor_attr(tuple, tupdesc, "promoted_on", &isnull);
	day = isnull ? GetSQLCurrentDate() : DatumGetDateADT(d);
	if (isnull)
	{
		int			col = mentor_attnum(tupdesc, "promoted_on");
		Datum		value = DateADTGetDatum(day);
		bool		null = false;

		tuple = heap_modify_tuple_by_cols(tuple, tupdesc, 1, &col, &value, &null);
	}

	mentor_spi_connect();
	/* a human's override, recorded with its use, lets the person pass */
	if (mentor_override_applies(employee_id, "mentor_promotion"))
	{
		mentor_spi_finish();
		return PointerGetDatum(tuple);
	}
	who = mentor_person_label(employee_id);
	if (!mentor_has_valid_certificate(employee_id, day))
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_promotion"),
				 errmsg("%s cannot become a training engineer on %s: no valid certificate", who, mentor_date_str(day)),
				 errhint("Renew the mentor's certificate first.")));

	args[0] = Int64GetDatum(employee_id);
	args[1] = DateADTGetDatum(day);
	mentor_query_run(&promotion_record, args, NULL, 1);
	completed = DatumGetInt64(mentor_spi_value(0, 1, &isnull));
	visits = DatumGetInt64(mentor_spi_value(0, 2, &isnull));
	d = mentor_spi_value(0, 3, &isnull);
	score = isnull ? 0.0 : DatumGetFloat8(d);
	if (completed < mentor_promotion_min_completed)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_promotion"),
				 errmsg("%s cannot become a training engineer on %s",
						who, mentor_date_str(day)),
				 errdetail_plural("%lld completed pairing, %d needed (setting mentor.promotion_min_completed).",
								  "%lld completed pairings, %d needed (setting mentor.promotion_min_completed).",
								  (unsigned long) completed,
								  (long long) completed, mentor_promotion_min_completed),
				 errhint("Promote after more pairings have been completed.")));
	if (visits == 0 || score < mentor_promotion_min_score)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_promotion"),
				 errmsg("%s cannot become a training engineer on %s",
						who, mentor_date_str(day)),
				 visits == 0 ?
				 errdetail("No supervision visit yet; setting mentor.promotion_min_score asks for an average of %.2f of 5.",
						   mentor_promotion_min_score) :
				 errdetail("Average supervision score %.2f of 5, %.2f needed (setting mentor.promotion_min_score); scores are averaged over all visits to the mentor's pairings, each item scaled to 5.",
						   score, mentor_promotion_min_score),
				 errhint("Record supervision visits (mentor.record_visit) and work on mentor.growth_areas().")));
	mentor_spi_finish();
	return PointerGetDatum(tuple);
}
