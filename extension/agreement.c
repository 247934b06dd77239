/*-------------------------------------------------------------------------
 *
 * agreement.c
 *	  Mentorship agreements as rules see them: the terms every agreement
 *	  keeps (shared by the XML import and rows written straight into
 *	  mentor.agreement), the agreement in force on a day (rule
 *	  mentor_agreement and the capacity limit), and the triggers that keep
 *	  direct writes to mentor.agreement as honest as an import.
 *
 * extension/agreement.c
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
#include "agreement.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_agreement_employee_idx = MENTOR_INDEX("agreement", "agreement_employee_idx");	/* agreement (employee_id, valid_to) */
static MentorIndex idx_mentor_pkey = MENTOR_INDEX("mentor", "mentor_pkey");	/* mentor (employee_id) */

PG_FUNCTION_INFO_V1(mentor_agreement_rules);

/* d + years, as date + interval computes it */
DateADT
mentor_plus_years(DateADT d, int years)
{
	Interval	span;

	memset(&span, 0, sizeof(span));
	span.month = years * MONTHS_PER_YEAR;
	return DatumGetDateADT(DirectFunctionCall1(timestamp_date,
											   DirectFunctionCall2(date_pl_interval,
																   DateADTGetDatum(d),
																   IntervalPGetDatum(&span))));
}

static bool
amount_above(const char *value, double limit)
{
	return DatumGetBool(DirectFunctionCall2(numeric_gt,
											DirectFunctionCall3(numeric_in, CStringGetDatum(value),
																ObjectIdGetDatum(InvalidOid),
																Int32GetDatum(-1)),
											DirectFunctionCall1(float8_numeric,
																Float8GetDatum(limit))));
}

/*
 * The terms of an agreement that neither the XML Schema nor a CHECK
 * constraint can say, shared by the import and direct writes: each broken
 * term is passed to report as a sentence.
 */

/* validity of at most 3 years, signed before it ends */
void
mentor_agreement_date_terms(DateADT signed_on, DateADT valid_from,
							DateADT valid_to, MentorReport report, void *arg)
{
	if (valid_to < valid_from)
		report(arg, psprintf("validTo %s precedes validFrom %s",
							 mentor_date_str(valid_to), mentor_date_str(valid_from)));
	else if (valid_to > mentor_plus_years(valid_from, 3))
		report(arg, psprintf("validTo %s lies more than 3 years after validFrom %s (at most %s)",
							 mentor_date_str(valid_to), mentor_date_str(valid_from),
							 mentor_date_str(mentor_plus_years(valid_from, 3))));
	if (signed_on > valid_to)
		report(arg, psprintf("signedOn %s is after the agreement ends (%s)",
							 mentor_date_str(signed_on), mentor_date_str(valid_to)));
}

/* a sensible bonus; any argument may be NULL */
void
mentor_agreement_bonus_terms(const char *bonus_kind, const char *bonus_amount,
							 const char *currency, MentorReport report, void *arg)
{
	if (bonus_kind == NULL || bonus_amount == NULL)
		return;
	if (strcmp(bonus_kind, "fixed") == 0)
	{
		if (!amount_above(bonus_amount, 0))
			report(arg, psprintf("a fixed bonus must be more than 0, not %s", bonus_amount));
		if (currency == NULL)
			report(arg, pstrdup("a fixed bonus needs a currency (currency=\"RUB\")"));
	}
	else if (strcmp(bonus_kind, "percent") == 0)
	{
		if (!amount_above(bonus_amount, 0) || amount_above(bonus_amount, 100))
			report(arg, psprintf("a percentage bonus must be more than 0 and at most 100, not %s",
								 bonus_amount));
		if (currency != NULL)
			report(arg, psprintf("a percentage bonus has no currency (currency=\"%s\")", currency));
	}
}

typedef struct AgreementSearch
{
	DateADT		day;
	int64		except;			/* an agreement not to count */
	bool		has_except;
	MentorAgreementFacts *facts;
} AgreementSearch;

/* agreements not expired on the day, earliest end first: take the first in force */
static bool
visit_in_force(TupleTableSlot *slot, void *arg)
{
	AgreementSearch *search = (AgreementSearch *) arg;
	bool		isnull;
	Datum		d;

	if (search->has_except &&
		DatumGetInt64(mentor_slot_attr(slot, "agreement_id", &isnull)) == search->except)
		return true;
	if (DatumGetDateADT(mentor_slot_attr(slot, "valid_from", &isnull)) > search->day)
		return true;
	search->facts->found = true;
	search->facts->number = mentor_slot_text(slot, "number");
	d = mentor_slot_attr(slot, "max_mentees", &isnull);
	search->facts->has_limit = !isnull;
	search->facts->limit = isnull ? 0 : DatumGetInt32(d);
	return false;
}

/*
 * The mentor's agreement in force on day (valid_from <= day <= valid_to),
 * leaving out agreement except when has_except.  False when there is none.
 */
bool
mentor_agreement_in_force(int64 employee_id, DateADT day, bool has_except,
						  int64 except, MentorAgreementFacts *facts)
{
	ScanKeyData keys[2];
	AgreementSearch search = {day, except, has_except, facts};

	memset(facts, 0, sizeof(MentorAgreementFacts));
	mentor_key_id(&keys[0], employee_id);
	ScanKeyInit(&keys[1], 2, BTGreaterEqualStrategyNumber, F_DATE_GE,
				DateADTGetDatum(day));
	mentor_index_scan(&idx_agreement_employee_idx, keys, 2, visit_in_force, &search);
	return facts->found;
}

static bool
visit_exists(TupleTableSlot *slot, void *arg)
{
	*(bool *) arg = true;
	return false;
}

typedef struct TermsCheck
{
	Relation	rel;
	const char *number;
} TermsCheck;

/* the first broken term of a row written directly is the error */
static void
term_broken(void *arg, char *message)
{
	TermsCheck *check = (TermsCheck *) arg;

	ereport(ERROR,
			(mentor_rule_error(check->rel, "mentor_agreement"),
			 errmsg("agreement %s breaks its terms: %s", check->number, message),
			 errhint("Correct the row, or import the signed form with mentor.import_agreements().")));
}

static char *
numeric_text(HeapTuple tuple, TupleDesc tupdesc, const char *name)
{
	bool		isnull;
	Datum		d = mentor_attr(tuple, tupdesc, name, &isnull);

	return isnull ? NULL : DatumGetCString(DirectFunctionCall1(numeric_out, d));
}

/*
 * BEFORE INSERT OR UPDATE ON mentor.agreement: a row written straight into
 * the table gets the import's checks (an approved mentor, the terms), and
 * an agreement never moves to another person: it is that mentor's signed
 * consent.  Rows the import writes pass the same checks again.
 */
Datum
mentor_agreement_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	tupdesc;
	HeapTuple	tuple;
	TermsCheck	check;
	int64		employee_id;
	DateADT		signed_on;
	DateADT		valid_from;
	DateADT		valid_to;
	bool		is_mentor = false;
	ScanKeyData key;

	tuple = mentor_before_row(fcinfo, "agreement_rules");
	rel = trigdata->tg_relation;
	tupdesc = RelationGetDescr(rel);
	check.rel = rel;
	check.number = mentor_attr_text(tuple, tupdesc, "number");
	/* NOT NULL, checked after this trigger, reports a missing value */
	if (check.number == NULL ||
		!mentor_attr_id(tuple, tupdesc, "employee_id", &employee_id) ||
		!mentor_attr_date(tuple, tupdesc, "signed_on", &signed_on) ||
		!mentor_attr_date(tuple, tupdesc, "valid_from", &valid_from) ||
		!mentor_attr_date(tuple, tupdesc, "valid_to", &valid_to))
		return PointerGetDatum(tuple);

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		int64		old_employee;

		mentor_attr_id(trigdata->tg_trigtuple, tupdesc, "employee_id", &old_employee);
		if (old_employee != employee_id)
			ereport(ERROR,
					(mentor_rule_error(rel, "mentor_agreement"),
					 errmsg("agreement %s cannot move from %s to %s", check.number, mentor_person_label(old_employee), mentor_person_label(employee_id)),
					 errdetail("An agreement is one mentor's signed consent."),
					 errhint("Import a new agreement for the other mentor.")));
	}

	mentor_key_id(&key, employee_id);
	mentor_index_scan(&idx_mentor_pkey, &key, 1, visit_exists, &is_mentor);
	if (!is_mentor)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_agreement"),
				 errmsg("agreement %s names %s, who is not an approved mentor", check.number, mentor_person_label(employee_id)),
				 errdetail("A mentorship agreement is signed with an approved mentor."),
				 errhint("Approve the mentor first (mentor.approve_mentor).")));

	if (DATE_NOT_FINITE(valid_from) || DATE_NOT_FINITE(valid_to) ||
		DATE_NOT_FINITE(signed_on))
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_agreement"),
				 errmsg("agreement %s has an infinite date", check.number),
				 errhint("Give its real dates.")));
	mentor_agreement_date_terms(signed_on, valid_from, valid_to, term_broken, &check);
	mentor_agreement_bonus_terms(mentor_attr_text(tuple, tupdesc, "bonus_kind"),
								 numeric_text(tuple, tupdesc, "bonus_amount"),
								 mentor_attr_text(tuple, tupdesc, "currency"),
								 term_broken, &check);
	return PointerGetDatum(tuple);
}
