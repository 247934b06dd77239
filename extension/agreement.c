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
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "mentor.h"
#include "agreement.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_agreement_number_key = MENTOR_INDEX("agreement", "agreement_number_key");	/* agreement (number) */
static MentorIndex idx_agreement_employee_idx = MENTOR_INDEX("agreement", "agreement_employee_idx");	/* agreement (employee_id, valid_to) */
static MentorIndex idx_mentor_pkey = MENTOR_INDEX("mentor", "mentor_pkey");	/* mentor (employee_id) */

PG_FUNCTION_INFO_V1(mentor_agreement_rules);
PG_FUNCTION_INFO_V1(mentor_agreement_replaces);

/* the agreement a new one replaces: its version kept, then cut */
static MentorQuery keep_replaced_version = {
	"INSERT INTO mentor.agreement_version (" MENTOR_AGREEMENT_VERSION_COLUMNS ")"
	" SELECT " MENTOR_AGREEMENT_VERSION_COLUMNS
	" FROM mentor.agreement WHERE number" EQ "$1 AND employee_id" EQ "$2 AND valid_to" GE "$3",
	3, {TEXTOID, INT8OID, DATEOID}, false, NULL
};

static MentorQuery cut_replaced = {
	"UPDATE mentor.agreement SET valid_to = $3 OPERATOR(pg_catalog.-) 1,"
	" version = version OPERATOR(pg_catalog.+) 1, imported_at = pg_catalog.now()"
	" WHERE number" EQ "$1 AND employee_id" EQ "$2 AND valid_to" GE "$3",
	3, {TEXTOID, INT8OID, DATEOID}, false, NULL
};

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

typedef struct OverlapSearch
{
	DateADT		valid_to;		/* of the agreement being written */
	int64		except_id;
	const char *replaces;
	MentorAgreementOverlap *other;
	bool		found;
} OverlapSearch;

/* agreements ending on or after the new one starts: one that has begun by its end */
static bool
visit_overlap(TupleTableSlot *slot, void *arg)
{
	OverlapSearch *search = (OverlapSearch *) arg;
	bool		isnull;
	DateADT		from = DatumGetDateADT(mentor_slot_attr(slot, "valid_from", &isnull));

	if (from > search->valid_to ||
		DatumGetInt64(mentor_slot_attr(slot, "agreement_id", &isnull)) == search->except_id ||
		(search->replaces != NULL && mentor_slot_text_eq(slot, "number", search->replaces)))
		return true;
	search->found = true;
	search->other->number = mentor_slot_text(slot, "number");
	search->other->valid_from = from;
	mentor_slot_date(slot, "valid_to", &search->other->valid_to);
	return false;
}

/*
 * One agreement is in force per mentor on any day: the first other agreement
 * of the mentor whose days overlap valid_from..valid_to, leaving out
 * agreement except_id (the one being changed) and the agreement numbered
 * replaces (which the new one replaces; it is cut to end before).  False
 * when there is none.
 */
bool
mentor_agreement_overlap(int64 employee_id, DateADT valid_from, DateADT valid_to,
						 int64 except_id, const char *replaces,
						 MentorAgreementOverlap *other)
{
	ScanKeyData keys[2];
	OverlapSearch search = {valid_to, except_id, replaces, other, false};

	mentor_key_id(&keys[0], employee_id);
	ScanKeyInit(&keys[1], 2, BTGreaterEqualStrategyNumber, F_DATE_GE,
				DateADTGetDatum(valid_from));
	mentor_index_scan(&idx_agreement_employee_idx, keys, 2, visit_overlap, &search);
	return search.found;
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

typedef struct ReplacedAgreement
{
	bool		found;
	int64		employee_id;
	DateADT		valid_from;
	DateADT		valid_to;
} ReplacedAgreement;

static bool
visit_replaced(TupleTableSlot *slot, void *arg)
{
	ReplacedAgreement *r = (ReplacedAgreement *) arg;
	bool		isnull;

	r->found = true;
	r->employee_id = DatumGetInt64(mentor_slot_attr(slot, "employee_id", &isnull));
	mentor_slot_date(slot, "valid_from", &r->valid_from);
	mentor_slot_date(slot, "valid_to", &r->valid_to);
	return false;
}

/*
 * Why an agreement of employee_id starting on valid_from cannot replace the
 * agreement numbered replaces (it must exist, be the same mentor's and
 * start earlier), or NULL when it can; *still_overlaps says whether the
 * replaced agreement is still to be cut.  The import and direct writes
 * share it.
 */
char *
mentor_replaced_problem(int64 employee_id, DateADT valid_from,
						const char *replaces, bool *still_overlaps)
{
	ScanKeyData key;
	ReplacedAgreement r = {false, 0, 0, 0};

	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   DEFAULT_COLLATION_OID, F_TEXTEQ,
						   CStringGetTextDatum(replaces));
	mentor_index_scan(&idx_agreement_number_key, &key, 1, visit_replaced, &r);
	*still_overlaps = r.found && r.valid_to >= valid_from;
	if (!r.found)
		return psprintf("there is no agreement %s", replaces);
	if (r.employee_id != employee_id)
		return psprintf("agreement %s is another mentor's (%s)", replaces,
						mentor_person_label(r.employee_id));
	if (r.valid_from >= valid_from)
		return psprintf("agreement %s starts on %s, not before %s", replaces,
						mentor_date_str(r.valid_from), mentor_date_str(valid_from));
	return NULL;
}

/* an update that moves the agreement's days or gives it another mentor */
static bool
dates_changed(HeapTuple old, HeapTuple new, TupleDesc tupdesc)
{
	DateADT		a;
	DateADT		b;
	int64		x;
	int64		y;

	mentor_attr_id(old, tupdesc, "employee_id", &x);
	mentor_attr_id(new, tupdesc, "employee_id", &y);
	if (x != y)
		return true;
	mentor_attr_date(old, tupdesc, "valid_from", &a);
	mentor_attr_date(new, tupdesc, "valid_from", &b);
	if (a != b)
		return true;
	mentor_attr_date(old, tupdesc, "valid_to", &a);
	mentor_attr_date(new, tupdesc, "valid_to", &b);
	return a != b;
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
	char	   *replaces;

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

	replaces = mentor_attr_text(tuple, tupdesc, "replaces");
	if (replaces != NULL)
	{
		bool		still_overlaps;
		char	   *why = mentor_replaced_problem(employee_id, valid_from, replaces,
												  &still_overlaps);

		if (why != NULL)
			ereport(ERROR,
					(mentor_rule_error(rel, "mentor_agreement"),
					 errmsg("agreement \"%s\" cannot replace agreement \"%s\"",
							check.number, replaces),
					 errdetail("%s.", why),
					 errhint("An agreement replaces an earlier agreement of the same mentor.")));
	}

	/*
	 * One agreement in force per mentor on any day, checked when the days
	 * or the mentor are written.  Writers of one mentor's agreements queue
	 * on the mentor's employee row, and the scan after the lock sees what
	 * a writer we waited for committed (lookup.c), so two overlapping
	 * agreements cannot both land.
	 */
	if (!TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ||
		dates_changed(trigdata->tg_trigtuple, tuple, tupdesc))
	{
		MentorAgreementOverlap other;
		int64		agreement_id = 0;

		mentor_attr_id(tuple, tupdesc, "agreement_id", &agreement_id);
		mentor_lock_employee(employee_id);
		if (mentor_agreement_overlap(employee_id, valid_from, valid_to, agreement_id,
									 replaces, &other))
			ereport(ERROR,
					(mentor_rule_error(rel, "mentor_agreement"),
					 errmsg("agreement \"%s\" of %s overlaps agreement \"%s\"",
							check.number, mentor_person_label(employee_id), other.number),
					 errdetail("Agreement \"%s\" runs from %s through %s, this one from %s through %s; one agreement is in force per mentor on any day.",
							   other.number, mentor_date_str(other.valid_from),
							   mentor_date_str(other.valid_to),
							   mentor_date_str(valid_from), mentor_date_str(valid_to)),
					 errhint("If it replaces agreement \"%s\", say so (<replaces number=\"%s\"/> in the form, or the replaces column).",
							 other.number, other.number)));
	}

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

/*
 * AFTER INSERT OR UPDATE OF replaces, valid_from ON mentor.agreement: the
 * agreement a new one replaces ends the day before the new one starts, its
 * previous version kept in mentor.agreement_version.  After the new row is
 * written, so that a pairing that relied on the old one for a day the new
 * one covers still has its agreement (reliance.c judges the cut).
 */
Datum
mentor_agreement_replaces(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	tupdesc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	tuple;
	char	   *replaces;
	Datum		args[3];
	DateADT		valid_from;
	int64		employee_id;

	mentor_check_trigger(fcinfo, "agreement_replaces", false);
	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
	replaces = mentor_attr_text(tuple, tupdesc, "replaces");
	if (replaces == NULL)
		return PointerGetDatum(NULL);
	mentor_attr_id(tuple, tupdesc, "employee_id", &employee_id);
	mentor_attr_date(tuple, tupdesc, "valid_from", &valid_from);
	args[0] = CStringGetTextDatum(replaces);
	args[1] = Int64GetDatum(employee_id);
	args[2] = DateADTGetDatum(valid_from);
	mentor_spi_connect();
	mentor_query_run(&keep_replaced_version, args, NULL, 0);
	mentor_query_run(&cut_replaced, args, NULL, 0);
	mentor_spi_finish();
	return PointerGetDatum(NULL);
}
