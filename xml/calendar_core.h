/*-------------------------------------------------------------------------
 *
 * calendar_core.h
 *	  Schema validation and taking apart of a production calendar year in
 *	  the xmlcalendar.ru format, read by xml_reader.c, on libxml2 alone:
 *	  the backend import and the fuzz target share it.  Nothing here knows
 *	  PostgreSQL.
 *
 * xml/calendar_core.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_CALENDAR_CORE_H
#define MENTOR_CALENDAR_CORE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlschemas.h>

#include "xml_reader.h"

/* a year has at most 366 days; no calendar names more holidays than this */
#define MENTOR_CALENDAR_MAX_DAYS		366
#define MENTOR_CALENDAR_MAX_HOLIDAYS	100
/* so a flood of elements is refused before libxml2 builds a tree of it */
#define MENTOR_CALENDAR_MAX_ELEMENTS \
	(3 + MENTOR_CALENDAR_MAX_HOLIDAYS + MENTOR_CALENDAR_MAX_DAYS + 1)

typedef enum MentorDayKind
{
	MENTOR_DAY_OFF = 1,			/* t="1" */
	MENTOR_DAY_SHORT = 2,		/* t="2": a shortened working day */
	MENTOR_DAY_WORKING = 3		/* t="3": a Saturday or Sunday worked */
} MentorDayKind;

/* one <day>; name is malloc'd (the holiday's title), NULL when absent */
typedef struct MentorCalendarDay
{
	int			line;
	int			month;
	int			day;
	MentorDayKind kind;
	char	   *name;
	int			from_month;		/* f: the day a day off was moved from; */
	int			from_day;		/* 0 when absent */
} MentorCalendarDay;

typedef struct MentorCalendarDocument
{
	MentorXmlOutcome outcome;	/* how reading ended: libxml2's words, no content */
	int			year;
	int			ndays;
	MentorCalendarDay *days;	/* in document order */
	int			nproblems;		/* schema or content problems found */
	int			problem_line;	/* the first problem */
	char	   *problem;
} MentorCalendarDocument;

extern void mentor_parse_calendar(const char *data, size_t len,
								  const char *encoding, xmlSchemaPtr schema,
								  MentorXmlStop should_stop,
								  MentorCalendarDocument *out);
extern void mentor_free_calendar(MentorCalendarDocument *doc);

#endif							/* MENTOR_CALENDAR_CORE_H */
