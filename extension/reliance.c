/*-------------------------------------------------------------------------
 *
 * reliance.c
 *	  Rules held from the referenced side.  A pairing was judged on its
 *	  start date against rows of other tables: the mentor's approval
 *	  (mentor.mentor), a certificate, an agreement.  Writing those rows
 *	  later must not leave a pairing that broke its rule, so, as foreign
 *	  keys offer RESTRICT and CASCADE:
 *
 *	  - refused: what rewrites the history a pairing relied on (deleting
 *		the approval, a certificate or an agreement a started pairing's
 *		start relied on; moving approved_on, issued_on or an agreement's
 *		dates past such a start; lowering an agreement's max_mentees below
 *		the mentor's active mentees), with the rule the pairing was judged
 *		by (mentor_not_approved, mentor_certificate, mentor_agreement,
 *		mentor_capacity);
 *	  - cascaded: what is a fact of life.  A dismissal (employee.
 *		dismissed_on) ends all of a person's pairings as "dismissed", a
 *		retirement (mentor.retired_on) the mentor's as "mentor_ineligible",
 *		and a revocation the mentor's pairings in programmes that require a
 *		certificate: on the day, never before a pairing's start, with later
 *		sessions cancelled and the reason recorded; open requests of a
 *		leaving person are cancelled.
 *
 * Concurrency: each trigger locks the mentor's employee row, as a new
 * pairing does, and reads the pairings with a snapshot taken after the
 * lock (lookup.c), so a pairing created concurrently is either seen here
 * or sees this change itself.
 *
 * extension/reliance.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "mentor.h"
#include "agreement.h"
#include "certificate.h"
#include "program.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_pairing_mentee_idx = MENTOR_INDEX("pairing", "pairing_mentee_idx");	/* pairing (mentee_id, ended_on) */
static MentorIndex idx_pairing_mentor_idx = MENTOR_INDEX("pairing", "pairing_mentor_idx");	/* pairing (mentor_id, ended_on) */

/* a pairing ended by something else: its later sessions, then itself */
static MentorQuery cancel_sessions_after = {
	"UPDATE mentor.session s SET status = 'cancelled',"
	" cancel_reason = pg_catalog.format('pairing %s ended on %s (%s)', p.pairing_id,"
	"   pg_catalog.to_char(GREATEST(p.started_on, $2), 'YYYY-MM-DD'), $3)"
	" FROM mentor.pairing p"
	" WHERE p.pairing_id" EQ "$1 AND s.pairing_id" EQ "p.pairing_id"
	" AND p.status" EQ "'active' AND s.status" NE "'cancelled'"
	" AND s.held_at" GE "CAST(GREATEST(p.started_on, $2) OPERATOR(pg_catalog.+) 1"
	"   AS pg_catalog.timestamptz)",
	3, {INT8OID, DATEOID, TEXTOID}, false, NULL
};

static MentorQuery end_pairing = {
	"UPDATE mentor.pairing SET status = 'ended', end_reason = $3,"
	" ended_on = GREATEST(started_on, $2), notified_on = NULL"
	" WHERE pairing_id" EQ "$1 AND status" EQ "'active'",
	3, {INT8OID, DATEOID, TEXTOID}, false, NULL
};

/* a started pairing of a person, as these checks read it */
typedef struct StartedPairing
{
	int64		pairing_id;
	char	   *program;
	bool		active;
	DateADT		started_on;
} StartedPairing;

PG_FUNCTION_INFO_V1(mentor_certificate_changed);
PG_FUNCTION_INFO_V1(mentor_agreement_changed);
PG_FUNCTION_INFO_V1(mentor_mentor_changed);
PG_FUNCTION_INFO_V1(mentor_employee_dismissed);
PG_FUNCTION_INFO_V1(mentor_mentor_retired);

/* a leaving person's open requests */
static MentorQuery cancel_requests = {
	"UPDATE mentor.pairing SET status = 'cancelled'"
	" WHERE (mentor_id" EQ "$1 OR mentee_id" EQ "$2)"
	" AND status" EQ "'requested'",
	2, {INT8OID, INT8OID}, false, NULL
};

static bool
visit_started(TupleTableSlot *slot, void *arg)
{
	List	  **pairings = (List **) arg;
	StartedPairing *p;
	bool		active = mentor_slot_text_eq(slot, "status", "active");
	bool		isnull;

	if (!active && !mentor_slot_text_eq(slot, "status", "ended"))
		return true;
	p = palloc(sizeof(StartedPairing));
	if (!mentor_slot_date(slot, "started_on", &p->started_on))
	{
		pfree(p);
		return true;
	}
	p->pairing_id = DatumGetInt64(mentor_slot_attr(slot, "pairing_id", &isnull));
	p->program = mentor_slot_text(slot, "program");
	p->active = active;
	*pairings = lappend(*pairings, p);
	return true;
}

/*
 * Lock a person's employee row and list the started (active or ended)
 * pairings where they are the mentor, and also the mentee when
 * also_as_mentee.
 */
static List *
started_pairings(int64 employee_id, bool also_as_mentee)
{
	ScanKeyData key;
	List	   *pairings = NIL;

	mentor_lock_employee(employee_id);
	mentor_key_id(&key, employee_id);
	mentor_index_scan(&idx_pairing_mentor_idx, &key, 1, visit_started, &pairings);
	if (also_as_mentee)
	{
		mentor_key_id(&key, employee_id);
		mentor_index_scan(&idx_pairing_mentee_idx, &key, 1, visit_started, &pairings);
	}
	return pairings;
}

/*
 * End an active pairing on day (never before its start) with reason, as a
 * consequence of something else; its non-cancelled sessions after that day
 * are cancelled first, with the reason, so none is left outside it.
 */
static void
end_pairing_cascade(int64 pairing_id, DateADT day, const char *reason)
{
	Datum		args[3];

	mentor_spi_connect();
	args[0] = Int64GetDatum(pairing_id);
	args[1] = DateADTGetDatum(day);
	args[2] = CStringGetTextDatum(reason);
	mentor_query_run(&cancel_sessions_after, args, NULL, 0);
	mentor_query_run(&end_pairing, args, NULL, 0);
	mentor_spi_finish();
}

/* a certificate row's dates: does it make its holder certified on day? */
typedef struct CertificateDates
{
	int64		id;
	int64		employee_id;
	char	   *serial;
	DateADT		issued_on;
	DateADT		valid_until;
	bool		revoked;
	DateADT		revoked_on;
} CertificateDates;

static void
read_certificate(HeapTuple tuple, TupleDesc tupdesc, CertificateDates *c)
{
	mentor_attr_id(tuple, tupdesc, "certificate_id", &c->id);
	mentor_attr_id(tuple, tupdesc, "employee_id", &c->employee_id);
	c->serial = mentor_attr_text(tuple, tupdesc, "serial");
	mentor_attr_date(tuple, tupdesc, "issued_on", &c->issued_on);
	mentor_attr_date(tuple, tupdesc, "valid_until", &c->valid_until);
	c->revoked = mentor_attr_date(tuple, tupdesc, "revoked_on", &c->revoked_on);
}

static bool
issued_for(const CertificateDates *c, DateADT day)
{
	return c->issued_on <= day && day <= c->valid_until;
}

/*
 * AFTER UPDATE OR DELETE ON mentor.certificate
 *
 * Refused: a change after which the start of a started pairing in a
 * programme requiring a certificate, covered by this certificate before,
 * is covered by no certificate of the mentor (a revocation aside).
 * Cascaded: a new or earlier revocation ends the mentor's active pairings
 * in such programmes when no other certificate is valid on its day.
 */
Datum
mentor_certificate_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel = trigdata->tg_relation;
	TupleDesc	tupdesc = RelationGetDescr(rel);
	bool		update = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event);
	CertificateDates old;
	CertificateDates new;
	List	   *pairings;
	ListCell   *lc;
	bool		newly_revoked;

	mentor_check_trigger(fcinfo, "certificate_changed", false);
	read_certificate(trigdata->tg_trigtuple, tupdesc, &old);
	if (update)
		read_certificate(trigdata->tg_newtuple, tupdesc, &new);
	newly_revoked = update && new.revoked &&
		(!old.revoked || new.revoked_on < old.revoked_on);

	pairings = started_pairings(old.employee_id, false);
	foreach(lc, pairings)
	{
		StartedPairing *p = (StartedPairing *) lfirst(lc);
		MentorProgram prog;
		bool		kept;

		CHECK_FOR_INTERRUPTS();
		mentor_program(p->program, &prog);
		if (!prog.requires_certificate ||
			!issued_for(&old, p->started_on) ||
			(old.revoked && old.revoked_on <= p->started_on))
			continue;			/* it did not rely on this certificate */
		kept = update && new.employee_id == old.employee_id &&
			issued_for(&new, p->started_on);
		if (!kept && !mentor_valid_certificate(old.employee_id, p->started_on,
											   true, old.id))
		{
			if (update)
				ereport(ERROR,
						(mentor_rule_error(rel, "mentor_certificate"),
						 errmsg("certificate \"%s\" of %s cannot change its holder or dates",
								old.serial, mentor_person_label(old.employee_id)),
						 errdetail("Pairing %lld, started on %s, relied on it: programme \"%s\" requires a certificate valid on the start date, and no other certificate of the mentor covers it.",
								   (long long) p->pairing_id, mentor_date_str(p->started_on), prog.code),
						 errhint("Revoke the certificate instead (mentor.revoke_certificate): a revocation ends the pairings it affects.")));
			ereport(ERROR,
					(mentor_rule_error(rel, "mentor_certificate"),
					 errmsg("certificate \"%s\" of %s cannot be deleted",
							old.serial, mentor_person_label(old.employee_id)),
					 errdetail("Pairing %lld, started on %s, relied on it: programme \"%s\" requires a certificate valid on the start date, and no other certificate of the mentor covers it.",
							   (long long) p->pairing_id, mentor_date_str(p->started_on), prog.code),
					 errhint("Revoke the certificate instead (mentor.revoke_certificate): a revocation ends the pairings it affects.")));
		}

		if (newly_revoked && p->active &&
			!mentor_valid_certificate(old.employee_id, new.revoked_on, false, 0))
			end_pairing_cascade(p->pairing_id, new.revoked_on,
									   "mentor_ineligible");
	}
	return PointerGetDatum(NULL);
}

/* an agreement row's days */
typedef struct AgreementDays
{
	int64		id;
	int64		employee_id;
	char	   *number;
	DateADT		valid_from;
	DateADT		valid_to;
	bool		has_limit;
	int32		limit;
} AgreementDays;

static void
read_agreement(HeapTuple tuple, TupleDesc tupdesc, AgreementDays *a)
{
	bool		isnull;
	Datum		d;

	mentor_attr_id(tuple, tupdesc, "agreement_id", &a->id);
	mentor_attr_id(tuple, tupdesc, "employee_id", &a->employee_id);
	a->number = mentor_attr_text(tuple, tupdesc, "number");
	mentor_attr_date(tuple, tupdesc, "valid_from", &a->valid_from);
	mentor_attr_date(tuple, tupdesc, "valid_to", &a->valid_to);
	d = mentor_attr(tuple, tupdesc, "max_mentees", &isnull);
	a->has_limit = !isnull;
	a->limit = isnull ? 0 : DatumGetInt32(d);
}

static bool
covers(const AgreementDays *a, DateADT day)
{
	return a->valid_from <= day && day <= a->valid_to;
}

/*
 * AFTER UPDATE OR DELETE ON mentor.agreement
 *
 * Refused: a change after which the start of a started pairing in a
 * programme requiring an agreement, covered by this agreement before, is
 * covered by no agreement of the mentor; and a max_mentees below the
 * mentor's active mentees in an agreement in force while all are active.
 * (Moving an agreement to another person is refused before, by
 * agreement_rules.)
 */
Datum
mentor_agreement_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel = trigdata->tg_relation;
	TupleDesc	tupdesc = RelationGetDescr(rel);
	bool		update = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event);
	AgreementDays old;
	AgreementDays new;
	List	   *pairings;
	ListCell   *lc;
	int			active = 0;
	DateADT		latest_start = 0;
	MentorAgreementFacts other;

	mentor_check_trigger(fcinfo, "agreement_changed", false);
	read_agreement(trigdata->tg_trigtuple, tupdesc, &old);
	if (update)
		read_agreement(trigdata->tg_newtuple, tupdesc, &new);

	pairings = started_pairings(old.employee_id, false);
	foreach(lc, pairings)
	{
		StartedPairing *p = (StartedPairing *) lfirst(lc);
		MentorProgram prog;

		CHECK_FOR_INTERRUPTS();
		if (p->active)
		{
			active++;
			latest_start = Max(latest_start, p->started_on);
		}
		mentor_program(p->program, &prog);
		if (!prog.requires_agreement || !covers(&old, p->started_on) ||
			(update && covers(&new, p->started_on)) ||
			mentor_agreement_in_force(old.employee_id, p->started_on, true, old.id, &other))
			continue;
		if (update)
			ereport(ERROR,
					(mentor_rule_error(rel, "mentor_agreement"),
					 errmsg("agreement \"%s\" of %s cannot run from %s through %s",
							old.number, mentor_person_label(old.employee_id),
							mentor_date_str(new.valid_from), mentor_date_str(new.valid_to)),
					 errdetail("Pairing %lld, started on %s, relied on it: programme \"%s\" requires an agreement valid on the start date (Labour Code art. 351.8), and no other agreement of the mentor covers it.",
							   (long long) p->pairing_id, mentor_date_str(p->started_on), prog.code),
					 errhint("Keep the agreement's days over the pairing's start; import a new agreement for later changes.")));
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_agreement"),
				 errmsg("agreement \"%s\" of %s cannot be deleted",
						old.number, mentor_person_label(old.employee_id)),
				 errdetail("Pairing %lld, started on %s, relied on it: programme \"%s\" requires an agreement valid on the start date (Labour Code art. 351.8), and no other agreement of the mentor covers it.",
						   (long long) p->pairing_id, mentor_date_str(p->started_on), prog.code),
				 errhint("Keep the agreement's days over the pairing's start; import a new agreement for later changes.")));
	}

	/* lower than the active pairings, on a day all of them are active */
	if (update && new.has_limit && (!old.has_limit || new.limit < old.limit) &&
		active > new.limit && new.valid_to >= latest_start)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_capacity"),
				 errmsg("agreement \"%s\" cannot lower the limit of %s below the active mentees",
						new.number, mentor_person_label(new.employee_id)),
				 errdetail_plural("%d mentee is active; maxMentees %d would lower the programme limit below that while the pairing is active.",
								  "%d mentees are active; maxMentees %d would lower the programme limit below that while those pairings are active.",
								  (unsigned long) active, active, new.limit),
				 errhint("End pairings first, or put the lower limit in a new agreement.")));
	return PointerGetDatum(NULL);
}

/*
 * AFTER UPDATE OF employee_id, approved_on OR DELETE ON mentor.mentor
 *
 * Refused: losing the approval that a started pairing's start relied on
 * (deleting the row, moving it to another employee, or moving approved_on
 * after a pairing's start).  Ending eligibility is a retirement.
 */
Datum
mentor_mentor_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel = trigdata->tg_relation;
	TupleDesc	tupdesc = RelationGetDescr(rel);
	bool		update = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event);
	int64		old_id;
	int64		new_id = 0;
	DateADT		approved_on = 0;
	List	   *pairings;
	ListCell   *lc;

	mentor_check_trigger(fcinfo, "mentor_changed", false);
	mentor_attr_id(trigdata->tg_trigtuple, tupdesc, "employee_id", &old_id);
	if (update)
	{
		mentor_attr_id(trigdata->tg_newtuple, tupdesc, "employee_id", &new_id);
		mentor_attr_date(trigdata->tg_newtuple, tupdesc, "approved_on", &approved_on);
	}

	pairings = started_pairings(old_id, false);
	foreach(lc, pairings)
	{
		StartedPairing *p = (StartedPairing *) lfirst(lc);

		CHECK_FOR_INTERRUPTS();
		if (update && new_id == old_id && approved_on <= p->started_on)
			continue;
		if (update && new_id == old_id)
			ereport(ERROR,
					(mentor_rule_error(rel, "mentor_not_approved"),
					 errmsg("%s cannot be approved as a mentor only on %s",
							mentor_person_label(old_id), mentor_date_str(approved_on)),
					 errdetail("Pairing %lld, started on %s, relied on the approval: a pairing starts only with an approved mentor.",
							   (long long) p->pairing_id, mentor_date_str(p->started_on)),
					 errhint("Retire the mentor instead (mentor.retire_mentor): a retirement ends their pairings.")));
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_not_approved"),
				 errmsg("%s cannot lose the approval as a mentor",
						mentor_person_label(old_id)),
				 errdetail("Pairing %lld, started on %s, relied on the approval: a pairing starts only with an approved mentor.",
						   (long long) p->pairing_id, mentor_date_str(p->started_on)),
				 errhint("Retire the mentor instead (mentor.retire_mentor): a retirement ends their pairings.")));
	}
	return PointerGetDatum(NULL);
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
	List	   *pairings = started_pairings(employee_id, as_mentee);
	ListCell   *lc;
	Datum		args[2];

	foreach(lc, pairings)
	{
		StartedPairing *p = (StartedPairing *) lfirst(lc);

		CHECK_FOR_INTERRUPTS();
		if (p->active)
			end_pairing_cascade(p->pairing_id, day, reason);
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
