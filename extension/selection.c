/*-------------------------------------------------------------------------
 *
 * selection.c
 *	  Rule mentor_selection: nobody becomes a mentor unless every required
 *	  assessment passes (mentor.candidate_verdict against
 *	  mentor.selection_threshold).  Mentor status is never automatic.
 *
 * extension/selection.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "mentor.h"
#include "override.h"

/* the methods a candidate does not pass */
static MentorQuery failing_assessments = {
	"SELECT method, score_pct, required_pct, note"
	" FROM mentor.candidate_verdict($1) WHERE NOT passed",
	1, {INT8OID}, false, NULL
};

PG_FUNCTION_INFO_V1(mentor_mentor_rules);

/*
 * BEFORE INSERT OR UPDATE OF employee_id, approved_on ON mentor.mentor
 */
Datum
mentor_mentor_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	HeapTuple	tuple;
	bool		isnull;
	int64		employee_id;
	Datum		arg;
	uint64		nfailed;

	tuple = mentor_before_row(fcinfo, "mentor_rules");
	rel = trigdata->tg_relation;
	employee_id = DatumGetInt64(mentor_attr(tuple, RelationGetDescr(rel),
											"employee_id", &isnull));
	if (isnull)
		return PointerGetDatum(tuple);	/* NOT NULL reports it */

	mentor_spi_connect();
	arg = Int64GetDatum(employee_id);
	nfailed = mentor_query_run(&failing_assessments, &arg, NULL, 0);
	if (nfailed > 0)
	{
		StringInfoData detail;
		uint64		i;

		initStringInfo(&detail);
		for (i = 0; i < nfailed; i++)
		{
			char	   *score = mentor_spi_text(i, 2);

			appendStringInfo(&detail, "%s%s: %s%s%s, pass mark %s%%",
							 i > 0 ? "; " : "",
							 mentor_spi_text(i, 1),
							 mentor_spi_text(i, 4),
							 *score ? ", score " : "",
							 *score ? psprintf("%s%%", score) : "",
							 mentor_spi_text(i, 3));
		}
		/* a human's override, recorded with its use, lets the person pass */
		if (!mentor_override_applies(employee_id, "mentor_selection"))
			ereport(ERROR,
					(mentor_rule_error(rel, "mentor_selection"),
					 errmsg("%s cannot be approved as a mentor",
							mentor_person_label(employee_id)),
					 errdetail_plural("%llu assessment does not pass: %s.",
									  "%llu assessments do not pass: %s.",
									  (unsigned long) nfailed,
									  (unsigned long long) nfailed, detail.data),
					 errhint("See mentor.candidate_verdict(employee_id); record passing assessments first.")));
	}
	mentor_spi_finish();
	return PointerGetDatum(tuple);
}
