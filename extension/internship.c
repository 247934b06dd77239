/*-------------------------------------------------------------------------
 *
 * internship.c
 *	  The production internship (стажировка) and admission to independent
 *	  work (допуск к самостоятельной работе): rules
 *	  mentor_shift_outside_pairing, mentor_internship_record,
 *	  mentor_examiner, mentor_admission and mentor_workshop_trainer.
 *
 * A pairing needs an admission when its programme requires one and the
 * mentee's profession sets internship_shifts.  Its records are shifts,
 * skill sign-offs and knowledge checks, each dated inside the pairing's
 * active dates.  An admission needs internship_shifts shifts on or before
 * its day, every skill of the profession signed on or before it, a passed
 * latest check on or before it, and a signatory who is HR or a training
 * engineer on the day (mentor_standing, career.c), never the mentor.
 *
 * Once admitted, the records up to the admission day are closed: they
 * cannot be changed, deleted or added to, so the admission never loses
 * what it relied on.  A completed pairing keeps its admission.
 *
 * Concurrency: every trigger here first locks the pairing row (lookup.c)
 * and reads after the lock, with the latest snapshot; the pairing's own
 * UPDATE (an end, a moved start) holds the same row lock.  So an admission
 * and the deletion of a shift, or a completion and the deletion of an
 * admission, serialise, and the second sees what the first committed.
 *
 * extension/internship.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"

#include "mentor.h"
#include "internship.h"
#include "session.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_admission_pkey = MENTOR_INDEX("admission", "admission_pkey");	/* admission (pairing_id) */
static MentorIndex idx_shift_day = MENTOR_INDEX("internship_shift", "internship_shift_pairing_id_worked_on_key");	/* internship_shift (pairing_id, worked_on) */

/* the internship's terms and what was recorded up to a day */
static MentorQuery terms_query = {
	"SELECT g.requires_admission,"
	" pr.internship_shifts, e.profession, g.code,"
	" (SELECT pg_catalog.count(*) FROM mentor.internship_shift s"
	"   WHERE s.pairing_id" EQ "$1 AND s.worked_on" LE "$2),"
	" (SELECT pg_catalog.count(*) FROM mentor.skill k"
	"   WHERE k.profession" EQ "e.profession),"
	" (SELECT pg_catalog.string_agg(k.skill, ', ' ORDER BY k.skill)"
	"   FROM mentor.skill k WHERE k.profession" EQ "e.profession"
	"   AND NOT EXISTS (SELECT 1 FROM mentor.skill_signoff o"
	"     WHERE o.pairing_id" EQ "$1 AND o.profession" EQ "k.profession"
	"     AND o.skill" EQ "k.skill AND o.signed_on" LE "$2)),"
	" c.passed, c.checked_on"
	" FROM mentor.pairing p"
	" JOIN mentor.program g ON g.code" EQ "p.program"
	" JOIN mentor.employee e ON e.employee_id" EQ "p.mentee_id"
	" LEFT JOIN mentor.profession pr ON pr.profession" EQ "e.profession"
	" LEFT JOIN LATERAL (SELECT x.passed, x.checked_on FROM mentor.knowledge_check x"
	"   WHERE x.pairing_id" EQ "$1 AND x.checked_on" LE "$2"
	"   ORDER BY x.checked_on DESC, x.check_id DESC LIMIT 1) c ON true"
	" WHERE p.pairing_id" EQ "$1",
	2, {INT8OID, DATEOID}, false, NULL
};

/* the first internship record of a pairing outside a span of days */
static MentorQuery outside_query = {
	"SELECT r.what, r.day FROM ("
	"  SELECT 'shift' AS what, worked_on AS day FROM mentor.internship_shift"
	"   WHERE pairing_id" EQ "$1"
	"  UNION ALL SELECT 'skill sign-off', signed_on FROM mentor.skill_signoff"
	"   WHERE pairing_id" EQ "$1"
	"  UNION ALL SELECT 'knowledge check', checked_on FROM mentor.knowledge_check"
	"   WHERE pairing_id" EQ "$1"
	"  UNION ALL SELECT 'admission', admitted_on FROM mentor.admission"
	"   WHERE pairing_id" EQ "$1) r"
	" WHERE r.day" LT "$2 OR ($3::date IS NOT NULL AND r.day" GT "$3)"
	" ORDER BY r.day LIMIT 1",
	3, {INT8OID, DATEOID, DATEOID}, false, NULL
};

PG_FUNCTION_INFO_V1(mentor_internship_rules);
PG_FUNCTION_INFO_V1(mentor_admission_rules);
PG_FUNCTION_INFO_V1(mentor_workshop_rules);

/* the pairing a record belongs to, read under its lock (session.c) */
typedef MentorPairingRow Internship;

/* what terms_query says of a pairing on a day */
typedef struct InternshipTerms
{
	bool		needs_admission;
	bool		program_requires;	/* program.requires_admission */
	int32		shifts_required;
	char	   *profession;		/* the mentee's, "" when unknown */
	char	   *program;
	int64		shifts;
	int64		skills_total;
	char	   *skills_missing; /* NULL when every skill is signed */
	bool		has_check;
	bool		check_passed;
	DateADT		checked_on;
} InternshipTerms;

/* the admission of a pairing, if any */
typedef struct Admission
{
	bool		found;
	DateADT		admitted_on;
	char	   *order_no;
} Admission;

static void
read_terms(int64 pairing_id, DateADT day, InternshipTerms *t)
{
	Datum		args[2];
	bool		isnull;
	Datum		d;

	memset(t, 0, sizeof(InternshipTerms));
	args[0] = Int64GetDatum(pairing_id);
	args[1] = DateADTGetDatum(day);
	mentor_spi_connect();
	if (mentor_query_run(&terms_query, args, NULL, 1) == 1)
	{
		t->program_requires = DatumGetBool(mentor_spi_value(0, 1, &isnull));
		d = mentor_spi_value(0, 2, &isnull);
		t->needs_admission = t->program_requires && !isnull;
		t->shifts_required = isnull ? 0 : DatumGetInt32(d);
		t->profession = mentor_spi_text_kept(0, 3);
		t->program = mentor_spi_text_kept(0, 4);
		t->shifts = DatumGetInt64(mentor_spi_value(0, 5, &isnull));
		t->skills_total = DatumGetInt64(mentor_spi_value(0, 6, &isnull));
		d = mentor_spi_value(0, 7, &isnull);
		t->skills_missing = isnull ? NULL : mentor_spi_text_kept(0, 7);
		d = mentor_spi_value(0, 8, &isnull);
		t->has_check = !isnull;
		t->check_passed = !isnull && DatumGetBool(d);
		if (t->has_check)
			t->checked_on = DatumGetDateADT(mentor_spi_value(0, 9, &isnull));
	}
	mentor_spi_finish();
}

static bool
visit_admission(TupleTableSlot *slot, void *arg)
{
	Admission  *a = (Admission *) arg;

	a->found = mentor_slot_date(slot, "admitted_on", &a->admitted_on);
	a->order_no = mentor_slot_text(slot, "order_no");
	return false;
}

/* the pairing's admission, read after its lock */
static void
read_admission(int64 pairing_id, Admission *a)
{
	ScanKeyData key;

	memset(a, 0, sizeof(Admission));
	mentor_key_id(&key, pairing_id);
	mentor_index_scan(&idx_admission_pkey, &key, 1, visit_admission, a);
}

/* why a pairing needs no admission, as an error detail */
static int
no_admission_detail(const InternshipTerms *t)
{
	if (!t->program_requires)
		return errdetail("Programme \"%s\" does not require admission to independent work (program.requires_admission).", t->program);
	return errdetail("Profession \"%s\" needs no admission: it has no internship_shifts in mentor.profession.", t->profession);
}

static const char *
end_text(const Internship *p)
{
	return p->has_ended ? mentor_date_str(p->ended_on) : "an open end";
}

/*
 * Records up to an admission day are closed: the admission relied on them.
 */
static void
check_not_closed(Relation rel, int64 pairing_id, DateADT day, const char *what)
{
	Admission	a;

	read_admission(pairing_id, &a);
	if (a.found && day <= a.admitted_on)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_admission"),
				 errmsg("the internship records of pairing %lld up to %s are closed",
						(long long) pairing_id, mentor_date_str(a.admitted_on)),
				 errdetail("The mentee was admitted on %s (order %s); the %s on %s would change what the admission relied on.",
						   mentor_date_str(a.admitted_on), a.order_no, what,
						   mentor_date_str(day)),
				 errhint("Record what happened after %s, or delete the admission first (while the pairing is not completed).",
						 mentor_date_str(a.admitted_on))));
}

/*
 * A record of a pairing that needs no admission, or outside its dates; the
 * terms read on the way go to out, when the caller wants them.
 */
static void
check_record_fits(Relation rel, const Internship *p, DateADT day,
				  const char *rule, const char *what, InternshipTerms *out)
{
	InternshipTerms t;

	read_terms(p->pairing_id, day, &t);
	if (out)
		*out = t;
	if (!t.needs_admission)
		ereport(ERROR,
				(mentor_rule_error(rel, rule),
				 errmsg("pairing %lld is no internship: a %s cannot be recorded", (long long) p->pairing_id, what),
				 no_admission_detail(&t),
				 errhint("Record internships in a programme with requires_admission for a profession with internship_shifts.")));
	if (!mentor_pairing_covers(p, day))
		ereport(ERROR,
				(mentor_rule_error(rel, rule),
				 mentor_pairing_started(p) ?
				 errmsg("a %s on %s lies outside pairing %lld, active from %s through %s", what, mentor_date_str(day), (long long) p->pairing_id, mentor_date_str(p->started_on), end_text(p)) :
				 errmsg("pairing %lld is %s: it has no active dates for a %s on %s", (long long) p->pairing_id, p->status, what, mentor_date_str(day)),
				 errhint("Date it within the pairing's active dates.")));
}

static bool
visit_other_shift(TupleTableSlot *slot, void *arg)
{
	int64	   *shift_id = (int64 *) arg;
	bool		isnull;
	int64		other = DatumGetInt64(mentor_slot_attr(slot, "shift_id", &isnull));

	if (other == *shift_id)
		return true;
	*shift_id = -other;			/* found: negative marks it */
	return false;
}

/* a shift: its day fits, and it is the pairing's only shift that day */
static void
shift_rules(Relation rel, HeapTuple tuple, const Internship *p, DateADT day)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	int64		shift_id = 0;
	ScanKeyData keys[2];

	check_record_fits(rel, p, day, "mentor_shift_outside_pairing", "shift", NULL);
	mentor_attr_id(tuple, tupdesc, "shift_id", &shift_id);
	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_INT8EQ,
				Int64GetDatum(p->pairing_id));
	ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_DATE_EQ,
				DateADTGetDatum(day));
	mentor_index_scan(&idx_shift_day, keys, 2, visit_other_shift, &shift_id);
	if (shift_id < 0)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_shift_outside_pairing"),
				 errmsg("pairing %lld already has a shift on %s (shift %lld)", (long long) p->pairing_id, mentor_date_str(day), (long long) -shift_id),
				 errhint("Log one shift per day; correct the hours of the existing one instead.")));
}

/* a sign-off: a skill of the mentee's profession, which fills in a NULL */
static HeapTuple
signoff_rules(Relation rel, HeapTuple tuple, const Internship *p, DateADT day)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	InternshipTerms t;
	char	   *profession;

	check_record_fits(rel, p, day, "mentor_internship_record", "skill sign-off", &t);
	profession = mentor_attr_text(tuple, tupdesc, "profession");
	if (profession == NULL)
	{
		int			col = mentor_attnum(tupdesc, "profession");
		Datum		value = CStringGetTextDatum(t.profession);
		bool		null = false;

		return heap_modify_tuple_by_cols(tuple, tupdesc, 1, &col, &value, &null);
	}
	if (strcmp(profession, t.profession) != 0)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_internship_record"),
				 errmsg("pairing %lld trains a %s: a skill of profession \"%s\" cannot be signed off", (long long) p->pairing_id, t.profession, profession),
				 errhint("Sign off the skills of the mentee's profession (mentor.skill).")));
	return tuple;
}

/* a knowledge check: its day fits, the examiner may examine */
static void
check_rules(Relation rel, HeapTuple tuple, const Internship *p, DateADT day)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	int64		examiner_id;
	MentorStanding st;

	check_record_fits(rel, p, day, "mentor_internship_record", "knowledge check", NULL);
	if (!mentor_attr_id(tuple, tupdesc, "examiner_id", &examiner_id))
		return;					/* NOT NULL reports it */
	if (examiner_id == p->mentor_id)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_examiner"),
				 errmsg("%s cannot examine their own mentee (pairing %lld)", mentor_person_label(examiner_id), (long long) p->pairing_id),
				 errhint("An HR specialist or a training engineer other than the mentor examines.")));
	mentor_standing(rel, "examiner_id", examiner_id, day, &st);
	if (!st.may_sign)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_examiner"),
				 errmsg("%s may not examine pairing %lld on %s", mentor_person_label(examiner_id), (long long) p->pairing_id, mentor_date_str(day)),
				 errdetail("An examiner is an HR specialist (employee.is_hr) or a training engineer on the day of the check, and not dismissed."),
				 errhint("Choose an HR specialist or a training engineer.")));
}

/* which table a record trigger fires on, and its date column */
typedef enum RecordKind
{
	RECORD_SHIFT,
	RECORD_SIGNOFF,
	RECORD_CHECK
} RecordKind;

static const char *const record_day_column[] = {"worked_on", "signed_on", "checked_on"};
static const char *const record_noun[] = {"shift", "skill sign-off", "knowledge check"};

static RecordKind
record_kind(Relation rel)
{
	const char *name = RelationGetRelationName(rel);

	if (strcmp(name, "internship_shift") == 0)
		return RECORD_SHIFT;
	if (strcmp(name, "skill_signoff") == 0)
		return RECORD_SIGNOFF;
	if (strcmp(name, "knowledge_check") == 0)
		return RECORD_CHECK;
	elog(ERROR, "internship_rules fired on unexpected table \"%s\"", name);
	return RECORD_SHIFT;		/* keep the compiler quiet */
}

/*
 * BEFORE INSERT OR UPDATE OR DELETE ON mentor.internship_shift,
 * mentor.skill_signoff, mentor.knowledge_check.
 */
Datum
mentor_internship_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	tupdesc;
	RecordKind	kind;
	HeapTuple	tuple = NULL;
	int64		pairing_id;
	DateADT		day;
	Internship	p;

	mentor_check_trigger(fcinfo, "internship_rules", true);
	rel = trigdata->tg_relation;
	tupdesc = RelationGetDescr(rel);
	kind = record_kind(rel);

	/* the row as it was: an admission may have relied on it */
	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		HeapTuple	old = trigdata->tg_trigtuple;

		if (mentor_attr_id(old, tupdesc, "pairing_id", &pairing_id) &&
			mentor_attr_date(old, tupdesc, record_day_column[kind], &day))
		{
			mentor_lock_pairing(rel, pairing_id, &p);
			check_not_closed(rel, pairing_id, day, record_noun[kind]);
		}
		if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
			return PointerGetDatum(old);
	}

	/* the row as it will be */
	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
	if (!mentor_attr_id(tuple, tupdesc, "pairing_id", &pairing_id) ||
		!mentor_attr_date(tuple, tupdesc, record_day_column[kind], &day))
		return PointerGetDatum(tuple);	/* NOT NULL reports it */
	mentor_lock_pairing(rel, pairing_id, &p);
	switch (kind)
	{
		case RECORD_SHIFT:
			shift_rules(rel, tuple, &p, day);
			break;
		case RECORD_SIGNOFF:
			tuple = signoff_rules(rel, tuple, &p, day);
			break;
		case RECORD_CHECK:
			check_rules(rel, tuple, &p, day);
			break;
	}
	check_not_closed(rel, pairing_id, day, record_noun[kind]);
	return PointerGetDatum(tuple);
}

/*
 * An admission on a day: the pairing needs one, the day lies inside it,
 * the signatory may sign, and the records are complete.
 */
static void
check_admission(Relation rel, const Internship *p, DateADT day, int64 signatory)
{
	InternshipTerms t;
	MentorStanding st;
	int64		id = p->pairing_id;

	read_terms(id, day, &t);
	if (!t.needs_admission)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_admission"),
				 errmsg("pairing %lld needs no admission to independent work", (long long) id),
				 no_admission_detail(&t),
				 errhint("Admit mentees of internships only.")));
	if (!mentor_pairing_covers(p, day))
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_admission"),
				 mentor_pairing_started(p) ?
				 errmsg("an admission on %s lies outside pairing %lld, active from %s through %s", mentor_date_str(day), (long long) id, mentor_date_str(p->started_on), end_text(p)) :
				 errmsg("pairing %lld is %s: its mentee cannot be admitted", (long long) id, p->status),
				 errhint("Admit on a day within the pairing's active dates.")));
	if (signatory == p->mentor_id)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_admission"),
				 errmsg("%s cannot admit their own mentee (pairing %lld)", mentor_person_label(signatory), (long long) id),
				 errhint("The order is signed by HR or a training engineer other than the mentor.")));
	mentor_standing(rel, "admitted_by", signatory, day, &st);
	if (!st.may_sign)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_admission"),
				 errmsg("%s may not sign the admission of pairing %lld on %s", mentor_person_label(signatory), (long long) id, mentor_date_str(day)),
				 errdetail("A signatory is an HR specialist (employee.is_hr) or a training engineer on the day, and not dismissed."),
				 errhint("Have the site's HR or a training engineer sign the order.")));
	if (t.shifts < t.shifts_required)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_admission"),
				 errmsg("pairing %lld cannot be admitted on %s: %lld of %d internship shifts worked", (long long) id, mentor_date_str(day), (long long) t.shifts, t.shifts_required),
				 errdetail("Profession \"%s\" requires %d shifts on or before the admission day.", t.profession, t.shifts_required),
				 errhint("Log the remaining shifts (mentor.log_shift) first.")));
	if (t.skills_missing != NULL)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_admission"),
				 errmsg("pairing %lld cannot be admitted on %s: skills not signed off", (long long) id, mentor_date_str(day)),
				 errdetail("Profession \"%s\" still needs: %s.", t.profession, t.skills_missing),
				 errhint("The mentor signs them off (mentor.sign_skill) first.")));
	if (!t.has_check || !t.check_passed)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_admission"),
				 errmsg("pairing %lld cannot be admitted on %s: no passed knowledge check", (long long) id, mentor_date_str(day)),
				 t.has_check ?
				 errdetail("The latest check on or before that day, on %s, was failed.", mentor_date_str(t.checked_on)) :
				 errdetail("No knowledge check on or before that day."),
				 errhint("Record a passed check (mentor.record_knowledge_check) first.")));
}

/*
 * BEFORE INSERT OR UPDATE OR DELETE ON mentor.admission: rule
 * mentor_admission.
 */
Datum
mentor_admission_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	tupdesc;
	HeapTuple	tuple;
	int64		pairing_id;
	int64		signatory;
	DateADT		day;
	Internship	p;

	mentor_check_trigger(fcinfo, "admission_rules", true);
	rel = trigdata->tg_relation;
	tupdesc = RelationGetDescr(rel);

	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		HeapTuple	old = trigdata->tg_trigtuple;
		int64		new_id;

		mentor_attr_id(old, tupdesc, "pairing_id", &pairing_id);
		mentor_lock_pairing(rel, pairing_id, &p);
		if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) &&
			mentor_attr_id(trigdata->tg_newtuple, tupdesc, "pairing_id", &new_id) &&
			new_id != pairing_id)
			ereport(ERROR,
					(mentor_rule_error(rel, "mentor_admission"),
					 errmsg("the admission of pairing %lld cannot move to pairing %lld", (long long) pairing_id, (long long) new_id),
					 errhint("Delete it and admit the other mentee.")));
		if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		{
			if (strcmp(p.status, "ended") == 0 && p.end_reason != NULL &&
				strcmp(p.end_reason, "completed") == 0)
				ereport(ERROR,
						(mentor_rule_error(rel, "mentor_admission"),
						 errmsg("the admission of pairing %lld cannot be deleted: the pairing was completed on %s", (long long) pairing_id, mentor_date_str(p.ended_on)),
						 errdetail("A completed internship keeps the admission it ended with."),
						 errhint("Correct the admission (mentor.admission) instead.")));
			return PointerGetDatum(old);
		}
	}

	tuple = mentor_before_row(fcinfo, "admission_rules");
	if (!mentor_attr_id(tuple, tupdesc, "pairing_id", &pairing_id) ||
		!mentor_attr_id(tuple, tupdesc, "admitted_by", &signatory) ||
		!mentor_attr_date(tuple, tupdesc, "admitted_on", &day))
		return PointerGetDatum(tuple);	/* NOT NULL reports it */
	mentor_lock_pairing(rel, pairing_id, &p);
	check_admission(rel, &p, day, signatory);
	return PointerGetDatum(tuple);
}

/*
 * For pairing.c, when a pairing's dates change (an end, a moved start):
 * every internship record stays inside them.
 */
void
mentor_internship_inside(Relation rel, int64 pairing_id, DateADT started_on,
						 bool has_end, DateADT ended_on)
{
	Datum		args[3];
	char		nulls[3] = {' ', ' ', has_end ? ' ' : 'n'};
	char	   *what;
	DateADT		day;
	bool		isnull;

	args[0] = Int64GetDatum(pairing_id);
	args[1] = DateADTGetDatum(started_on);
	args[2] = DateADTGetDatum(ended_on);
	mentor_spi_connect();
	if (mentor_query_run(&outside_query, args, nulls, 1) == 0)
	{
		mentor_spi_finish();
		return;
	}
	what = mentor_spi_text_kept(0, 1);
	day = DatumGetDateADT(mentor_spi_value(0, 2, &isnull));
	mentor_spi_finish();
	ereport(ERROR,
			(mentor_rule_error(rel, strcmp(what, "shift") == 0 ?
							   "mentor_shift_outside_pairing" :
							   strcmp(what, "admission") == 0 ?
							   "mentor_admission" : "mentor_internship_record"),
			 errmsg("pairing %lld cannot run from %s through %s: it has a %s on %s",
					(long long) pairing_id, mentor_date_str(started_on),
					has_end ? mentor_date_str(ended_on) : "an open end",
					what, mentor_date_str(day)),
			 errhint("Keep the pairing's dates around its internship records.")));
}

/*
 * For pairing.c, when a pairing ends as completed: an internship completes
 * with its mentee admitted.  The pairing row is locked by its UPDATE.
 */
void
mentor_completion_admitted(Relation rel, int64 pairing_id)
{
	InternshipTerms t;
	Admission	a;

	read_admission(pairing_id, &a);
	if (a.found)
		return;
	read_terms(pairing_id, DATEVAL_NOEND, &t);
	if (!t.needs_admission)
		return;
	ereport(ERROR,
			(mentor_rule_error(rel, "mentor_admission"),
			 errmsg("pairing %lld cannot be completed: its mentee was not admitted to independent work", (long long) pairing_id),
			 errdetail("Programme \"%s\" requires admission for profession \"%s\": %lld of %d shifts logged.",
					   t.program, t.profession, (long long) t.shifts, t.shifts_required),
			 errhint("Admit the mentee (mentor.admit) first, or end the pairing with another reason.")));
}

/*
 * BEFORE INSERT OR UPDATE OF held_on, trainer_id ON mentor.workshop: rule
 * mentor_workshop_trainer.
 */
Datum
mentor_workshop_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel = trigdata->tg_relation;
	HeapTuple	tuple = mentor_before_row(fcinfo, "workshop_rules");
	TupleDesc	tupdesc = RelationGetDescr(rel);
	int64		trainer_id;
	DateADT		day;
	MentorStanding st;

	if (!mentor_attr_id(tuple, tupdesc, "trainer_id", &trainer_id) ||
		!mentor_attr_date(tuple, tupdesc, "held_on", &day))
		return PointerGetDatum(tuple);	/* NOT NULL reports it */
	mentor_standing(rel, "trainer_id", trainer_id, day, &st);
	if (st.dismissed || !st.is_engineer)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_workshop_trainer"),
				 errmsg("%s cannot lead a workshop on %s", mentor_person_label(trainer_id), mentor_date_str(day)),
				 errdetail("A workshop is led by a training engineer on its day (mentor.mentor.tier), not dismissed."),
				 errhint("Choose a training engineer (mentor.roster lists tiers).")));
	return PointerGetDatum(tuple);
}
