/*-------------------------------------------------------------------------
 *
 * calendar_core.c
 *	  Validate and take apart a production calendar year (xmlcalendar.ru
 *	  format) on libxml2 alone (see calendar_core.h).
 *
 * The document is read by xml_reader.c (no DTD, no network, bounded
 * markup).  A calendar is loaded whole or not at all, so a problem is not
 * kept per day: the first is reported with its line, the others counted.
 * The walk over days is linear, stops at MENTOR_CALENDAR_MAX_DAYS and polls
 * the caller's should_stop; duplicate days are found with a bitmap, holiday
 * ids in a bounded table.  A failed allocation ends the parse as
 * MENTOR_XML_NOMEM with everything freed.
 *
 * xml/calendar_core.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "calendar_core.h"

typedef struct Holiday
{
	long		id;
	char	   *title;
} Holiday;

typedef struct CalendarState
{
	MentorCalendarDocument *out;
	Holiday		holidays[MENTOR_CALENDAR_MAX_HOLIDAYS];
	int			nholidays;
	bool		seen[13][32];	/* [month][day] already in the document */
} CalendarState;

static void
problem(MentorCalendarDocument *out, int line, const char *message)
{
	if (out->nproblems++ > 0)
		return;
	out->problem_line = line;
	out->problem = mentor_xml_message(message);
}

static void
schema_error(void *arg, MentorXmlError error)
{
	if (error->code == XML_ERR_NO_MEMORY)
		mentor_xml_note_out_of_memory();
	problem((MentorCalendarDocument *) arg, error->line, error->message);
}

static xmlNodePtr
child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr	c;

	for (c = parent->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name))
			return c;
	return NULL;
}

static bool
valid_day(int year, int month, int day)
{
	static const int days_in[] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (month < 1 || month > 12 || day < 1)
		return false;
	return day <= days_in[month] + (month == 2 && leap ? 1 : 0);
}

/* "MM.DD" (the schema's pattern) into month and day; false if no such day */
static bool
month_day(const char *s, int year, int *month, int *day)
{
	if (s == NULL || sscanf(s, "%2d.%2d", month, day) != 2)
		return false;
	return valid_day(year, *month, *day);
}

static const char *
holiday_title(CalendarState *st, long id)
{
	int			i;

	for (i = 0; i < st->nholidays; i++)
		if (st->holidays[i].id == id)
			return st->holidays[i].title;
	return NULL;
}

static void
read_holidays(CalendarState *st, xmlNodePtr holidays)
{
	xmlNodePtr	c;

	for (c = holidays ? holidays->children : NULL; c != NULL; c = c->next)
	{
		char	   *id;
		Holiday    *h;
		char		message[120];

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (st->nholidays == MENTOR_CALENDAR_MAX_HOLIDAYS)
		{
			snprintf(message, sizeof(message), "the calendar names more than %d holidays",
					 MENTOR_CALENDAR_MAX_HOLIDAYS);
			mentor_xml_refuse(&st->out->outcome, MENTOR_XML_LIMIT, c->line, message);
			return;
		}
		id = mentor_xml_attribute(c, "id");
		h = &st->holidays[st->nholidays];
		h->id = id ? strtol(id, NULL, 10) : 0;
		free(id);
		if (holiday_title(st, h->id) != NULL)
		{
			snprintf(message, sizeof(message), "holiday id %ld is used twice", h->id);
			problem(st->out, c->line, message);
			continue;
		}
		h->title = mentor_xml_attribute(c, "title");
		st->nholidays++;
	}
}

/* one <day> into *d; false, with why in message, when it cannot be kept */
static bool
take_day(CalendarState *st, xmlNodePtr node, MentorCalendarDay *d,
		 char *message, size_t size)
{
	int			year = st->out->year;
	char	   *v;
	bool		ok;

	/* d and f are ASCII (the schema's pattern), so messages quote them whole */
	v = mentor_xml_attribute(node, "d");
	ok = month_day(v, year, &d->month, &d->day);
	if (!ok)
		snprintf(message, size, "day \"%s\" does not exist in %d", v ? v : "", year);
	free(v);
	if (!ok)
		return false;
	if (st->seen[d->month][d->day])
	{
		snprintf(message, size, "day %02d.%02d is listed twice", d->month, d->day);
		return false;
	}
	st->seen[d->month][d->day] = true;

	v = mentor_xml_attribute(node, "t");
	d->kind = v ? (MentorDayKind) atoi(v) : MENTOR_DAY_OFF;
	free(v);

	v = mentor_xml_attribute(node, "f");
	ok = v == NULL || month_day(v, year, &d->from_month, &d->from_day);
	if (!ok)
		snprintf(message, size, "the day moved from, \"%s\", does not exist in %d", v, year);
	free(v);
	if (!ok)
		return false;

	v = mentor_xml_attribute(node, "h");
	if (v != NULL)
	{
		long		id = strtol(v, NULL, 10);
		const char *title = holiday_title(st, id);

		free(v);
		if (title == NULL)
		{
			snprintf(message, size, "holiday %ld is not among the calendar's holidays", id);
			return false;
		}
		d->name = mentor_xml_strdup(title);
	}
	return true;
}

/* one <day> into out->days, or a problem */
static void
read_day(CalendarState *st, xmlNodePtr node)
{
	MentorCalendarDocument *out = st->out;
	MentorCalendarDay *d = &out->days[out->ndays];
	char		message[160];

	memset(d, 0, sizeof(MentorCalendarDay));
	d->line = node->line;
	if (take_day(st, node, d, message, sizeof(message)))
		out->ndays++;
	else
		problem(out, node->line, message);
}

static void
read_days(CalendarState *st, xmlNodePtr days, MentorXmlStop should_stop)
{
	MentorCalendarDocument *out = st->out;
	xmlNodePtr	c;

	out->days = calloc(MENTOR_CALENDAR_MAX_DAYS, sizeof(MentorCalendarDay));
	if (out->days == NULL)
	{
		mentor_xml_note_out_of_memory();
		return;
	}
	for (c = days ? days->children : NULL; c != NULL && !mentor_xml_out_of_memory(); c = c->next)
	{
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (should_stop != NULL && should_stop())
		{
			out->outcome.failure = MENTOR_XML_INTERRUPTED;
			return;
		}
		/* days with problems are not kept but count toward the bound */
		if (out->ndays + out->nproblems >= MENTOR_CALENDAR_MAX_DAYS)
		{
			char		message[80];

			snprintf(message, sizeof(message), "the calendar lists more than %d days",
					 MENTOR_CALENDAR_MAX_DAYS);
			mentor_xml_refuse(&out->outcome, MENTOR_XML_LIMIT, c->line, message);
			return;
		}
		read_day(st, c);
	}
}

static void
take_apart(CalendarState *st, xmlDocPtr doc, xmlSchemaPtr schema,
		   MentorXmlStop should_stop)
{
	MentorCalendarDocument *out = st->out;
	xmlNodePtr	root = xmlDocGetRootElement(doc);
	char	   *year;

	if (!mentor_xml_validate(doc, schema, should_stop, schema_error, out, &out->outcome) ||
		out->nproblems > 0)
		return;

	year = mentor_xml_attribute(root, "year");
	out->year = year ? atoi(year) : 0;
	free(year);
	read_holidays(st, child(root, "holidays"));
	if (out->outcome.failure == MENTOR_XML_OK)
		read_days(st, child(root, "days"), should_stop);
}

/*
 * Parse data (len bytes) in the given encoding (NULL: as declared, or by
 * byte order mark), validate it against schema and take its days apart
 * into *out, which the caller frees with mentor_free_calendar.  On any
 * failure out holds no days, only the outcome; with problems it holds the
 * first and their count.
 */
void
mentor_parse_calendar(const char *data, size_t len, const char *encoding,
					  xmlSchemaPtr schema, MentorXmlStop should_stop,
					  MentorCalendarDocument *out)
{
	CalendarState *st;
	xmlDocPtr	doc;
	MentorXmlOutcome kept;
	int			i;

	memset(out, 0, sizeof(MentorCalendarDocument));
	doc = mentor_xml_read(data, len, encoding, MENTOR_CALENDAR_MAX_ELEMENTS,
						  &out->outcome);
	if (doc == NULL)
		return;
	st = calloc(1, sizeof(CalendarState));
	if (st == NULL)
		mentor_xml_note_out_of_memory();
	else
	{
		st->out = out;
		take_apart(st, doc, schema, should_stop);
		for (i = 0; i < st->nholidays; i++)
			free(st->holidays[i].title);
		free(st);
	}
	xmlFreeDoc(doc);

	if (mentor_xml_failed(&out->outcome, &kept))
	{
		mentor_free_calendar(out);
		out->outcome = kept;
	}
}

void
mentor_free_calendar(MentorCalendarDocument *doc)
{
	int			i;

	for (i = 0; i < doc->ndays; i++)
		free(doc->days[i].name);
	free(doc->days);
	free(doc->problem);
	free(doc->outcome.message);
	memset(doc, 0, sizeof(MentorCalendarDocument));
}
