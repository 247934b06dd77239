/*-------------------------------------------------------------------------
 *
 * rule_error.c
 *	  The one place that raises rule errors, and small helpers every
 *	  trigger shares (calling protocol, attribute access, dates as text).
 *
 * Every rule error carries SQLSTATE 23514 and the rule's name as its
 * CONSTRAINT field, so an ERP can map it to its own message whatever path
 * the change took.
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

/*
 * Raise the error of a broken rule.  message, detail and hint are already
 * formatted; detail and hint may be NULL.
 */
void
mentor_rule_violation(Relation rel, const char *rule, const char *message,
					  const char *detail, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg_internal("%s", message),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0,
			 rel ? errtableconstraint(rel, rule) : errconstraint_name(rule)));
	pg_unreachable();
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
 * Column number by name; a missing column means the extension's tables do
 * not match its library.
 */
int
mentor_attnum(TupleDesc tupdesc, const char *name)
{
	int			attnum = SPI_fnumber(tupdesc, name);

	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" not found in a mentor table", name),
				 errhint("Run ALTER EXTENSION mentor UPDATE to match the installed library.")));
	return attnum;
}

/* a column of a trigger's tuple (name: a string literal, see lookup.c) */
Datum
mentor_attr(HeapTuple tuple, TupleDesc tupdesc, const char *name, bool *isnull)
{
	return heap_getattr(tuple, mentor_attnum_cached(tupdesc, name), tupdesc, isnull);
}

/*
 * Typed reads of a trigger's tuple.  BEFORE row triggers run before NOT NULL
 * is checked, so every column of a row being written may be NULL, whatever
 * the table says: these are the only way triggers read such a row.
 */

/* a text column as a C string; NULL for NULL */
char *
mentor_attr_text(HeapTuple tuple, TupleDesc tupdesc, const char *name)
{
	bool		isnull;
	Datum		d = mentor_attr(tuple, tupdesc, name, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* a date column: false, and *value 0, for NULL */
bool
mentor_attr_date(HeapTuple tuple, TupleDesc tupdesc, const char *name,
				 DateADT *value)
{
	bool		isnull;
	Datum		d = mentor_attr(tuple, tupdesc, name, &isnull);

	*value = isnull ? 0 : DatumGetDateADT(d);
	return !isnull;
}

/* a bigint column: false, and *value 0, for NULL */
bool
mentor_attr_id(HeapTuple tuple, TupleDesc tupdesc, const char *name,
			   int64 *value)
{
	bool		isnull;
	Datum		d = mentor_attr(tuple, tupdesc, name, &isnull);

	*value = isnull ? 0 : DatumGetInt64(d);
	return !isnull;
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
