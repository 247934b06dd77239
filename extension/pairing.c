/*-------------------------------------------------------------------------
 *
 * pairing.c
 *	  The pairing state machine and every rule a pairing must keep:
 *	  mentor_self_pairing, mentor_dismissed, mentor_not_approved,
 *	  mentor_grade_gap, mentor_same_profession (checked on request and on
 *	  start), mentor_certificate, mentor_agreement, mentor_capacity,
 *	  mentor_mentee_busy (checked on start), mentor_min_sessions and
 *	  mentor_notice_period (checked on end), mentor_state_transition; and,
 *	  through internship.c, mentor_admission on completion and the
 *	  internship records inside the pairing's dates.
 *
 * States: a pairing is created "requested" (the mentee's choice) or
 * "active" (HR assigns).  requested -> active | declined | cancelled;
 * active -> ended.  declined, cancelled and ended are final.
 *
 * Concurrency: before reading anything a rule depends on, the trigger
 * locks both people's employee rows.  Two transactions that add a mentee to
 * the same mentor, pair the same mentee, or race a dismissal, queue on the
 * same row; the second then checks with a snapshot taken after the first
 * committed, at every isolation level (lookup.c).
 *
 * extension/pairing.c
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
#include "agreement.h"
#include "calendar.h"
#include "certificate.h"
#include "internship.h"
#include "program.h"
#include "session.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_employee_pkey = MENTOR_INDEX("employee", "employee_pkey");	/* employee (employee_id) */
static MentorIndex idx_mentor_pkey = MENTOR_INDEX("mentor", "mentor_pkey");	/* mentor (employee_id) */
static MentorIndex idx_pairing_mentee_idx = MENTOR_INDEX("pairing", "pairing_mentee_idx");	/* pairing (mentee_id, ended_on) */
static MentorIndex idx_pairing_mentor_idx = MENTOR_INDEX("pairing", "pairing_mentor_idx");	/* pairing (mentor_id, ended_on) */

PG_FUNCTION_INFO_V1(mentor_pairing_rules);

typedef struct PairingRow
{
	int64		pairing_id;
	char	   *program;
	int64		mentee_id;
	int64		mentor_id;
	char	   *status;
	bool		has_requested;
	DateADT		requested_on;
	bool		has_started;
	DateADT		started_on;
	bool		has_ended;
	DateADT		ended_on;
	char	   *end_reason;		/* NULL when not set */
	bool		has_notified;
	DateADT		notified_on;
} PairingRow;

typedef struct Person
{
	int64		id;
	char	   *label;			/* "Full Name (personnel no)" */
	char	   *area;
	int32		grade;
	char	   *profession;		/* NULL when unknown */
	bool		dismissed;
	DateADT		dismissed_on;
} Person;

/* what the rules read beyond the two employee rows (load_facts) */
typedef struct PairingFacts
{
	bool		is_mentor;
	DateADT		approved_on;
	bool		retired;
	DateADT		retired_on;
	bool		certified;
	MentorAgreementFacts agreement;	/* the one in force on the day */
	int64		load;			/* the mentor's other active pairings */
	int64		busy_pairing;	/* the mentee's active pairing, or 0 */
	int64		busy_mentor;
} PairingFacts;

typedef struct PairingCheck
{
	Relation	rel;
	PairingRow *row;
	MentorProgram prog;
	Person		mentee;
	Person		mentor;
	DateADT		day;			/* the day the rules are checked for */
	bool		starting;		/* every rule, not just the people's */
	PairingFacts facts;
} PairingCheck;

/*
 * Read a pairing row; false when a column that NOT NULL guards is NULL (the
 * constraint, checked after this trigger, reports it).
 */
static bool
read_row(HeapTuple tuple, TupleDesc tupdesc, PairingRow *row)
{
	bool		has_id = mentor_attr_id(tuple, tupdesc, "pairing_id", &row->pairing_id);
	bool		has_mentee = mentor_attr_id(tuple, tupdesc, "mentee_id", &row->mentee_id);
	bool		has_mentor = mentor_attr_id(tuple, tupdesc, "mentor_id", &row->mentor_id);

	row->program = mentor_attr_text(tuple, tupdesc, "program");
	row->status = mentor_attr_text(tuple, tupdesc, "status");
	row->has_requested = mentor_attr_date(tuple, tupdesc, "requested_on", &row->requested_on);
	row->has_started = mentor_attr_date(tuple, tupdesc, "started_on", &row->started_on);
	row->has_ended = mentor_attr_date(tuple, tupdesc, "ended_on", &row->ended_on);
	row->end_reason = mentor_attr_text(tuple, tupdesc, "end_reason");
	row->has_notified = mentor_attr_date(tuple, tupdesc, "notified_on", &row->notified_on);
	return has_id && has_mentee && has_mentor &&
		row->program != NULL && row->status != NULL;
}

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
same_date(bool has_a, DateADT a, bool has_b, DateADT b)
{
	return has_a == has_b && (!has_a || a == b);
}

static void
transition_error(PairingCheck *c, const char *from, const char *to,
				 const char *hint)
{
	if (from == NULL)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_state_transition"),
				 errmsg("pairing %lld cannot be created as %s",
						(long long) c->row->pairing_id, to),
				 errdetail("A pairing is created requested or active; requested -> active, declined or cancelled; active -> ended. declined, cancelled and ended are final."),
				 errhint("%s", hint)));
	ereport(ERROR,
			(mentor_rule_error(c->rel, "mentor_state_transition"),
			 errmsg("pairing %lld cannot move from %s to %s",
					(long long) c->row->pairing_id, from, to),
			 errdetail("A pairing is created requested or active; requested -> active, declined or cancelled; active -> ended. declined, cancelled and ended are final."),
			 errhint("%s", hint)));
}

/* read a locked employee row into the Person it is */
static bool
visit_person(TupleTableSlot *slot, void *arg)
{
	PairingCheck *c = (PairingCheck *) arg;
	bool		isnull;
	int64		id = DatumGetInt64(mentor_slot_attr(slot, "employee_id", &isnull));
	Person	   *p = (id == c->row->mentee_id) ? &c->mentee : &c->mentor;

	p->id = id;
	p->label = psprintf("%s (%s)", mentor_slot_text(slot, "full_name"),
						mentor_slot_text(slot, "personnel_no"));
	p->area = mentor_slot_text(slot, "function_area");
	p->grade = DatumGetInt32(mentor_slot_attr(slot, "grade", &isnull));
	p->profession = mentor_slot_text(slot, "profession");
	p->dismissed = mentor_slot_date(slot, "dismissed_on", &p->dismissed_on);
	return true;
}

/*
 * Lock both people's rows (in id order, so two pairings of the same two
 * people cannot deadlock) and load what the rules need of them.
 */
static void
load_people(PairingCheck *c)
{
	int64		ids[2] = {c->row->mentee_id, c->row->mentor_id};

	c->mentee.id = 0;
	c->mentor.id = 0;
	mentor_lock_rows(&idx_employee_pkey, ids, 2, visit_person, c);
	if (c->mentee.id == 0 || c->mentor.id == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("employee %lld does not exist",
						(long long) (c->mentee.id == 0 ? c->row->mentee_id : c->row->mentor_id)),
				 errtableconstraint(c->rel, c->mentee.id == 0 ?
									"pairing_mentee_id_fkey" : "pairing_mentor_id_fkey")));
}

static void
check_dismissed(PairingCheck *c, Person *p, const char *role)
{
	if (p->dismissed && p->dismissed_on <= c->day)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_dismissed"),
				 errmsg("%s %s is dismissed on %s", role, p->label, mentor_date_str(c->day)),
				 errdetail("Dismissed on %s.", mentor_date_str(p->dismissed_on)),
				 errhint("Pair only people employed on the start date.")));
}

/* visitors for load_facts: each reads one kind of row into the facts */
static bool
visit_mentor(TupleTableSlot *slot, void *arg)
{
	PairingFacts *f = (PairingFacts *) arg;
	bool		isnull;

	f->is_mentor = true;
	f->approved_on = DatumGetDateADT(mentor_slot_attr(slot, "approved_on", &isnull));
	f->retired = mentor_slot_date(slot, "retired_on", &f->retired_on);
	return false;
}

/* another pairing, started and not ended before the day */
static bool
occupies(TupleTableSlot *slot, PairingCheck *c)
{
	bool		isnull;
	Datum		d;

	if (DatumGetInt64(mentor_slot_attr(slot, "pairing_id", &isnull)) == c->row->pairing_id)
		return false;
	if (!mentor_slot_text_eq(slot, "status", "active") &&
		!mentor_slot_text_eq(slot, "status", "ended"))
		return false;
	d = mentor_slot_attr(slot, "ended_on", &isnull);
	return isnull || DatumGetDateADT(d) >= c->day;
}

static bool
visit_mentor_load(TupleTableSlot *slot, void *arg)
{
	PairingCheck *c = (PairingCheck *) arg;

	if (occupies(slot, c))
		c->facts.load++;
	return true;
}

static bool
visit_mentee_busy(TupleTableSlot *slot, void *arg)
{
	PairingCheck *c = (PairingCheck *) arg;
	bool		isnull;

	if (!occupies(slot, c) || !mentor_slot_text_eq(slot, "program", c->prog.code))
		return true;
	c->facts.busy_pairing = DatumGetInt64(mentor_slot_attr(slot, "pairing_id", &isnull));
	c->facts.busy_mentor = DatumGetInt64(mentor_slot_attr(slot, "mentor_id", &isnull));
	return false;
}

/*
 * Read what the rules need beyond the two employee rows.  Called after
 * load_people took the locks, so the reads see whatever a writer we waited
 * for committed (lookup.c).
 */
static void
load_facts(PairingCheck *c)
{
	PairingFacts *f = &c->facts;
	ScanKeyData keys[2];

	memset(f, 0, sizeof(PairingFacts));
	mentor_reads_begin();
	PG_TRY();
	{
		mentor_key_id(&keys[0], c->mentor.id);
		mentor_index_scan(&idx_mentor_pkey, keys, 1, visit_mentor, f);

		/* a request is judged on the people only (check_people) */
		if (c->starting)
		{
			if (c->prog.requires_certificate)
				f->certified = mentor_has_valid_certificate(c->mentor.id, c->day);

			mentor_agreement_in_force(c->mentor.id, c->day, false, 0, &f->agreement);

			mentor_key_id(&keys[0], c->mentor.id);
			mentor_index_scan(&idx_pairing_mentor_idx, keys, 1, visit_mentor_load, c);

			mentor_key_id(&keys[0], c->mentee.id);
			mentor_index_scan(&idx_pairing_mentee_idx, keys, 1, visit_mentee_busy, c);
		}
	}
	PG_FINALLY();
	{
		mentor_reads_end();
	}
	PG_END_TRY();
}

static void
check_approved(PairingCheck *c)
{
	PairingFacts *f = &c->facts;

	if (!f->is_mentor)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_not_approved"),
				 errmsg("%s is not an approved mentor", c->mentor.label),
				 errdetail("There is no mentor.mentor row for this employee."),
				 errhint("Approve the candidate with mentor.approve_mentor() after a passing selection.")));
	if (f->approved_on > c->day)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_not_approved"),
				 errmsg("%s is not yet an approved mentor on %s", c->mentor.label, mentor_date_str(c->day)),
				 errdetail("Approved on %s.", mentor_date_str(f->approved_on)),
				 errhint("Start the pairing on or after the approval date.")));
	if (f->retired && f->retired_on <= c->day)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_not_approved"),
				 errmsg("%s is a retired mentor on %s", c->mentor.label, mentor_date_str(c->day)),
				 errdetail("Retired on %s.", mentor_date_str(f->retired_on)),
				 errhint("Choose an active mentor.")));
}

static void
check_grade_gap(PairingCheck *c)
{
	bool		same_area = strcmp(c->mentee.area, c->mentor.area) == 0;
	MentorParam gap = same_area ? c->prog.gap_same_area : c->prog.gap_other_area;
	int32		actual = c->mentor.grade - c->mentee.grade;

	if (gap.set && actual < gap.value)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_grade_gap"),
				 errmsg("mentor %s is not senior enough for mentee %s",
						c->mentor.label, c->mentee.label),
				 same_area ?
				 errdetail_plural("Grade %d is %d level above grade %d; programme \"%s\" requires %d in the same functional area (%s).",
								  "Grade %d is %d levels above grade %d; programme \"%s\" requires %d in the same functional area (%s).",
								  abs(actual), c->mentor.grade, actual, c->mentee.grade,
								  c->prog.code, gap.value, c->mentor.area) :
				 errdetail_plural("Grade %d is %d level above grade %d; programme \"%s\" requires %d from another functional area (mentor %s, mentee %s).",
								  "Grade %d is %d levels above grade %d; programme \"%s\" requires %d from another functional area (mentor %s, mentee %s).",
								  abs(actual), c->mentor.grade, actual, c->mentee.grade,
								  c->prog.code, gap.value, c->mentor.area, c->mentee.area),
				 errhint("Choose a mentor of grade %d or higher.", c->mentee.grade + gap.value)));
}

static void
check_profession(PairingCheck *c)
{
	if (c->prog.same_profession &&
		(c->mentor.profession == NULL || c->mentee.profession == NULL ||
		 strcmp(c->mentor.profession, c->mentee.profession) != 0))
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_same_profession"),
				 errmsg("mentor %s and mentee %s do not share a profession; programme %s requires it", c->mentor.label, c->mentee.label, c->prog.code),
				 errdetail("Professions: mentor %s, mentee %s.", c->mentor.profession ? c->mentor.profession : "unknown", c->mentee.profession ? c->mentee.profession : "unknown"),
				 errhint("Choose a mentor of the mentee's profession.")));
}

/*
 * Rules about the two people only: checked on request and on start.
 */
static void
check_people(PairingCheck *c)
{
	if (c->row->mentee_id == c->row->mentor_id)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_self_pairing"),
				 errmsg("employee %lld cannot mentor themselves", (long long) c->row->mentee_id),
				 errhint("Choose a mentor other than the mentee.")));
	load_people(c);
	load_facts(c);
	check_dismissed(c, &c->mentee, "mentee");
	check_dismissed(c, &c->mentor, "mentor");
	check_approved(c);
	check_grade_gap(c);
	check_profession(c);
}

/*
 * Rules checked when a pairing starts, after check_people.
 */
static void
check_start(PairingCheck *c)
{
	PairingFacts *f = &c->facts;
	int32		limit;
	char	   *limit_source;

	if (c->prog.requires_certificate && !f->certified)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_certificate"),
				 errmsg("mentor %s holds no certificate valid on %s", c->mentor.label, mentor_date_str(c->day)),
				 errdetail("Programme %s requires a valid mentor certificate.", c->prog.code),
				 errhint("Issue a certificate (mentor.issue_certificate) or choose a certified mentor.")));

	if (c->prog.requires_agreement && !f->agreement.found)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_agreement"),
				 errmsg("mentor %s has no mentorship agreement valid on %s", c->mentor.label, mentor_date_str(c->day)),
				 errdetail("Programme %s requires a signed agreement (Labour Code art. 351.8).", c->prog.code),
				 errhint("Import the mentor's signed agreement first.")));

	/* the programme's limit, lowered by the covering agreement's */
	limit = c->prog.max_mentees.set ? c->prog.max_mentees.value : -1;
	limit_source = psprintf("programme %s", c->prog.code);
	if (f->agreement.has_limit && (limit < 0 || f->agreement.limit < limit))
	{
		limit = f->agreement.limit;
		limit_source = psprintf("agreement %s", f->agreement.number);
	}
	if (limit >= 0 && f->load >= limit)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_capacity"),
				 errmsg("mentor %s has no free place on %s",
						c->mentor.label, mentor_date_str(c->day)),
				 errdetail_plural("%lld mentee is active on or after that day; the limit is %d, from %s.",
								  "%lld mentees are active on or after that day; the limit is %d, from %s.",
								  (unsigned long) f->load,
								  (long long) f->load, limit, limit_source),
				 errhint("End one of the mentor's pairings first, or choose another mentor.")));

	if (f->busy_pairing != 0)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_mentee_busy"),
				 errmsg("mentee %s already has an active pairing in programme %s on %s", c->mentee.label, c->prog.code, mentor_date_str(c->day)),
				 errdetail("Pairing %lld with mentor %s.", (long long) f->busy_pairing, mentor_person_label(f->busy_mentor)),
				 errhint("End the current pairing first; a new one may start the day after it ends.")));
}

/*
 * The pairing's dates keep its sessions inside (rule
 * mentor_session_outside_pairing from the pairing's side): an end or a
 * later start cannot leave a session outside.  Cascaded ends cancel the
 * later sessions first (reliance.c).
 */
static void
check_sessions_inside(PairingCheck *c)
{
	PairingRow *row = c->row;
	DateADT		day;

	if (!row->has_started)
		return;
	if (mentor_session_outside(row->pairing_id, row->started_on,
							   row->has_ended, row->ended_on, &day))
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_session_outside_pairing"),
				 errmsg("pairing %lld cannot run from %s through %s: it has a session on %s", (long long) row->pairing_id, mentor_date_str(row->started_on), row->has_ended ? mentor_date_str(row->ended_on) : "an open end", mentor_date_str(day)),
				 errhint("Keep the pairing's dates around its sessions, or cancel the session first.")));
	mentor_internship_inside(c->rel, row->pairing_id, row->started_on,
							 row->has_ended, row->ended_on);
}

static bool
visit_site(TupleTableSlot *slot, void *arg)
{
	*(char **) arg = mentor_slot_text(slot, "site");
	return false;
}

/* an employee's site (an end is checked without loading the people) */
static char *
site_of(int64 employee_id)
{
	ScanKeyData key;
	char	   *site = NULL;

	mentor_key_id(&key, employee_id);
	mentor_index_scan(&idx_employee_pkey, &key, 1, visit_site, &site);
	return site;
}

static bool
is_early_end(const char *reason)
{
	return strcmp(reason, "mentor_withdrew") == 0 ||
		strcmp(reason, "mentee_withdrew") == 0 ||
		strcmp(reason, "employer_cancelled") == 0;
}

/*
 * active -> ended
 */
static void
check_end(PairingCheck *c)
{
	PairingRow *row = c->row;

	if (row->end_reason == NULL)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_state_transition"),
				 errmsg("pairing %lld cannot end without a reason", (long long) row->pairing_id),
				 errhint("Set end_reason: completed, mentor_withdrew, mentee_withdrew, employer_cancelled, dismissed or mentor_ineligible.")));
	if (row->has_started && row->ended_on < row->started_on)
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_state_transition"),
				 errmsg("pairing %lld cannot end on %s, before it started on %s", (long long) row->pairing_id, mentor_date_str(row->ended_on), mentor_date_str(row->started_on)),
				 errhint("End it on or after its start date.")));

	check_sessions_inside(c);

	if (strcmp(row->end_reason, "completed") == 0)
		mentor_completion_admitted(c->rel, row->pairing_id);

	if (strcmp(row->end_reason, "completed") == 0 && c->prog.min_sessions.set)
	{
		int64		held = mentor_held_sessions(row->pairing_id);

		if (held < c->prog.min_sessions.value)
			ereport(ERROR,
					(mentor_rule_error(c->rel, "mentor_min_sessions"),
					 errmsg("pairing %lld cannot be completed yet",
							(long long) row->pairing_id),
					 errdetail_plural("It has %lld held session; programme \"%s\" requires %d.",
									  "It has %lld held sessions; programme \"%s\" requires %d.",
									  (unsigned long) held,
									  (long long) held, c->prog.code,
									  c->prog.min_sessions.value),
					 errhint("Log the missing sessions, or end the pairing with another reason.")));
	}

	if (is_early_end(row->end_reason) && c->prog.notice_working_days.set)
	{
		DateADT		notified = row->has_notified ? row->notified_on : row->ended_on;
		const char *calendar = mentor_site_calendar(site_of(row->mentor_id));
		DateADT		earliest = mentor_working_day_after(notified,
														c->prog.notice_working_days.value,
														calendar);

		if (row->ended_on < earliest)
			ereport(ERROR,
					(mentor_rule_error(c->rel, "mentor_notice_period"),
					 errmsg("pairing %lld cannot end early (%s) on %s",
							(long long) row->pairing_id, row->end_reason,
							mentor_date_str(row->ended_on)),
					 errdetail_plural("Notice given on %s allows an end on %s at the earliest: programme \"%s\" requires %d working day of notice, counted on calendar \"%s\".",
									  "Notice given on %s allows an end on %s at the earliest: programme \"%s\" requires %d working days of notice, counted on calendar \"%s\".",
									  c->prog.notice_working_days.value,
									  mentor_date_str(notified), mentor_date_str(earliest),
									  c->prog.code, c->prog.notice_working_days.value,
									  calendar),
					 errhint("End the pairing on %s or later.", mentor_date_str(earliest))));
	}
}

static void
start_checks(PairingCheck *c)
{
	c->day = c->row->started_on;
	c->starting = true;
	check_people(c);
	check_start(c);
}

/*
 * A row that stays in its state: final states are frozen, an active
 * pairing may move its start (re-checked), a request may change its date.
 */
static void
same_state(PairingCheck *c, PairingRow *old)
{
	PairingRow *row = c->row;
	bool		changed = !same_date(old->has_requested, old->requested_on,
								   row->has_requested, row->requested_on) ||
		!same_date(old->has_started, old->started_on, row->has_started, row->started_on) ||
		!same_date(old->has_ended, old->ended_on, row->has_ended, row->ended_on) ||
		!same_date(old->has_notified, old->notified_on, row->has_notified, row->notified_on) ||
		!str_eq(old->end_reason, row->end_reason);

	if (!changed)
		return;
	if (strcmp(row->status, "requested") == 0)
	{
		c->day = row->has_requested ? row->requested_on : GetSQLCurrentDate();
		check_people(c);
	}
	else if (strcmp(row->status, "active") == 0 && !row->has_ended &&
			 row->end_reason == NULL && row->has_started)
	{
		start_checks(c);
		check_sessions_inside(c);
	}
	else
		transition_error(c, old->status, row->status,
						 strcmp(row->status, "active") == 0 ?
						 "An active pairing can only end (mentor.end_pairing)." :
						 "This state is final; create a new pairing instead.");
}

/* dates a trigger fills in when the writer left them NULL */
typedef struct DateDefaults
{
	TupleDesc	tupdesc;
	int			n;
	int			cols[3];
	Datum		values[3];
	bool		nulls[3];
} DateDefaults;

static void
default_date(DateDefaults *d, const char *column, bool *has, DateADT *value,
			 DateADT fallback)
{
	if (*has)
		return;
	*has = true;
	*value = fallback;
	d->cols[d->n] = mentor_attnum(d->tupdesc, column);
	d->values[d->n] = DateADTGetDatum(fallback);
	d->nulls[d->n++] = false;
}

/*
 * A new pairing: requested (checked for the two people on the request
 * date) or active (every rule on the start date), never with an end.
 */
static void
pairing_created(PairingCheck *c, DateDefaults *d)
{
	PairingRow *row = c->row;
	bool		no_end = !row->has_ended && row->end_reason == NULL;

	if (strcmp(row->status, "requested") == 0 && !row->has_started && no_end)
	{
		default_date(d, "requested_on", &row->has_requested, &row->requested_on,
					 GetSQLCurrentDate());
		c->day = row->requested_on;
		check_people(c);
	}
	else if (strcmp(row->status, "active") == 0 && no_end)
	{
		default_date(d, "started_on", &row->has_started, &row->started_on,
					 GetSQLCurrentDate());
		default_date(d, "requested_on", &row->has_requested, &row->requested_on,
					 row->started_on);
		start_checks(c);
	}
	else
		transition_error(c, NULL, row->status,
						 strcmp(row->status, "active") == 0 ?
						 "Create an active pairing without an end; end it later with mentor.end_pairing." :
						 "Create a pairing as requested (mentor.request_pairing) or active (mentor.assign_pairing).");
}

/*
 * A pairing that changes: the people and the programme stay, the status
 * moves along the state machine.
 */
static void
pairing_changed(PairingCheck *c, PairingRow *old, DateDefaults *d)
{
	PairingRow *row = c->row;

	/*
	 * A new programme code is a rename when the old code is gone: the
	 * foreign key's ON UPDATE CASCADE from mentor.program carries it here,
	 * and the pairing keeps the programme it was judged under.
	 */
	if (old->mentee_id != row->mentee_id || old->mentor_id != row->mentor_id ||
		old->pairing_id != row->pairing_id ||
		(strcmp(old->program, row->program) != 0 &&
		 mentor_program_exists(old->program)))
		ereport(ERROR,
				(mentor_rule_error(c->rel, "mentor_state_transition"),
				 errmsg("the people and programme of pairing %lld cannot change", (long long) old->pairing_id),
				 errhint("End this pairing and create a new one.")));

	if (strcmp(old->status, row->status) == 0)
		same_state(c, old);
	else if (strcmp(old->status, "requested") == 0 &&
			 strcmp(row->status, "active") == 0 &&
			 !row->has_ended && row->end_reason == NULL)
	{
		default_date(d, "started_on", &row->has_started, &row->started_on,
					 GetSQLCurrentDate());
		start_checks(c);
	}
	else if (strcmp(old->status, "requested") == 0 &&
			 (strcmp(row->status, "declined") == 0 ||
			  strcmp(row->status, "cancelled") == 0))
		;						/* nothing to check */
	else if (strcmp(old->status, "active") == 0 &&
			 strcmp(row->status, "ended") == 0)
	{
		default_date(d, "ended_on", &row->has_ended, &row->ended_on,
					 GetSQLCurrentDate());
		check_end(c);
	}
	else
		transition_error(c, old->status, row->status,
						 strcmp(old->status, "requested") == 0 ?
						 "A request is accepted (active), declined or cancelled." :
						 strcmp(old->status, "active") == 0 ?
						 "An active pairing can only end (mentor.end_pairing)." :
						 "This state is final; create a new pairing instead.");
}

/*
 * BEFORE INSERT OR UPDATE OF ... ON mentor.pairing
 */
Datum
mentor_pairing_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	tupdesc;
	HeapTuple	tuple;
	PairingRow	row;
	PairingRow	old;
	PairingCheck check;
	DateDefaults defaults;

	tuple = mentor_before_row(fcinfo, "pairing_rules");
	tupdesc = RelationGetDescr(trigdata->tg_relation);
	if (!read_row(tuple, tupdesc, &row))
		return PointerGetDatum(tuple);	/* NOT NULL constraints report it */

	memset(&check, 0, sizeof(check));
	check.rel = trigdata->tg_relation;
	check.row = &row;
	mentor_program(row.program, &check.prog);
	memset(&defaults, 0, sizeof(defaults));
	defaults.tupdesc = tupdesc;

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		read_row(trigdata->tg_trigtuple, tupdesc, &old);
		pairing_changed(&check, &old, &defaults);
	}
	else
		pairing_created(&check, &defaults);

	if (defaults.n > 0)
		tuple = heap_modify_tuple_by_cols(tuple, tupdesc, defaults.n,
										  defaults.cols, defaults.values,
										  defaults.nulls);
	return PointerGetDatum(tuple);
}
