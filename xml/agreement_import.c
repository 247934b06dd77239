/*-------------------------------------------------------------------------
 *
 * agreement_import.c
 *	  mentor.import_agreements(): the legal department's agreement forms
 *	  into mentor.agreement, all or nothing, idempotent, with history.
 *
 * The document is parsed and validated by agreement_core.c inside
 * PostgreSQL's own libxml2 set-up (xml_import.c).  The business
 * checks need the database: the mentor must be known, the dates consistent
 * and the bonus sane.
 *
 * xml/agreement_import.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <openssl/evp.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/array.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "mentor.h"
#include "agreement.h"
#include "agreement_core.h"
#include "xml_import.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_agreement_number_key = MENTOR_INDEX("agreement", "agreement_number_key");	/* agreement (number) */
static MentorIndex idx_employee_personnel_no_key = MENTOR_INDEX("employee", "employee_personnel_no_key");	/* employee (personnel_no) */
static MentorIndex idx_mentor_pkey = MENTOR_INDEX("mentor", "mentor_pkey");	/* mentor (employee_id) */

/* the batch of agreements the import writes: one array per column */
#define AGREEMENT_ROWS \
	" FROM ROWS FROM (pg_catalog.unnest($1::text[]), pg_catalog.unnest($2::int8[])," \
	" pg_catalog.unnest($3::date[]), pg_catalog.unnest($4::date[])," \
	" pg_catalog.unnest($5::date[]), pg_catalog.unnest($6::text[])," \
	" pg_catalog.unnest($7::text[]), pg_catalog.unnest($8::text[])," \
	" pg_catalog.unnest($9::text[]), pg_catalog.unnest($10::text[])," \
	" pg_catalog.unnest($11::text[]), pg_catalog.unnest($12::text[])," \
	" pg_catalog.unnest($13::text[]), pg_catalog.unnest($14::text[])," \
	" pg_catalog.unnest($15::text[]), pg_catalog.unnest($16::int8[])," \
	" pg_catalog.unnest($17::text[]))" \
	" AS u(number, employee_id, signed_on, valid_from, valid_to, bonus_kind," \
	" bonus_amount, currency, max_mentees, employer_name, employer_position," \
	" employee_name, document, document_sha256, content_sha256, agreement_id," \
	" replaces)"
#define AGREEMENT_ROW_ARGS \
	17, {TEXTARRAYOID, INT8ARRAYOID, DATEARRAYOID, DATEARRAYOID, DATEARRAYOID, \
		TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, \
		TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, \
		INT8ARRAYOID, TEXTARRAYOID}, false


/*
 * The import writes set-wise: one statement for all new agreements, one
 * for all changed ones, from arrays (one per column) it fills.
 */
static MentorQuery keep_versions = {
	"INSERT INTO mentor.agreement_version (" MENTOR_AGREEMENT_VERSION_COLUMNS ")"
	" SELECT " MENTOR_AGREEMENT_VERSION_COLUMNS
	" FROM mentor.agreement WHERE agreement_id" EQ "ANY ($1)",
	1, {INT8ARRAYOID}, false, NULL
};

static MentorQuery insert_agreements = {
	"INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to, bonus_kind, bonus_amount, currency, max_mentees, employer_name, employer_position, employee_name, document, document_sha256, content_sha256, replaces)"
	" SELECT u.number, u.employee_id, u.signed_on, u.valid_from, u.valid_to,"
	" u.bonus_kind, u.bonus_amount::pg_catalog.numeric, u.currency,"
	" u.max_mentees::pg_catalog.int4, u.employer_name, u.employer_position,"
	" u.employee_name, u.document, u.document_sha256, u.content_sha256, u.replaces"
	AGREEMENT_ROWS,
	AGREEMENT_ROW_ARGS, NULL
};

static MentorQuery update_agreements = {
	"UPDATE mentor.agreement a SET number = u.number, employee_id = u.employee_id,"
	" signed_on = u.signed_on, valid_from = u.valid_from, valid_to = u.valid_to,"
	" bonus_kind = u.bonus_kind, bonus_amount = u.bonus_amount::pg_catalog.numeric,"
	" currency = u.currency, max_mentees = u.max_mentees::pg_catalog.int4,"
	" employer_name = u.employer_name, employer_position = u.employer_position,"
	" employee_name = u.employee_name, document = u.document,"
	" document_sha256 = u.document_sha256, content_sha256 = u.content_sha256,"
	" replaces = u.replaces,"
	" version = a.version OPERATOR(pg_catalog.+) 1, imported_at = pg_catalog.now()"
	AGREEMENT_ROWS
	" WHERE a.agreement_id" EQ "u.agreement_id",
	AGREEMENT_ROW_ARGS, NULL
};


PG_FUNCTION_INFO_V1(mentor_import_agreements_text);
PG_FUNCTION_INFO_V1(mentor_import_agreements_bytea);

static xmlSchemaPtr agreement_schema = NULL;

/* one agreement as the import judges it */
typedef struct ImportItem
{
	MentorAgreementForm *form;
	List	   *problems;		/* of char *, for this agreement */
	int64		employee_id;
	DateADT		signed_on;
	DateADT		valid_from;
	DateADT		valid_to;
	char		content_sha256[65];
	char		document_sha256[65];
	int64		existing_id;	/* 0 when the number is new */
	bool		replaces_now;	/* <replaces> names an agreement still to be cut */
	const char *action;
} ImportItem;

static const MentorXmlKind agreement_kind = {
	"agreement", "mentor_agreement.xsd",
	"Send an <agreements> or <agreement> document in namespace " MENTOR_AGREEMENT_NS ".",
	"The agreement form needs no DTD, entities or external references; remove the DOCTYPE."
};

typedef struct ParseArgs
{
	const char *data;
	size_t		len;
	const char *encoding;
	MentorAgreementDocument *doc;
} ParseArgs;

static void
parse_agreements(void *arg)
{
	ParseArgs  *a = (ParseArgs *) arg;

	mentor_parse_agreements(a->data, a->len, a->encoding,
							mentor_xml_import_schema(&agreement_kind, &agreement_schema),
							mentor_xml_cancel_requested, a->doc);
}

static void
document_failure(MentorAgreementDocument *doc)
{
	MentorXmlOutcome outcome = doc->outcome;

	outcome.message = pstrdup(outcome.message ? outcome.message : "");
	mentor_free_agreements(doc);
	mentor_xml_report_failure(&agreement_kind, &outcome);
}

static void
sha256_hex(const char *data, size_t len, char *hex)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned int i;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not compute SHA-256")));
	for (i = 0; i < mdlen; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	hex[2 * mdlen] = '\0';
}

static void
problem(ImportItem *item, const char *fmt,...) pg_attribute_printf(2, 3);

static void
problem(ImportItem *item, const char *fmt,...)
{
	va_list		args;
	StringInfoData buf;

	initStringInfo(&buf);
	for (;;)
	{
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&buf, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&buf, needed);
	}
	item->problems = lappend(item->problems, buf.data);
}

/* an xs:date with a four-digit year, any time zone dropped */
static bool
form_date(ImportItem *item, const char *field, const char *value, DateADT *out)
{
	char		day[11];
	int			i;

	if (value == NULL || strlen(value) < 10)
	{
		problem(item, "%s is missing", field);
		return false;
	}
	for (i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? value[i] != '-' : !isdigit((unsigned char) value[i]))
		{
			problem(item, "%s %s is not a date between years 1000 and 9999", field, value);
			return false;
		}
	memcpy(day, value, 10);
	day[10] = '\0';
	*out = DatumGetDateADT(DirectFunctionCall1(date_in, CStringGetDatum(day)));
	return true;
}

/* a broken term, as a problem of the agreement */
static void
term_problem(void *arg, char *message)
{
	ImportItem *item = (ImportItem *) arg;

	item->problems = lappend(item->problems, message);
}

/* the rules of the form that the schema cannot say (agreement.c) */
static void
check_terms(ImportItem *item)
{
	MentorAgreementForm *f = item->form;
	int			dates = 0;

	/* every date is read, so that each bad one is reported */
	dates += form_date(item, "signedOn", f->signed_on, &item->signed_on);
	dates += form_date(item, "validFrom", f->valid_from, &item->valid_from);
	dates += form_date(item, "validTo", f->valid_to, &item->valid_to);
	if (dates == 3)
		mentor_agreement_date_terms(item->signed_on, item->valid_from,
									item->valid_to, term_problem, item);
	mentor_agreement_bonus_terms(f->bonus_kind, f->bonus_amount, f->currency,
								 term_problem, item);
}

typedef struct MentorLookup
{
	int64		employee_id;
	char	   *full_name;
	bool		is_mentor;
} MentorLookup;

static bool
visit_employee(TupleTableSlot *slot, void *arg)
{
	MentorLookup *m = (MentorLookup *) arg;
	bool		isnull;

	m->employee_id = DatumGetInt64(mentor_slot_attr(slot, "employee_id", &isnull));
	m->full_name = TextDatumGetCString(mentor_slot_attr(slot, "full_name", &isnull));
	return false;
}

static bool
visit_exists(TupleTableSlot *slot, void *arg)
{
	*(bool *) arg = true;
	return false;
}

typedef struct ExistingAgreement
{
	int64		agreement_id;
	int64		employee_id;
	char	   *content_sha256;
} ExistingAgreement;

static bool
visit_agreement(TupleTableSlot *slot, void *arg)
{
	ExistingAgreement *a = (ExistingAgreement *) arg;
	bool		isnull;
	Datum		d;

	a->agreement_id = DatumGetInt64(mentor_slot_attr(slot, "agreement_id", &isnull));
	a->employee_id = DatumGetInt64(mentor_slot_attr(slot, "employee_id", &isnull));
	d = mentor_slot_attr(slot, "content_sha256", &isnull);
	a->content_sha256 = isnull ? "" : TextDatumGetCString(d);
	return false;
}

/* the mentor, and what the database holds under this number */
static void
check_against_database(ImportItem *item)
{
	MentorAgreementForm *f = item->form;
	MentorLookup mentor = {0, NULL, false};
	ExistingAgreement existing = {0, 0, NULL};

	if (!mentor_get_row_by_text(&idx_employee_personnel_no_key,
								pg_any_to_server(f->personnel_no, strlen(f->personnel_no), PG_UTF8),
								visit_employee, &mentor))
		problem(item, "no employee has personnel number %s", f->personnel_no);
	else
	{
		item->employee_id = mentor.employee_id;
		mentor_get_row(&idx_mentor_pkey, mentor.employee_id, visit_exists, &mentor.is_mentor);
		if (!mentor.is_mentor)
			problem(item, "employee %s (%s) is not an approved mentor",
					mentor.full_name, f->personnel_no);
	}

	if (mentor_get_row_by_text(&idx_agreement_number_key,
							   pg_any_to_server(f->number, strlen(f->number), PG_UTF8),
							   visit_agreement, &existing))
	{
		item->existing_id = existing.agreement_id;
		if (item->employee_id != 0 && existing.employee_id != item->employee_id)
			problem(item, "agreement %s belongs to another mentor (%s)",
					f->number, mentor_person_label(existing.employee_id));
		item->action = strcmp(existing.content_sha256, item->content_sha256) == 0 ?
			"unchanged" : "updated";
	}
	else
		item->action = "inserted";
}

/*
 * One agreement in force per mentor on any day (agreement.c): the agreement
 * <replaces> names exists, is the same mentor's and starts earlier (it will
 * end the day before this one starts); no other agreement of the mentor in
 * the database overlaps this one's days.
 */
static void
check_overlap(ImportItem *item)
{
	MentorAgreementForm *f = item->form;
	MentorAgreementOverlap other;

	if (item->employee_id == 0 || item->problems != NIL)
		return;					/* unknown mentor or bad dates: said already */
	if (f->replaces != NULL)
	{
		char	   *why = mentor_replaced_problem(item->employee_id, item->valid_from,
												  f->replaces, &item->replaces_now);

		if (why != NULL)
			problem(item, "it cannot replace agreement %s: %s", f->replaces, why);
	}
	if (mentor_agreement_overlap(item->employee_id, item->valid_from, item->valid_to,
								 item->existing_id, f->replaces, &other))
		problem(item, "its days overlap agreement %s (%s through %s) of the same mentor: one agreement is in force per mentor; if it replaces %s, add <replaces number=\"%s\"/>",
				other.number, mentor_date_str(other.valid_from),
				mentor_date_str(other.valid_to), other.number, other.number);
}

/* two agreements of one mentor in the document, by start: for qsort */
static int
compare_mentor_start(const void *a, const void *b)
{
	const ImportItem *x = *(ImportItem *const *) a;
	const ImportItem *y = *(ImportItem *const *) b;

	if (x->employee_id != y->employee_id)
		return x->employee_id < y->employee_id ? -1 : 1;
	return x->valid_from < y->valid_from ? -1 : x->valid_from > y->valid_from ? 1 : 0;
}

/*
 * Agreements of one mentor within the document must not overlap either,
 * unless the later one replaces the earlier: sorted by mentor and start, a
 * form overlaps an earlier one when it starts before the latest end so far.
 */
static void
check_document_overlaps(ImportItem *items, int n)
{
	ImportItem **sorted = palloc(sizeof(ImportItem *) * Max(n, 1));
	ImportItem *latest = NULL;	/* of the current mentor, ending last */
	int			nsorted = 0;
	int			i;

	for (i = 0; i < n; i++)
		if (items[i].form->schema_ok && items[i].problems == NIL &&
			items[i].employee_id != 0)
			sorted[nsorted++] = &items[i];
	qsort(sorted, nsorted, sizeof(ImportItem *), compare_mentor_start);
	for (i = 0; i < nsorted; i++)
	{
		ImportItem *cur = sorted[i];

		CHECK_FOR_INTERRUPTS();
		if (latest != NULL && latest->employee_id == cur->employee_id &&
			cur->valid_from <= latest->valid_to &&
			!(cur->form->replaces != NULL &&
			  strcmp(cur->form->replaces, latest->form->number) == 0))
			problem(cur, "its days overlap agreement %s on line %d of this document, of the same mentor: one agreement is in force per mentor",
					latest->form->number, latest->form->line);
		if (latest == NULL || latest->employee_id != cur->employee_id ||
			cur->valid_to > latest->valid_to)
			latest = cur;
	}
	pfree(sorted);
}

/* the fields that make an agreement what it is, for "unchanged" */
static void
content_hash(ImportItem *item)
{
	MentorAgreementForm *f = item->form;
	char	   *canonical = psprintf("%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s",
									 f->number, f->personnel_no ? f->personnel_no : "",
									 f->signed_on ? f->signed_on : "",
									 f->valid_from ? f->valid_from : "",
									 f->valid_to ? f->valid_to : "",
									 f->bonus_kind ? f->bonus_kind : "",
									 f->bonus_amount ? f->bonus_amount : "",
									 f->currency ? f->currency : "",
									 f->max_mentees ? f->max_mentees : "",
									 f->employer_name ? f->employer_name : "",
									 f->employer_position ? f->employer_position : "",
									 f->employee_name ? f->employee_name : "");

	if (f->replaces != NULL)
		canonical = psprintf("%s\x1freplaces %s", canonical, f->replaces);
	sha256_hex(canonical, strlen(canonical), item->content_sha256);
	sha256_hex(f->xml, strlen(f->xml), item->document_sha256);
}

/* the columns of many agreements, for one set-wise statement (above) */
#define BATCH_COLUMNS 17

typedef struct AgreementBatch
{
	int			n;
	int			size;
	Datum	   *values[BATCH_COLUMNS];
	bool	   *nulls[BATCH_COLUMNS];
} AgreementBatch;

static const Oid batch_types[BATCH_COLUMNS] = {
	TEXTOID, INT8OID, DATEOID, DATEOID, DATEOID, TEXTOID, TEXTOID, TEXTOID,
	TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID,
	TEXTOID
};

static void
batch_set(AgreementBatch *b, int col, Datum value, bool isnull)
{
	b->values[col][b->n] = value;
	b->nulls[col][b->n] = isnull;
}

static void
batch_text(AgreementBatch *b, int col, const char *s)
{
	batch_set(b, col, s ? CStringGetTextDatum(pg_any_to_server(s, strlen(s), PG_UTF8)) : (Datum) 0,
			  s == NULL);
}

static void
batch_add(AgreementBatch *b, ImportItem *item)
{
	MentorAgreementForm *f = item->form;
	int			col;

	if (b->n == b->size)
	{
		b->size = b->size ? b->size * 2 : 64;
		for (col = 0; col < BATCH_COLUMNS; col++)
		{
			b->values[col] = b->values[col] ?
				repalloc(b->values[col], b->size * sizeof(Datum)) :
				palloc(b->size * sizeof(Datum));
			b->nulls[col] = b->nulls[col] ?
				repalloc(b->nulls[col], b->size * sizeof(bool)) :
				palloc(b->size * sizeof(bool));
		}
	}
	batch_text(b, 0, f->number);
	batch_set(b, 1, Int64GetDatum(item->employee_id), false);
	batch_set(b, 2, DateADTGetDatum(item->signed_on), false);
	batch_set(b, 3, DateADTGetDatum(item->valid_from), false);
	batch_set(b, 4, DateADTGetDatum(item->valid_to), false);
	batch_text(b, 5, f->bonus_kind);
	batch_text(b, 6, f->bonus_amount);
	batch_text(b, 7, f->currency);
	batch_text(b, 8, f->max_mentees);
	batch_text(b, 9, f->employer_name);
	batch_text(b, 10, f->employer_position);
	batch_text(b, 11, f->employee_name);
	batch_text(b, 12, f->xml);
	batch_text(b, 13, item->document_sha256);
	batch_text(b, 14, item->content_sha256);
	batch_set(b, 15, Int64GetDatum(item->existing_id), false);
	batch_text(b, 16, f->replaces);
	b->n++;
}

/* run one of the set-wise plans over the batch */
static void
batch_write(AgreementBatch *b, MentorQuery *query)
{
	Datum		arrays[BATCH_COLUMNS];
	int			col;

	if (b->n == 0)
		return;
	for (col = 0; col < BATCH_COLUMNS; col++)
		arrays[col] = mentor_query_array(b->values[col], b->nulls[col], b->n,
										batch_types[col]);
	if (query == &update_agreements)
		mentor_query_run(&keep_versions, &arrays[15], NULL, 0);
	mentor_query_run(query, arrays, NULL, 0);
}

typedef struct ImportResult
{
	Tuplestorestate *store;
	TupleDesc	tupdesc;
} ImportResult;

static void
emit(ImportResult *r, const char *number, const char *personnel_no,
	 const char *action, int line, const char *message)
{
	Datum		values[5];
	bool		nulls[5] = {number == NULL, personnel_no == NULL, false,
	line <= 0, message == NULL};

	values[0] = number ? CStringGetTextDatum(pg_any_to_server(number, strlen(number), PG_UTF8)) : 0;
	values[1] = personnel_no ? CStringGetTextDatum(pg_any_to_server(personnel_no, strlen(personnel_no), PG_UTF8)) : 0;
	values[2] = CStringGetTextDatum(action);
	values[3] = Int32GetDatum(line);
	values[4] = message ? CStringGetTextDatum(pg_any_to_server(message, strlen(message), PG_UTF8)) : 0;
	tuplestore_putvalues(r->store, r->tupdesc, values, nulls);
}

/*
 * One line of the error detail: the first MENTOR_XML_MAX_PROBLEMS problems
 * are listed, the rest counted, so a hostile document cannot make the
 * message (and the server log) as large as itself times its problems.
 */
static void
report_line(StringInfo report, int *nreported, int line, const char *number,
			const char *message)
{
	if ((*nreported)++ >= MENTOR_XML_MAX_PROBLEMS)
		return;
	if (report->len > 0)
		appendStringInfoChar(report, '\n');
	if (line > 0)
		appendStringInfo(report, "line %d", line);
	if (number != NULL)
		appendStringInfo(report, ", agreement %s", number);
	appendStringInfo(report, "%s%s", line > 0 || number != NULL ? ": " : "", message);
}

/*
 * Judge every agreement, then either write them all (nothing rejected, not
 * a dry run), raise one error listing every problem (rejected, not a dry
 * run), or return what would happen (dry run).  Connected to SPI.
 */
static void
import_forms(MentorAgreementDocument *doc, bool dry_run, ImportResult *result)
{
	ImportItem *items = palloc0(sizeof(ImportItem) * Max(doc->nforms, 1));
	AgreementBatch inserts;
	AgreementBatch updates;
	StringInfoData report;
	int			nrejected = 0;
	int			nschema = 0;
	int			nreported = 0;
	int			i;

	memset(&inserts, 0, sizeof(inserts));
	memset(&updates, 0, sizeof(updates));
	initStringInfo(&report);

	/* problems found by the schema, reported with their own lines */
	for (i = 0; i < doc->nproblems; i++)
	{
		MentorXmlProblem *p = &doc->problems[i];

		if (strstr(p->message, "appears more than once") == NULL)
			nschema++;
		report_line(&report, &nreported, p->line, p->number, p->message);
		if (dry_run)
			emit(result, p->number, NULL, "rejected", p->line, p->message);
	}
	/* the core keeps the first problems and counts the rest */
	if (doc->nproblems_total > doc->nproblems)
	{
		nschema++;
		nreported += doc->nproblems_total - doc->nproblems;
		if (dry_run)
			emit(result, NULL, NULL, "rejected", 0,
				 psprintf("%d more problem(s) found by the schema are not listed",
						  doc->nproblems_total - doc->nproblems));
	}

	for (i = 0; i < doc->nforms; i++)
	{
		ImportItem *item = &items[i];

		CHECK_FOR_INTERRUPTS();
		item->form = &doc->forms[i];
		if (!item->form->schema_ok)
		{
			nrejected++;
			continue;
		}
		content_hash(item);
		check_terms(item);
		check_against_database(item);
		check_overlap(item);
	}
	check_document_overlaps(items, doc->nforms);
	for (i = 0; i < doc->nforms; i++)
	{
		ImportItem *item = &items[i];
		ListCell   *lc;

		if (!item->form->schema_ok)
			continue;
		foreach(lc, item->problems)
		{
			report_line(&report, &nreported, item->form->line,
						item->form->number, (char *) lfirst(lc));
			if (dry_run)
				emit(result, item->form->number, item->form->personnel_no,
					 "rejected", item->form->line, (char *) lfirst(lc));
		}
		if (item->problems != NIL)
			nrejected++;
	}

	if (nreported > MENTOR_XML_MAX_PROBLEMS)
		appendStringInfo(&report, "\n... and %d more problem(s)",
						 nreported - MENTOR_XML_MAX_PROBLEMS);

	nrejected += doc->nrejected;
	if (!dry_run && report.len > 0 && doc->nforms + doc->nrejected == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_XML_DOCUMENT),
				 errmsg("agreement document does not match the agreement schema; nothing was imported"),
				 errdetail_internal("%s", report.data),
				 errhint("The root must be <agreements> or <agreement> in namespace %s.",
						 MENTOR_AGREEMENT_NS)));
	if (!dry_run && report.len > 0)
		ereport(ERROR,
				(errcode(nschema > 0 ? ERRCODE_INVALID_XML_DOCUMENT :
						 ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg_plural("%d of %d agreement rejected; nothing was imported",
							   "%d of %d agreements rejected; nothing was imported",
							   (unsigned long) (doc->nforms + doc->nrejected),
							   Max(nrejected, 1), doc->nforms + doc->nrejected),
				 errdetail_internal("%s", report.data),
				 errhint("Correct the document, or call mentor.import_agreements(doc, dry_run => true) to list the problems as rows.")));

	for (i = 0; i < doc->nforms; i++)
	{
		ImportItem *item = &items[i];
		const char *action = item->action;

		CHECK_FOR_INTERRUPTS();
		if (!item->form->schema_ok || item->problems != NIL)
			continue;
		if (dry_run && strcmp(action, "unchanged") != 0)
			action = strcmp(action, "inserted") == 0 ? "would insert" : "would update";
		else if (strcmp(action, "inserted") == 0)
			batch_add(&inserts, item);
		else if (strcmp(action, "updated") == 0)
			batch_add(&updates, item);
		emit(result, item->form->number, item->form->personnel_no, action,
			 item->form->line, NULL);
		if (item->replaces_now)
			emit(result, item->form->replaces, item->form->personnel_no,
				 dry_run ? "would replace" : "replaced", item->form->line,
				 psprintf("ends on %s, the day before %s starts",
						  mentor_date_str(item->valid_from - 1), item->form->number));
	}
	/* the agreements replaced are cut by the agreement_replaces trigger */
	batch_write(&updates, &update_agreements);
	batch_write(&inserts, &insert_agreements);
}

static void
import_document(FunctionCallInfo fcinfo, const char *data, size_t len,
				const char *encoding, bool dry_run)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MentorAgreementDocument doc;
	ImportResult result;
	ParseArgs	args = {data, len, encoding, &doc};

	mentor_xml_check_size(&agreement_kind, len);

	InitMaterializedSRF(fcinfo, 0);
	result.store = rsinfo->setResult;
	result.tupdesc = rsinfo->setDesc;

	mentor_xml_guarded(parse_agreements, &args);
	if (doc.outcome.failure != MENTOR_XML_OK)
		document_failure(&doc);

	mentor_spi_connect();
	PG_TRY();
	{
		import_forms(&doc, dry_run, &result);
	}
	PG_FINALLY();
	{
		mentor_free_agreements(&doc);
	}
	PG_END_TRY();
	mentor_spi_finish();
}

/*
 * SQL: mentor.import_agreements(doc text, dry_run boolean)
 * The text is already characters: its encoding declaration is ignored.
 */
Datum
mentor_import_agreements_text(PG_FUNCTION_ARGS)
{
	text	   *doc = PG_GETARG_TEXT_PP(0);
	bool		dry_run = PG_GETARG_BOOL(1);
	const char *data;
	size_t		len;

	mentor_xml_text_document(doc, &data, &len);
	import_document(fcinfo, data, len, "UTF-8", dry_run);
	return (Datum) 0;
}

/*
 * SQL: mentor.import_agreements(doc bytea, dry_run boolean)
 * Bytes as the file holds them: the declared encoding (windows-1251, ...)
 * or the byte order mark (UTF-16) decides.
 */
Datum
mentor_import_agreements_bytea(PG_FUNCTION_ARGS)
{
	bytea	   *doc = PG_GETARG_BYTEA_PP(0);
	bool		dry_run = PG_GETARG_BOOL(1);

	import_document(fcinfo, VARDATA_ANY(doc), VARSIZE_ANY_EXHDR(doc), NULL, dry_run);
	return (Datum) 0;
}
