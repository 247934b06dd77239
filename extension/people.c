/*-------------------------------------------------------------------------
 *
 * people.c
 *	  What happens to pairings when a person leaves: dismissal (employee.
 *	  dismissed_on) ends all of their pairings as "dismissed", retirement of
 *	  a mentor (mentor.retired_on) ends theirs as "mentor_ineligible".
 *	  Requests not yet accepted are cancelled.
 *
 * Both hold the person's employee row the way a new pairing does (the
 * dismissal by updating it, the retirement by locking it), and find the
 * pairings to end with the latest snapshot: a pairing committed
 * concurrently is either seen here and ended, or its own trigger waited
 * for this transaction and sees the dismissal; see lookup.c.
 *
 * extension/people.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"

#include "mentor.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_employee_pkey = MENTOR_INDEX("employee", "employee_pkey");	/* employee (employee_id) */

/* a leaving person's open requests */
static MentorQuery cancel_requests = {
	"UPDATE mentor.pairing SET status = 'cancelled'"
	" WHERE (mentor_id" EQ "$1 OR mentee_id" EQ "$2)"
	" AND status" EQ "'requested'",
	2, {INT8OID, INT8OID}, false, NULL
};

PG_FUNCTION_INFO_V1(mentor_employee_dismissed);
PG_FUNCTION_INFO_V1(mentor_mentor_retired);

/*
 * Lock the employee row the way a new pairing does, so the two serialise.
 * Connected to SPI.
 */
static bool
visit_nothing(TupleTableSlot *slot, void *arg)
{
	return false;
}

void
mentor_lock_employee(int64 employee_id)
{
	mentor_lock_row(&idx_employee_pkey, employee_id, visit_nothing, NULL);
}

static bool
visit_label(TupleTableSlot *slot, void *arg)
{
	bool		isnull;

	*(char **) arg = psprintf("%s (%s)",
							  TextDatumGetCString(mentor_slot_attr(slot, "full_name", &isnull)),
							  TextDatumGetCString(mentor_slot_attr(slot, "personnel_no", &isnull)));
	return false;
}

/*
 * "Full Name (personnel no)" of an employee, for messages.
 */
char *
mentor_person_label(int64 employee_id)
{
	ScanKeyData key;
	char	   *label = NULL;

	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ,
				Int64GetDatum(employee_id));
	mentor_index_scan(&idx_employee_pkey, &key, 1, visit_label, &label);
	return label ? label : psprintf("employee %lld", (long long) employee_id);
}

/*
 * End the active pairings of a person on day with reason (never before a
 * pairing's start, later sessions cancelled: reliance.c) and cancel their
 * open requests; as_mentee says whether pairings where they are the mentee
 * end too.
 */
static void
end_pairings_of(int64 employee_id, DateADT day, const char *reason,
				bool as_mentee)
{
	List	   *pairings = mentor_started_pairings(employee_id, as_mentee);
	ListCell   *lc;
	Datum		args[2];

	foreach(lc, pairings)
	{
		MentorStartedPairing *p = (MentorStartedPairing *) lfirst(lc);

		CHECK_FOR_INTERRUPTS();
		if (p->active)
			mentor_end_pairing_cascade(p->pairing_id, day, reason);
	}

	mentor_spi_connect();
	args[0] = Int64GetDatum(employee_id);
	/* 0 matches no employee: a retired mentor stays someone's mentee */
	args[1] = Int64GetDatum(as_mentee ? employee_id : 0);
	mentor_query_run(&cancel_requests, args, NULL, 0);
	mentor_spi_finish();
}

/*
 * True when a date column went from NULL (or another day) to a day.
 */
static bool
date_newly_set(TriggerData *trigdata, const char *column, DateADT *day)
{
	TupleDesc	tupdesc = RelationGetDescr(trigdata->tg_relation);
	bool		newnull;
	bool		oldnull;
	Datum		newval = mentor_attr(trigdata->tg_newtuple, tupdesc, column, &newnull);
	Datum		oldval = mentor_attr(trigdata->tg_trigtuple, tupdesc, column, &oldnull);

	if (newnull)
		return false;
	*day = DatumGetDateADT(newval);
	return oldnull || DatumGetDateADT(oldval) != *day;
}

/*
 * The body of both triggers: when column newly holds a day, end the
 * person's pairings with reason.
 */
static Datum
person_leaves(FunctionCallInfo fcinfo, const char *name, const char *column,
			  const char *reason, bool as_mentee)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	DateADT		day;

	mentor_check_trigger(fcinfo, name, false);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) &&
		date_newly_set(trigdata, column, &day))
	{
		bool		isnull;
		int64		id = DatumGetInt64(mentor_attr(trigdata->tg_newtuple,
												   RelationGetDescr(trigdata->tg_relation),
												   "employee_id", &isnull));

		end_pairings_of(id, day, reason, as_mentee);
	}
	return PointerGetDatum(NULL);
}

/*
 * AFTER UPDATE OF dismissed_on ON mentor.employee
 */
Datum
mentor_employee_dismissed(PG_FUNCTION_ARGS)
{
	return person_leaves(fcinfo, "employee_dismissed", "dismissed_on",
						 "dismissed", true);
}

/*
 * AFTER UPDATE OF retired_on ON mentor.mentor
 */
Datum
mentor_mentor_retired(PG_FUNCTION_ARGS)
{
	return person_leaves(fcinfo, "mentor_retired", "retired_on",
						 "mentor_ineligible", false);
}
