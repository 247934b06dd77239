/*-------------------------------------------------------------------------
 *
 * calendar.c
 *	  Working-day arithmetic on production calendars.
 *
 * A day without a row in mentor.calendar_day is a working day from Monday
 * to Friday and a day off on Saturday and Sunday; a row says otherwise: a
 * day off (a holiday, a day off moved from a weekend), a working day (a
 * Saturday or Sunday worked instead) or a shortened working day.  Russia's
 * government moves days every year and regions and sites keep calendars of
 * their own: each site may name its calendar (mentor.site_calendar), the
 * others use "default", whose days off are the 1.0 mentor.holiday rows.
 * Notice periods (rule mentor_notice_period) count working days from the
 * day after the notice on the calendar of the mentor's site.
 *
 * extension/calendar.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "catalog/pg_collation.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"

#include "mentor.h"
#include "calendar.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_calendar_day_pkey = MENTOR_INDEX("calendar_day", "calendar_day_pkey");	/* calendar_day (calendar, day) */
static MentorIndex idx_site_calendar_pkey = MENTOR_INDEX("site_calendar", "site_calendar_pkey");	/* site_calendar (site) */

PG_FUNCTION_INFO_V1(mentor_add_working_days);

static bool
is_weekend(DateADT d)
{
	int			dow = j2day(d + POSTGRES_EPOCH_JDATE);	/* 0 = Sunday */

	return dow == 0 || dow == 6;
}

/* the calendar's rows in a window of days, in order */
typedef struct CalendarWindow
{
	DateADT    *days;
	bool	   *off;			/* day_off; else working or short */
	int			count;
	int			size;
} CalendarWindow;

static bool
visit_calendar_day(TupleTableSlot *slot, void *arg)
{
	CalendarWindow *w = (CalendarWindow *) arg;
	bool		isnull;

	if (w->count == w->size)
	{
		w->size *= 2;
		w->days = repalloc(w->days, w->size * sizeof(DateADT));
		w->off = repalloc(w->off, w->size * sizeof(bool));
	}
	w->days[w->count] = DatumGetDateADT(mentor_slot_attr(slot, "day", &isnull));
	w->off[w->count++] = mentor_slot_text_eq(slot, "kind", "day_off");
	return true;
}

/* the calendar's rows for days in (after, through], in order */
static void
read_window(const char *calendar, DateADT after, DateADT through, CalendarWindow *w)
{
	ScanKeyData keys[3];

	w->count = 0;
	ScanKeyEntryInitialize(&keys[0], 0, 1, BTEqualStrategyNumber, InvalidOid,
						   DEFAULT_COLLATION_OID, F_TEXTEQ,
						   CStringGetTextDatum(calendar));
	ScanKeyInit(&keys[1], 2, BTGreaterStrategyNumber, F_DATE_GT,
				DateADTGetDatum(after));
	ScanKeyInit(&keys[2], 2, BTLessEqualStrategyNumber, F_DATE_LE,
				DateADTGetDatum(through));
	mentor_index_scan(&idx_calendar_day_pkey, keys, 3, visit_calendar_day, w);
}

/*
 * The days-th working day after from on a calendar.  Its rows are read a
 * window at a time, so a long period with many days off costs a few index
 * scans, not one per day.
 */
DateADT
mentor_working_day_after(DateADT from, int32 days, const char *calendar)
{
	DateADT		day = from;
	int32		left = days;
	CalendarWindow w;

	if (days < 0 || days > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of working days must be between 0 and 100000, not %d",
						days)));

	w.size = 16;
	w.days = palloc(w.size * sizeof(DateADT));
	w.off = palloc(w.size * sizeof(bool));
	while (left > 0)
	{
		/* enough calendar days for the rest, plus slack for days off */
		DateADT		window_end = day + left * 2 + 14;
		int			next = 0;

		CHECK_FOR_INTERRUPTS();
		read_window(calendar, day, window_end, &w);
		while (left > 0 && day < window_end)
		{
			bool		off = is_weekend(day + 1);

			day++;
			while (next < w.count && w.days[next] <= day)
			{
				if (w.days[next] == day)
					off = w.off[next];
				next++;
			}
			if (!off)
				left--;
		}
	}
	pfree(w.days);
	pfree(w.off);
	return day;
}

static bool
visit_site_calendar(TupleTableSlot *slot, void *arg)
{
	*(char **) arg = mentor_slot_text(slot, "calendar");
	return false;
}

/* the calendar of a site: its mentor.site_calendar row, else "default" */
char *
mentor_site_calendar(const char *site)
{
	ScanKeyData key;
	char	   *calendar = NULL;

	if (site == NULL)
		return "default";
	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   DEFAULT_COLLATION_OID, F_TEXTEQ, CStringGetTextDatum(site));
	mentor_index_scan(&idx_site_calendar_pkey, &key, 1, visit_site_calendar, &calendar);
	return calendar ? calendar : "default";
}

/*
 * SQL: mentor.add_working_days(from_day date, days int, calendar text
 * DEFAULT 'default') returns date
 */
Datum
mentor_add_working_days(PG_FUNCTION_ARGS)
{
	DateADT		from = PG_GETARG_DATEADT(0);
	int32		days = PG_GETARG_INT32(1);
	char	   *calendar = PG_NARGS() > 2 ? text_to_cstring(PG_GETARG_TEXT_PP(2)) : "default";
	volatile DateADT result = 0;

	if (DATE_NOT_FINITE(from))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("working days cannot be counted from an infinite date")));
	mentor_reads_begin_statement();
	PG_TRY();
	{
		result = mentor_working_day_after(from, days, calendar);
	}
	PG_FINALLY();
	{
		mentor_reads_end();
	}
	PG_END_TRY();
	PG_RETURN_DATEADT(result);
}
