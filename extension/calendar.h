/*-------------------------------------------------------------------------
 *
 * calendar.h
 *	  Working days on production calendars (calendar.c).
 *
 * extension/calendar.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_CALENDAR_H
#define MENTOR_CALENDAR_H

#include "mentor.h"

extern DateADT mentor_working_day_after(DateADT from, int32 days,
										const char *calendar);
extern char *mentor_site_calendar(const char *site);

#endif							/* MENTOR_CALENDAR_H */
