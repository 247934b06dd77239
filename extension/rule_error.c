/*-------------------------------------------------------------------------
 *
 * rule_error.c
 *	  The one place that raises rule errors, the trigger calling protocol,
 *	  and what messages print (dates as ISO text, a person as "Name (no)").
 *
 * Every rule error carries SQLSTATE 23514 and the rule's name as its
 * CONSTRAINT field, so an ERP can map it to its own message whatever path
 * the change took; the message itself is written at the check.
 *
 * extension/rule_error.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"

#include "mentor.h"

/* the employee row, for person labels in messages */
static MentorIndex idx_employee_pkey = MENTOR_INDEX("employee", "employee_pkey");

/*
 * The CONSTRAINT (and TABLE) fields of a rule error: see mentor_rule_error
 * in mentor.h.
 */
int
mentor_rule_constraint(Relation rel, const char *rule)
{
	return rel ? errtableconstraint(rel, rule) : errconstraint_name(rule);
}

/*
 * Errors without a table: still name the rule.
 */
int
errconstraint_name(const char *rule)
{
	return err_generic_string(PG_DIAG_CONSTRAINT_NAME, rule);
}

/*
 * Check that a C trigger function is called the way it was declared:
 * by a trigger, for each row, before or after as expected.
 */
void
mentor_check_trigger(FunctionCallInfo fcinfo, const char *name, bool before)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" was not called by trigger manager",
						name)));
	if (!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		(before != TRIGGER_FIRED_BEFORE(trigdata->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" must be fired %s, for each row",
						name, before ? "BEFORE" : "AFTER")));
}

/*
 * For a BEFORE INSERT OR UPDATE row trigger: check the calling protocol and
 * return the row being written (the new row of an update).
 */
HeapTuple
mentor_before_row(FunctionCallInfo fcinfo, const char *name)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	mentor_check_trigger(fcinfo, name, true);
	return TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
}

/*
 * A date for a message: always ISO 8601, whatever the client's DateStyle,
 * so messages read the same in every ERP's logs.
 */
char *
mentor_date_str(DateADT d)
{
	char		buf[MAXDATELEN + 1];
	struct pg_tm tm;

	if (DATE_NOT_FINITE(d))
		EncodeSpecialDate(d, buf);
	else
	{
		j2date(d + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
		EncodeDateOnly(&tm, USE_ISO_DATES, buf);
	}
	return pstrdup(buf);
}

static bool
visit_label(TupleTableSlot *slot, void *arg)
{
	*(char **) arg = psprintf("%s (%s)", mentor_slot_text(slot, "full_name"),
							  mentor_slot_text(slot, "personnel_no"));
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

	mentor_key_id(&key, employee_id);
	mentor_index_scan(&idx_employee_pkey, &key, 1, visit_label, &label);
	return label ? label : psprintf("employee %lld", (long long) employee_id);
}
