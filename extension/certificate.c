/*-------------------------------------------------------------------------
 *
 * certificate.c
 *	  Mentor certificates: rule mentor_course_hours, the validity period,
 *	  and the validity test shared by mentor.certificate_valid() and the
 *	  pairing rule mentor_certificate.
 *
 * extension/certificate.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "mentor.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_certificate_employee_idx = MENTOR_INDEX("certificate", "certificate_employee_idx");	/* certificate (employee_id, valid_until) */

PG_FUNCTION_INFO_V1(mentor_certificate_rules);
PG_FUNCTION_INFO_V1(mentor_certificate_valid);

typedef struct CertificateSearch
{
	DateADT		day;
	bool		has_except;
	int64		except;			/* a certificate not to count */
	bool		found;
} CertificateSearch;

/* visits certificates not expired on the day; stops at one that covers it */
static bool
certificate_covers(TupleTableSlot *slot, void *arg)
{
	CertificateSearch *search = (CertificateSearch *) arg;
	bool		isnull;
	Datum		revoked;

	if (search->has_except &&
		DatumGetInt64(mentor_slot_attr(slot, "certificate_id", &isnull)) == search->except)
		return true;
	if (DatumGetDateADT(mentor_slot_attr(slot, "issued_on", &isnull)) > search->day)
		return true;			/* not yet issued then */
	revoked = mentor_slot_attr(slot, "revoked_on", &isnull);
	if (!isnull && DatumGetDateADT(revoked) <= search->day)
		return true;			/* revoked by then */
	search->found = true;
	return false;
}

/*
 * True when the employee holds a certificate issued on or before day, not
 * past its last valid day and not revoked by then (leaving out certificate
 * except when has_except).  The one definition of validity:
 * mentor.certificate_valid(), rule mentor_certificate and the checks of
 * certificate changes (reliance.c) use it.
 */
bool
mentor_valid_certificate(int64 employee_id, DateADT day, bool has_except,
						 int64 except)
{
	ScanKeyData keys[2];
	CertificateSearch search = {day, has_except, except, false};

	mentor_key_id(&keys[0], employee_id);
	ScanKeyInit(&keys[1], 2, BTGreaterEqualStrategyNumber, F_DATE_GE,
				DateADTGetDatum(day));
	mentor_index_scan(&idx_certificate_employee_idx, keys, 2, certificate_covers, &search);
	return search.found;
}

bool
mentor_has_valid_certificate(int64 employee_id, DateADT day)
{
	return mentor_valid_certificate(employee_id, day, false, 0);
}

/*
 * The last valid day of a certificate issued on issued_on:
 * issued_on + N years - 1 day, as date + interval computes it.
 */
static DateADT
certificate_last_day(DateADT issued_on)
{
	Interval	span;
	Timestamp	end;

	memset(&span, 0, sizeof(span));
	span.month = mentor_certificate_years * MONTHS_PER_YEAR;
	end = DatumGetTimestamp(DirectFunctionCall2(date_pl_interval,
												DateADTGetDatum(issued_on),
												IntervalPGetDatum(&span)));
	return DatumGetDateADT(DirectFunctionCall1(timestamp_date,
											   TimestampGetDatum(end))) - 1;
}

/*
 * BEFORE INSERT OR UPDATE on mentor.certificate
 */
Datum
mentor_certificate_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	tupdesc;
	HeapTuple	tuple;
	bool		isnull;
	Datum		hours;
	bool		passed;
	DateADT		issued_on;
	int			col;
	Datum		value;
	bool		null = false;

	tuple = mentor_before_row(fcinfo, "certificate_rules");
	rel = trigdata->tg_relation;
	tupdesc = RelationGetDescr(rel);

	hours = mentor_attr(tuple, tupdesc, "course_hours", &isnull);
	if (!isnull &&
		DatumGetBool(DirectFunctionCall2(numeric_lt, hours,
										 DirectFunctionCall1(float8_numeric,
															 Float8GetDatum(mentor_course_hours)))))
		mentor_rule_violation(rel, "mentor_course_hours",
							  psprintf("a certificate needs a course of at least %g hours, not %s",
									   mentor_course_hours,
									   DatumGetCString(DirectFunctionCall1(numeric_out, hours))),
							  psprintf("Setting mentor.course_hours is %g.", mentor_course_hours),
							  "Record the certificate after the full basic course.");

	passed = DatumGetBool(mentor_attr(tuple, tupdesc, "test_passed", &isnull));
	if (!isnull && !passed)
		mentor_rule_violation(rel, "mentor_course_hours",
							  "a certificate needs a passed final test",
							  "The final test of the basic course was not passed.",
							  "Record the certificate after the test is retaken and passed.");

	issued_on = DatumGetDateADT(mentor_attr(tuple, tupdesc, "issued_on", &isnull));
	if (isnull)
		return PointerGetDatum(tuple);	/* NOT NULL reports it */
	if (DATE_NOT_FINITE(issued_on))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("a certificate cannot be issued on an infinite date")));

	/* valid_until is always derived, whatever the writer put there */
	col = mentor_attnum(tupdesc, "valid_until");
	value = DateADTGetDatum(certificate_last_day(issued_on));
	tuple = heap_modify_tuple_by_cols(tuple, tupdesc, 1, &col, &value, &null);
	return PointerGetDatum(tuple);
}

/*
 * SQL: mentor.certificate_valid(employee_id bigint, on_date date) returns boolean
 */
Datum
mentor_certificate_valid(PG_FUNCTION_ARGS)
{
	int64		employee_id = PG_GETARG_INT64(0);
	DateADT		day = PG_GETARG_DATEADT(1);
	volatile bool valid = false;

	mentor_reads_begin_statement();
	PG_TRY();
	{
		valid = mentor_has_valid_certificate(employee_id, day);
	}
	PG_FINALLY();
	{
		mentor_reads_end();
	}
	PG_END_TRY();
	PG_RETURN_BOOL(valid);
}
