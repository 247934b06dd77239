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

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/datetime.h"

#include "mentor.h"

PG_FUNCTION_INFO_V1(mentor_add_working_days);

static bool
is_weekend(DateADT d)
{
	int			dow = j2day(d + POSTGRES_EPOCH_JDATE);	/* 0 = Sunday */

	return dow == 0 || dow == 6;
}

/*
 * The days-th working day after from.  Holidays are read a window at a time,
 * so a long period with many holidays costs a few queries, not one per day.
 * Must be called while connected to SPI.
 */
DateADT
mentor_working_day_after(DateADT from, int32 days)
{
	DateADT		day = from;
	int32		left = days;

	if (days < 0 || days > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of working days must be between 0 and 100000, not %d",
						days)));

	while (left > 0)
	{
		/* enough calendar days for the rest, plus slack for holidays */
		DateADT		window_end = day + left * 2 + 14;
		Datum		args[2];
		uint64		nholidays;
		uint64		next = 0;

		args[0] = DateADTGetDatum(day);
		args[1] = DateADTGetDatum(window_end);
		nholidays = mentor_spi_exec(PLAN_HOLIDAYS, args, NULL, 0);

		while (left > 0 && day < window_end)
		{
			bool		holiday = false;

			day++;
			while (next < nholidays)
			{
				bool		isnull;
				DateADT		h = DatumGetDateADT(mentor_spi_value(next, 1, &isnull));

				if (h > day)
					break;
				next++;
				if (h == day)
					holiday = true;
			}
			if (!holiday && !is_weekend(day))
				left--;
		}
	}
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
	DateADT		result;

	if (DATE_NOT_FINITE(from))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("working days cannot be counted from an infinite date")));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	result = mentor_working_day_after(from, days);
	SPI_finish();
	PG_RETURN_DATEADT(result);
}
