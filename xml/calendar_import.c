/*-------------------------------------------------------------------------
 *
 * calendar_import.c
 *	  mentor.import_calendar(): a year of a production calendar in the
 *	  xmlcalendar.ru format into mentor.calendar_day, all or nothing.
 *
 * The document is read and validated by calendar_core.c inside
 * PostgreSQL's libxml2 set-up (xml_import.c), with the same safety as the
 * agreement forms.  Loading a year replaces that year's rows of the
 * calendar: days the document lists are inserted or updated (or left
 * alone when equal, so the audit log records only real changes), days it no
 * longer lists are deleted.
 *
 * Concurrency: an import first updates its calendar's row, so two imports
 * of one calendar serialise on it (at REPEATABLE READ the second fails with
 * a serialization error instead of working from a stale view of the year).
 * The import needs UPDATE on mentor.calendar and INSERT, UPDATE, DELETE on
 * mentor.calendar_day; the statements run as the caller.
 *
 * xml/calendar_import.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "mentor.h"
#include "calendar_core.h"
#include "xml_import.h"

PG_FUNCTION_INFO_V1(mentor_import_calendar_text);
PG_FUNCTION_INFO_V1(mentor_import_calendar_bytea);

static const MentorXmlKind calendar_kind = {
	"calendar", "mentor_calendar.xsd",
	"Send a <calendar year=\"...\"> document in the xmlcalendar.ru format.",
	"The calendar format needs no DTD, entities or external references; remove the DOCTYPE."
};

static xmlSchemaPtr calendar_schema = NULL;

static MentorQuery lock_calendar = {
	"UPDATE mentor.calendar SET title = title WHERE code" EQ "$1",
	1, {TEXTOID}, false, NULL
};

static MentorQuery read_year = {
	"SELECT day, kind, name, moved_from FROM mentor.calendar_day"
	" WHERE calendar" EQ "$1 AND day OPERATOR(pg_catalog.>=) $2"
	" AND day OPERATOR(pg_catalog.<=) $3",
	3, {TEXTOID, DATEOID, DATEOID}, false, NULL
};

static MentorQuery delete_days = {
	"DELETE FROM mentor.calendar_day WHERE calendar" EQ "$1 AND day" EQ "ANY ($2)",
	2, {TEXTOID, DATEARRAYOID}, false, NULL
};

#define DAY_ROWS \
	" FROM ROWS FROM (pg_catalog.unnest($2::date[]), pg_catalog.unnest($3::text[])," \
	" pg_catalog.unnest($4::text[]), pg_catalog.unnest($5::date[]))" \
	" AS u(day, kind, name, moved_from)"
#define DAY_ROW_ARGS \
	5, {TEXTOID, DATEARRAYOID, TEXTARRAYOID, TEXTARRAYOID, DATEARRAYOID}, false

static MentorQuery insert_days = {
	"INSERT INTO mentor.calendar_day (calendar, day, kind, name, moved_from)"
	" SELECT $1, u.day, u.kind, u.name, u.moved_from" DAY_ROWS,
	DAY_ROW_ARGS, NULL
};

static MentorQuery update_days = {
	"UPDATE mentor.calendar_day c SET kind = u.kind, name = u.name,"
	" moved_from = u.moved_from" DAY_ROWS
	" WHERE c.calendar" EQ "$1 AND c.day" EQ "u.day",
	DAY_ROW_ARGS, NULL
};

/* one day of the year, as the table has it and as the document says */
typedef struct YearDay
{
	bool		in_table;
	bool		in_document;
	const char *kind;			/* the document's, or the table's if deleted */
	char	   *name;			/* server encoding; NULL for none */
	bool		has_moved_from;
	DateADT		moved_from;
	const char *action;
} YearDay;

/* the batch of one statement: a column of arrays */
typedef struct DayBatch
{
	int			n;
	Datum		day[MENTOR_CALENDAR_MAX_DAYS];
	Datum		kind[MENTOR_CALENDAR_MAX_DAYS];
	Datum		name[MENTOR_CALENDAR_MAX_DAYS];
	bool		name_null[MENTOR_CALENDAR_MAX_DAYS];
	Datum		moved_from[MENTOR_CALENDAR_MAX_DAYS];
	bool		moved_null[MENTOR_CALENDAR_MAX_DAYS];
} DayBatch;

typedef struct ParseArgs
{
	const char *data;
	size_t		len;
	const char *encoding;
	MentorCalendarDocument *doc;
} ParseArgs;

static const char *const kind_names[] = {NULL, "day_off", "short", "working"};

static void
parse_calendar(void *arg)
{
	ParseArgs  *a = (ParseArgs *) arg;

	mentor_parse_calendar(a->data, a->len, a->encoding,
						  mentor_xml_import_schema(&calendar_kind, &calendar_schema),
						  mentor_xml_cancel_requested, a->doc);
}

static DateADT
year_date(int year, int month, int day)
{
	return date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
}

/* a document that cannot be loaded: nothing is written */
static void
refuse_document(MentorCalendarDocument *doc)
{
	MentorXmlOutcome outcome = doc->outcome;
	int			nproblems = doc->nproblems;
	int			line = doc->problem_line;
	char	   *problem = pstrdup(doc->problem ? doc->problem : "");
	size_t		plen = strlen(problem);

	/* libxml2's messages end in a period; the detail adds its own */
	if (plen > 0 && problem[plen - 1] == '.')
		problem[plen - 1] = '\0';

	outcome.message = pstrdup(outcome.message ? outcome.message : "");
	mentor_free_calendar(doc);
	if (outcome.failure != MENTOR_XML_OK)
		mentor_xml_report_failure(&calendar_kind, &outcome);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_XML_DOCUMENT),
			 errmsg_plural("calendar document has %d problem; nothing was imported",
						   "calendar document has %d problems; nothing was imported",
						   nproblems, nproblems),
			 errdetail("Line %d: %s.", line,
					   pg_any_to_server(problem, strlen(problem), PG_UTF8)),
			 errhint("Correct the document: see mentor_calendar.xsd in the extension directory.")));
}

/* the calendar's rows of the year into days[month][day] */
static void
read_table(const char *calendar, int year, YearDay days[13][32])
{
	Datum		args[3];
	uint64		n;
	uint64		i;

	args[0] = CStringGetTextDatum(calendar);
	args[1] = DateADTGetDatum(year_date(year, 1, 1));
	args[2] = DateADTGetDatum(year_date(year, 12, 31));
	n = mentor_query_run(&read_year, args, NULL, 0);
	for (i = 0; i < n; i++)
	{
		bool		isnull;
		int			y,
					m,
					d;
		YearDay    *yd;
		char	   *name;

		j2date(DatumGetDateADT(mentor_spi_value(i, 1, &isnull)) + POSTGRES_EPOCH_JDATE,
			   &y, &m, &d);
		yd = &days[m][d];
		yd->in_table = true;
		yd->kind = pstrdup(mentor_spi_text(i, 2));
		name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3);
		yd->name = name ? pstrdup(name) : NULL;
		yd->moved_from = DatumGetDateADT(mentor_spi_value(i, 4, &isnull));
		yd->has_moved_from = !isnull;
	}
}

static bool
same_name(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
batch_add(DayBatch *b, DateADT day, const char *kind, const char *name,
		  bool has_moved_from, DateADT moved_from)
{
	b->day[b->n] = DateADTGetDatum(day);
	b->kind[b->n] = CStringGetTextDatum(kind);
	b->name[b->n] = name ? CStringGetTextDatum(name) : (Datum) 0;
	b->name_null[b->n] = name == NULL;
	b->moved_from[b->n] = DateADTGetDatum(moved_from);
	b->moved_null[b->n] = !has_moved_from;
	b->n++;
}

static void
batch_write(DayBatch *b, MentorQuery *query, const char *calendar)
{
	Datum		args[5];

	if (b->n == 0)
		return;
	args[0] = CStringGetTextDatum(calendar);
	args[1] = mentor_query_array(b->day, NULL, b->n, DATEOID);
	args[2] = mentor_query_array(b->kind, NULL, b->n, TEXTOID);
	args[3] = mentor_query_array(b->name, b->name_null, b->n, TEXTOID);
	args[4] = mentor_query_array(b->moved_from, b->moved_null, b->n, DATEOID);
	/* delete_days reads only $1 and $2 */
	mentor_query_run(query, args, NULL, 0);
}

/* the document's days over the table's: what each day's action is */
static void
judge_days(MentorCalendarDocument *doc, YearDay days[13][32],
		   DayBatch *inserts, DayBatch *updates, DayBatch *deletes)
{
	int			i;
	int			m;
	int			d;

	for (i = 0; i < doc->ndays; i++)
	{
		MentorCalendarDay *cd = &doc->days[i];
		YearDay    *yd = &days[cd->month][cd->day];
		const char *kind = kind_names[cd->kind];
		char	   *name = cd->name ? pg_any_to_server(cd->name, strlen(cd->name), PG_UTF8) : NULL;
		bool		has_moved = cd->from_month != 0;
		DateADT		moved = has_moved ? year_date(doc->year, cd->from_month, cd->from_day) : 0;
		DateADT		day = year_date(doc->year, cd->month, cd->day);

		CHECK_FOR_INTERRUPTS();
		yd->in_document = true;
		if (!yd->in_table)
		{
			yd->action = "inserted";
			batch_add(inserts, day, kind, name, has_moved, moved);
		}
		else if (strcmp(yd->kind, kind) == 0 && same_name(yd->name, name) &&
				 yd->has_moved_from == has_moved && (!has_moved || yd->moved_from == moved))
			yd->action = "unchanged";
		else
		{
			yd->action = "updated";
			batch_add(updates, day, kind, name, has_moved, moved);
		}
		yd->kind = kind;
	}
	for (m = 1; m <= 12; m++)
		for (d = 1; d <= 31; d++)
			if (days[m][d].in_table && !days[m][d].in_document)
			{
				days[m][d].action = "deleted";
				batch_add(deletes, year_date(doc->year, m, d), days[m][d].kind, NULL, false, 0);
			}
}

static void
load_year(FunctionCallInfo fcinfo, MentorCalendarDocument *doc, const char *calendar)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	YearDay    (*days)[32] = palloc0(sizeof(YearDay) * 13 * 32);
	DayBatch   *inserts = palloc0(sizeof(DayBatch));
	DayBatch   *updates = palloc0(sizeof(DayBatch));
	DayBatch   *deletes = palloc0(sizeof(DayBatch));
	Datum		calendar_arg = CStringGetTextDatum(calendar);
	int			m;
	int			d;

	if (mentor_query_run(&lock_calendar, &calendar_arg, NULL, 0) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("calendar \"%s\" does not exist", calendar),
				 errhint("Create it first: INSERT INTO mentor.calendar (code, title) VALUES (...).")));
	read_table(calendar, doc->year, days);
	judge_days(doc, days, inserts, updates, deletes);
	batch_write(deletes, &delete_days, calendar);
	batch_write(updates, &update_days, calendar);
	batch_write(inserts, &insert_days, calendar);

	for (m = 1; m <= 12; m++)
		for (d = 1; d <= 31; d++)
		{
			Datum		values[3];
			bool		nulls[3] = {false, false, false};

			if (days[m][d].action == NULL)
				continue;
			values[0] = DateADTGetDatum(year_date(doc->year, m, d));
			values[1] = CStringGetTextDatum(days[m][d].kind);
			values[2] = CStringGetTextDatum(days[m][d].action);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
}

static void
import_document(FunctionCallInfo fcinfo, const char *data, size_t len,
				const char *encoding, const char *calendar)
{
	MentorCalendarDocument doc;
	ParseArgs	args = {data, len, encoding, &doc};

	mentor_xml_check_size(&calendar_kind, len);
	InitMaterializedSRF(fcinfo, 0);

	mentor_xml_guarded(parse_calendar, &args);
	if (doc.outcome.failure != MENTOR_XML_OK || doc.nproblems > 0)
		refuse_document(&doc);

	mentor_spi_connect();
	PG_TRY();
	{
		load_year(fcinfo, &doc, calendar);
	}
	PG_FINALLY();
	{
		mentor_free_calendar(&doc);
	}
	PG_END_TRY();
	mentor_spi_finish();
}

/*
 * SQL: mentor.import_calendar(doc text, calendar text)
 * The text is already characters: its encoding declaration is ignored.
 */
Datum
mentor_import_calendar_text(PG_FUNCTION_ARGS)
{
	text	   *doc = PG_GETARG_TEXT_PP(0);
	char	   *calendar = text_to_cstring(PG_GETARG_TEXT_PP(1));
	const char *data;
	size_t		len;

	mentor_xml_text_document(doc, &data, &len);
	import_document(fcinfo, data, len, "UTF-8", calendar);
	return (Datum) 0;
}

/*
 * SQL: mentor.import_calendar(doc bytea, calendar text)
 * Bytes as the file holds them: the declared encoding or the byte order
 * mark decides.
 */
Datum
mentor_import_calendar_bytea(PG_FUNCTION_ARGS)
{
	bytea	   *doc = PG_GETARG_BYTEA_PP(0);
	char	   *calendar = text_to_cstring(PG_GETARG_TEXT_PP(1));

	import_document(fcinfo, VARDATA_ANY(doc), VARSIZE_ANY_EXHDR(doc), NULL, calendar);
	return (Datum) 0;
}
