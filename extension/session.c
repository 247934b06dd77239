/*-------------------------------------------------------------------------
 *
 * session.c
 *	  Rules a mentoring session must keep: mentor_session_outside_pairing,
 *	  mentor_session_length and mentor_session_spacing.
 *
 * A session's day is held_at as a date in the session TimeZone.  Spacing
 * compares days: two non-cancelled sessions of one pairing must lie at
 * least min_days_between_sessions calendar days apart, whichever was
 * logged first.  Cancelled sessions are not checked.
 *
 * Concurrency: the trigger first locks the pairing row and reads the
 * pairing through that lock (lookup.c), so two sessions of one pair
 * serialise on it, and a session against the pairing's end too.
 *
 * extension/session.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/timestamp.h"

#include "mentor.h"
#include "program.h"
#include "session.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_pairing_pkey = MENTOR_INDEX("pairing", "pairing_pkey");	/* pairing (pairing_id) */
static MentorIndex idx_session_pairing_idx = MENTOR_INDEX("session", "session_pairing_idx");	/* session (pairing_id, held_at) */

PG_FUNCTION_INFO_V1(mentor_session_rules);

static bool
visit_pairing(TupleTableSlot *slot, void *arg)
{
	MentorPairingRow *p = (MentorPairingRow *) arg;
	bool		isnull;

	p->mentor_id = DatumGetInt64(mentor_slot_attr(slot, "mentor_id", &isnull));
	p->program = mentor_slot_text(slot, "program");
	p->status = mentor_slot_text(slot, "status");
	p->end_reason = mentor_slot_text(slot, "end_reason");
	p->has_started = mentor_slot_date(slot, "started_on", &p->started_on);
	p->has_ended = mentor_slot_date(slot, "ended_on", &p->ended_on);
	return false;
}

/*
 * Lock the pairing a record of rel belongs to and read it.  A missing
 * pairing is the foreign key's error (<table>_pairing_id_fkey), raised here
 * because the BEFORE trigger runs first.
 */
void
mentor_lock_pairing(Relation rel, int64 pairing_id, MentorPairingRow *p)
{
	memset(p, 0, sizeof(MentorPairingRow));
	p->pairing_id = pairing_id;
	if (!mentor_lock_row(&idx_pairing_pkey, pairing_id, visit_pairing, p))
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("pairing %lld does not exist", (long long) pairing_id),
				 errtableconstraint(rel, psprintf("%s_pairing_id_fkey",
												  RelationGetRelationName(rel)))));
}

/* accepted: active or ended, with a start */
bool
mentor_pairing_started(const MentorPairingRow *p)
{
	return (strcmp(p->status, "active") == 0 || strcmp(p->status, "ended") == 0) &&
		p->has_started;
}

/* the day lies within the pairing's active dates */
bool
mentor_pairing_covers(const MentorPairingRow *p, DateADT day)
{
	return mentor_pairing_started(p) && day >= p->started_on &&
		(!p->has_ended || day <= p->ended_on);
}

static void
check_inside(Relation rel, int64 pairing_id, MentorPairingRow *p, DateADT day)
{
	if (!mentor_pairing_started(p))
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_session_outside_pairing"),
				 errmsg("pairing %lld is %s: it has no active dates for a session on %s", (long long) pairing_id, p->status, mentor_date_str(day)),
				 errhint("Log sessions of accepted (active) pairings only.")));
	if (!mentor_pairing_covers(p, day))
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_session_outside_pairing"),
				 errmsg("a session on %s lies outside pairing %lld, active from %s through %s", mentor_date_str(day), (long long) pairing_id, mentor_date_str(p->started_on), p->has_ended ? mentor_date_str(p->ended_on) : "open end"),
				 errhint("Date the session within the pairing's active dates.")));
}

static void
check_length(Relation rel, int64 pairing_id, const MentorProgram *prog,
			 int32 minutes)
{
	if (minutes < 1 ||
		(prog->max_session_minutes.set && minutes > prog->max_session_minutes.value))
	{
		if (!prog->max_session_minutes.set)
			ereport(ERROR,
					(mentor_rule_error(rel, "mentor_session_length"),
					 errmsg("a session of pairing %lld cannot last %d minutes",
							(long long) pairing_id, minutes),
					 errdetail("A session lasts at least 1 minute."),
					 errhint("Record the real length in minutes.")));
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_session_length"),
				 errmsg("a session of pairing %lld cannot last %d minutes",
						(long long) pairing_id, minutes),
				 errdetail("Programme \"%s\" allows 1 to %d minutes.",
						   prog->code, prog->max_session_minutes.value),
				 errhint("Split it, or record at most %d minutes.",
						 prog->max_session_minutes.value)));
	}
}

static TimestampTz
day_start(DateADT day)
{
	return DatumGetTimestampTz(DirectFunctionCall1(date_timestamptz,
												   DateADTGetDatum(day)));
}

typedef struct SpacingSearch
{
	int64		session_id;		/* the session being checked */
	int			found;			/* conflicting sessions seen */
	DateADT		first;			/* the earliest and latest of their days */
	DateADT		last;
} SpacingSearch;

static DateADT
session_day(TimestampTz at)
{
	return DatumGetDateADT(DirectFunctionCall1(timestamptz_date,
											   TimestampTzGetDatum(at)));
}

/* other non-cancelled sessions in the window: the first and last day */
static bool
visit_near(TupleTableSlot *slot, void *arg)
{
	SpacingSearch *search = (SpacingSearch *) arg;
	bool		isnull;
	DateADT		day;

	if (DatumGetInt64(mentor_slot_attr(slot, "session_id", &isnull)) == search->session_id ||
		mentor_slot_text_eq(slot, "status", "cancelled"))
		return true;
	day = session_day(DatumGetTimestampTz(mentor_slot_attr(slot, "held_at", &isnull)));
	if (search->found++ == 0)
		search->first = day;
	search->last = day;
	return true;
}

/* the sessions of the pair other than this one on days (day - min, day + min) */
static void
sessions_near(int64 pairing_id, int64 session_id, DateADT day, int32 min_days,
			  SpacingSearch *search)
{
	ScanKeyData keys[3];

	memset(search, 0, sizeof(SpacingSearch));
	search->session_id = session_id;
	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_INT8EQ,
				Int64GetDatum(pairing_id));
	ScanKeyInit(&keys[1], 2, BTGreaterEqualStrategyNumber, F_TIMESTAMPTZ_GE,
				TimestampTzGetDatum(day_start(day - min_days + 1)));
	ScanKeyInit(&keys[2], 2, BTLessStrategyNumber, F_TIMESTAMPTZ_LT,
				TimestampTzGetDatum(day_start(day + min_days)));
	mentor_index_scan(&idx_session_pairing_idx, keys, 3, visit_near, search);
}

/*
 * The nearest day from start, stepping in direction (+1 or -1), that keeps
 * min_days from every other session and lies within the pairing's dates:
 * each conflict moves the candidate past it, so a hint names only a day
 * the rule would accept.  False when there is none.
 */
static bool
free_day(int64 pairing_id, int64 session_id, const MentorPairingRow *p,
		 int32 min_days, DateADT start, int direction, DateADT *day)
{
	SpacingSearch near;
	DateADT		candidate = start;

	for (;;)
	{
		CHECK_FOR_INTERRUPTS();
		if (candidate < p->started_on || (p->has_ended && candidate > p->ended_on))
			return false;
		sessions_near(pairing_id, session_id, candidate, min_days, &near);
		if (near.found == 0)
			break;
		candidate = direction > 0 ? near.last + min_days : near.first - min_days;
	}
	*day = candidate;
	return true;
}

static void
check_spacing(Relation rel, int64 pairing_id, int64 session_id,
			  const MentorPairingRow *p, const MentorProgram *prog, DateADT day)
{
	int32		min_days;
	SpacingSearch near;
	DateADT		other_day;
	DateADT		before = 0;
	DateADT		after = 0;
	bool		has_before;
	bool		has_after;

	if (!prog->min_days_between.set || prog->min_days_between.value <= 0)
		return;
	min_days = prog->min_days_between.value;

	sessions_near(pairing_id, session_id, day, min_days, &near);
	if (near.found == 0)
		return;
	other_day = abs(near.first - day) <= abs(near.last - day) ? near.first : near.last;
	has_before = free_day(pairing_id, session_id, p, min_days,
						  near.first - min_days, -1, &before);
	has_after = free_day(pairing_id, session_id, p, min_days,
						 near.last + min_days, +1, &after);
	ereport(ERROR,
			(mentor_rule_error(rel, "mentor_session_spacing"),
			 errmsg("sessions of pairing %lld on %s and %s are too close",
					(long long) pairing_id,
					mentor_date_str(Min(day, other_day)),
					mentor_date_str(Max(day, other_day))),
			 errdetail_plural("They are %d day apart; programme \"%s\" requires at least %d.",
							  "They are %d days apart; programme \"%s\" requires at least %d.",
							  abs(day - other_day),
							  abs(day - other_day), prog->code, min_days),
			 has_before && has_after ?
			 errhint("Hold this session on or before %s, or on or after %s, or cancel the other one.",
					 mentor_date_str(before), mentor_date_str(after)) :
			 has_before ?
			 errhint("Hold this session on or before %s, or cancel the other one.",
					 mentor_date_str(before)) :
			 has_after ?
			 errhint("Hold this session on or after %s, or cancel the other one.",
					 mentor_date_str(after)) :
			 errhint("Cancel the other session: no day of the pairing keeps the spacing.")));
}

/* the first non-cancelled session visited: its day */
static bool
visit_not_cancelled(TupleTableSlot *slot, void *arg)
{
	SpacingSearch *search = (SpacingSearch *) arg;
	bool		isnull;

	if (mentor_slot_text_eq(slot, "status", "cancelled"))
		return true;
	search->found = 1;
	search->first = session_day(DatumGetTimestampTz(mentor_slot_attr(slot, "held_at", &isnull)));
	return false;
}

/*
 * A non-cancelled session of the pairing on a day before from, or after
 * to when has_to: false when there is none, else its day in *day.  Rule
 * mentor_session_outside_pairing from the pairing's side: a pairing's
 * dates cannot move past its sessions.
 */
bool
mentor_session_outside(int64 pairing_id, DateADT from, bool has_to, DateADT to,
					   DateADT *day)
{
	ScanKeyData keys[2];
	SpacingSearch search;

	memset(&search, 0, sizeof(search));
	mentor_key_id(&keys[0], pairing_id);
	ScanKeyInit(&keys[1], 2, BTLessStrategyNumber, F_TIMESTAMPTZ_LT,
				TimestampTzGetDatum(day_start(from)));
	mentor_index_scan(&idx_session_pairing_idx, keys, 2, visit_not_cancelled, &search);
	if (search.found == 0 && has_to)
	{
		mentor_key_id(&keys[0], pairing_id);
		ScanKeyInit(&keys[1], 2, BTGreaterEqualStrategyNumber, F_TIMESTAMPTZ_GE,
					TimestampTzGetDatum(day_start(to + 1)));
		mentor_index_scan(&idx_session_pairing_idx, keys, 2, visit_not_cancelled, &search);
	}
	*day = search.first;
	return search.found != 0;
}

static bool
visit_held(TupleTableSlot *slot, void *arg)
{
	if (mentor_slot_text_eq(slot, "status", "held"))
		(*(int64 *) arg)++;
	return true;
}

/*
 * How many sessions of a pairing were held (rule mentor_min_sessions).
 */
int64
mentor_held_sessions(int64 pairing_id)
{
	ScanKeyData key;
	int64		held = 0;

	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ,
				Int64GetDatum(pairing_id));
	mentor_index_scan(&idx_session_pairing_idx, &key, 1, visit_held, &held);
	return held;
}

/*
 * BEFORE INSERT OR UPDATE OF pairing_id, held_at, minutes, status
 * ON mentor.session
 */
Datum
mentor_session_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	tupdesc;
	HeapTuple	tuple;
	bool		isnull;
	int64		pairing_id;
	int64		session_id;
	Datum		held_at;
	int32		minutes;
	char	   *status;
	DateADT		day;
	MentorPairingRow pairing;
	MentorProgram prog;

	tuple = mentor_before_row(fcinfo, "session_rules");
	rel = trigdata->tg_relation;
	tupdesc = RelationGetDescr(rel);

	/* NOT NULL, checked after this trigger, reports a missing value */
	status = mentor_attr_text(tuple, tupdesc, "status");
	if (status == NULL || strcmp(status, "cancelled") == 0)
		return PointerGetDatum(tuple);
	if (!mentor_attr_id(tuple, tupdesc, "pairing_id", &pairing_id))
		return PointerGetDatum(tuple);
	mentor_attr_id(tuple, tupdesc, "session_id", &session_id);
	held_at = mentor_attr(tuple, tupdesc, "held_at", &isnull);
	if (isnull)
		return PointerGetDatum(tuple);
	minutes = DatumGetInt32(mentor_attr(tuple, tupdesc, "minutes", &isnull));
	if (isnull)
		return PointerGetDatum(tuple);
	if (TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(held_at)))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("a session cannot be held at an infinite time")));
	day = DatumGetDateADT(DirectFunctionCall1(timestamptz_date, held_at));

	mentor_lock_pairing(rel, pairing_id, &pairing);
	mentor_program(pairing.program, &prog);
	check_inside(rel, pairing_id, &pairing, day);
	check_length(rel, pairing_id, &prog, minutes);
	check_spacing(rel, pairing_id, session_id, &pairing, &prog, day);

	return PointerGetDatum(tuple);
}
