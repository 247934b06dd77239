/*-------------------------------------------------------------------------
 *
 * override.c
 *	  Human overrides of the automated verdicts of rules mentor_selection
 *	  and mentor_promotion.  A decision about a person may not rest on
 *	  automated processing alone (Labour Code art. 86, personal data law
 *	  art. 16): someone with the right records an override with a reason
 *	  (mentor.override_verdict), and until its valid_until the rule lets
 *	  that person pass.  Each use is recorded on the override, so that the
 *	  audit log holds the override and its use.
 *
 * extension/override.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "mentor.h"
#include "override.h"

/* the newest override of a person's verdict that is still in force */
static MentorQuery override_in_force = {
	"SELECT override_id FROM mentor.override"
	" WHERE employee_id" EQ "$1 AND rule" EQ "$2"
	" AND (valid_until IS NULL OR valid_until" GE "$3)"
	" ORDER BY override_id DESC LIMIT 1",
	3, {INT8OID, TEXTOID, DATEOID}, false, NULL
};

static MentorQuery override_used = {
	"UPDATE mentor.override SET used_at = pg_catalog.now(), uses = uses OPERATOR(pg_catalog.+) 1"
	" WHERE override_id" EQ "$1",
	1, {INT8OID}, false, NULL
};

/*
 * True when an override lets employee_id pass rule today; its use is
 * recorded.  Connected to SPI.
 */
bool
mentor_override_applies(int64 employee_id, const char *rule)
{
	Datum		args[3];
	bool		isnull;
	Datum		id;

	args[0] = Int64GetDatum(employee_id);
	args[1] = CStringGetTextDatum(rule);
	args[2] = DateADTGetDatum(GetSQLCurrentDate());
	if (mentor_query_run(&override_in_force, args, NULL, 1) != 1)
		return false;
	id = mentor_spi_value(0, 1, &isnull);
	mentor_query_run(&override_used, &id, NULL, 0);
	return true;
}
