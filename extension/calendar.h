/*-------------------------------------------------------------------------
 *
 * calendar.h
 *	  Working days on the company calendar (calendar.c).
 *
 * extension/calendar.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_CALENDAR_H
#define MENTOR_CALENDAR_H

#include "mentor.h"

extern DateADT mentor_working_day_after(DateADT from, int32 days);

#endif							/* MENTOR_CALENDAR_H */
