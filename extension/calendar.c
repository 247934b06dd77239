/*-------------------------------------------------------------------------
 *
 * calendar.c
 *	  Working-day arithmetic on the company calendar.
 *
 * Saturdays and Sundays are never working days; mentor.holiday holds the
 * rest, because company calendars differ (regional holidays, transferred
 * days off).  Notice periods (rule mentor_notice_period) count working days
 * from the day after the notice.
 *
 * extension/calendar.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"

#include "mentor.h"
#include "calendar.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_holiday_pkey = MENTOR_INDEX("holiday", "holiday_pkey");	/* holiday (day) */

PG_FUNCTION_INFO_V1(mentor_add_working_days);

static bool
is_weekend(DateADT d)
{
	int			dow = j2day(d + POSTGRES_EPOCH_JDATE);	/* 0 = Sunday */

	return dow == 0 || dow == 6;
}

typedef struct HolidayWindow
{
	DateADT    *days;
	int			count;
	int			size;
} HolidayWindow;

static bool
visit_holiday(TupleTableSlot *slot, void *arg)
{
	HolidayWindow *w = (HolidayWindow *) arg;
	bool		isnull;

	if (w->count == w->size)
	{
		w->size *= 2;
		w->days = repalloc(w->days, w->size * sizeof(DateADT));
	}
	w->days[w->count++] = DatumGetDateADT(mentor_slot_attr(slot, "day", &isnull));
	return true;
}

/* the holidays in (after, through], in order */
static void
read_holidays(DateADT after, DateADT through, HolidayWindow *w)
{
	ScanKeyData keys[2];

	w->count = 0;
	ScanKeyInit(&keys[0], 1, BTGreaterStrategyNumber, F_DATE_GT,
				DateADTGetDatum(after));
	ScanKeyInit(&keys[1], 1, BTLessEqualStrategyNumber, F_DATE_LE,
				DateADTGetDatum(through));
	mentor_index_scan(&idx_holiday_pkey, keys, 2, visit_holiday, w);
}

/*
 * The days-th working day after from.  Holidays are read a window at a time,
 * so a long period with many holidays costs a few index scans, not one per
 * day.
 */
DateADT
mentor_working_day_after(DateADT from, int32 days)
{
	DateADT		day = from;
	int32		left = days;
	HolidayWindow w;

	if (days < 0 || days > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of working days must be between 0 and 100000, not %d",
						days)));

	w.size = 16;
	w.days = palloc(w.size * sizeof(DateADT));
	while (left > 0)
	{
		/* enough calendar days for the rest, plus slack for holidays */
		DateADT		window_end = day + left * 2 + 14;
		int			next = 0;

		read_holidays(day, window_end, &w);
		while (left > 0 && day < window_end)
		{
			bool		holiday = false;

			day++;
			while (next < w.count && w.days[next] <= day)
			{
				if (w.days[next] == day)
					holiday = true;
				next++;
			}
			if (!holiday && !is_weekend(day))
				left--;
		}
	}
	pfree(w.days);
	return day;
}

/*
 * SQL: mentor.add_working_days(from_day date, days int) returns date
 */
Datum
mentor_add_working_days(PG_FUNCTION_ARGS)
{
	DateADT		from = PG_GETARG_DATEADT(0);
	int32		days = PG_GETARG_INT32(1);
	volatile DateADT result = 0;

	if (DATE_NOT_FINITE(from))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("working days cannot be counted from an infinite date")));
	mentor_reads_begin_statement();
	PG_TRY();
	{
		result = mentor_working_day_after(from, days);
	}
	PG_FINALLY();
	{
		mentor_reads_end();
	}
	PG_END_TRY();
	PG_RETURN_DATEADT(result);
}
