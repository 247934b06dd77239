/*-------------------------------------------------------------------------
 *
 * certificate.c
 *	  Mentor certificates: rule mentor_course_hours, the validity period,
 *	  the validity test shared by mentor.certificate_valid() and the rules,
 *	  and the certificate document that an export signs (signing.c).
 *
 * extension/certificate.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "mentor.h"
#include "certificate.h"
#include "xml_writer.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_certificate_employee_idx = MENTOR_INDEX("certificate", "certificate_employee_idx");	/* certificate (employee_id, valid_until) */
static MentorIndex idx_certificate_pkey = MENTOR_INDEX("certificate", "certificate_pkey");	/* certificate (certificate_id) */
static MentorIndex idx_employee_pkey = MENTOR_INDEX("employee", "employee_pkey");	/* employee (employee_id) */
static MentorIndex idx_mentor_pkey = MENTOR_INDEX("mentor", "mentor_pkey");	/* mentor (employee_id) */

PG_FUNCTION_INFO_V1(mentor_certificate_rules);
PG_FUNCTION_INFO_V1(mentor_certificate_valid);
PG_FUNCTION_INFO_V1(mentor_certificate_document);

typedef struct CertificateSearch
{
	DateADT		day;
	bool		has_except;
	int64		except;			/* a certificate not to count */
	bool		found;
} CertificateSearch;

/* visits certificates not expired on the day; stops at one that covers it */
static bool
certificate_covers(TupleTableSlot *slot, void *arg)
{
	CertificateSearch *search = (CertificateSearch *) arg;
	bool		isnull;
	Datum		revoked;

	if (search->has_except &&
		DatumGetInt64(mentor_slot_attr(slot, "certificate_id", &isnull)) == search->except)
		return true;
	if (DatumGetDateADT(mentor_slot_attr(slot, "issued_on", &isnull)) > search->day)
		return true;			/* not yet issued then */
	revoked = mentor_slot_attr(slot, "revoked_on", &isnull);
	if (!isnull && DatumGetDateADT(revoked) <= search->day)
		return true;			/* revoked by then */
	search->found = true;
	return false;
}

/*
 * True when the employee holds a certificate issued on or before day, not
 * past its last valid day and not revoked by then (leaving out certificate
 * except when has_except).  The one definition of validity:
 * mentor.certificate_valid(), rule mentor_certificate and the checks of
 * certificate changes (reliance.c) use it.
 */
bool
mentor_valid_certificate(int64 employee_id, DateADT day, bool has_except,
						 int64 except)
{
	ScanKeyData keys[2];
	CertificateSearch search = {day, has_except, except, false};

	mentor_key_id(&keys[0], employee_id);
	ScanKeyInit(&keys[1], 2, BTGreaterEqualStrategyNumber, F_DATE_GE,
				DateADTGetDatum(day));
	mentor_index_scan(&idx_certificate_employee_idx, keys, 2, certificate_covers, &search);
	return search.found;
}

bool
mentor_has_valid_certificate(int64 employee_id, DateADT day)
{
	return mentor_valid_certificate(employee_id, day, false, 0);
}

/*
 * The last valid day of a certificate issued on issued_on:
 * issued_on + N years - 1 day, as date + interval computes it.
 */
static DateADT
certificate_last_day(DateADT issued_on)
{
	Interval	span;
	Timestamp	end;

	memset(&span, 0, sizeof(span));
	span.month = mentor_certificate_years * MONTHS_PER_YEAR;
	end = DatumGetTimestamp(DirectFunctionCall2(date_pl_interval,
												DateADTGetDatum(issued_on),
												IntervalPGetDatum(&span)));
	return DatumGetDateADT(DirectFunctionCall1(timestamp_date,
											   TimestampGetDatum(end))) - 1;
}

/*
 * BEFORE INSERT OR UPDATE on mentor.certificate
 */
Datum
mentor_certificate_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	tupdesc;
	HeapTuple	tuple;
	bool		isnull;
	Datum		hours;
	bool		passed;
	DateADT		issued_on;
	int			col;
	Datum		value;
	bool		null = false;

	tuple = mentor_before_row(fcinfo, "certificate_rules");
	rel = trigdata->tg_relation;
	tupdesc = RelationGetDescr(rel);

	hours = mentor_attr(tuple, tupdesc, "course_hours", &isnull);
	if (!isnull &&
		DatumGetBool(DirectFunctionCall2(numeric_lt, hours,
										 DirectFunctionCall1(float8_numeric,
															 Float8GetDatum(mentor_course_hours)))))
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_course_hours"),
				 errmsg("a certificate needs a course of at least %g hours, not %s", mentor_course_hours, DatumGetCString(DirectFunctionCall1(numeric_out, hours))),
				 errdetail("Setting mentor.course_hours is %g.", mentor_course_hours),
				 errhint("Record the certificate after the full basic course.")));

	passed = DatumGetBool(mentor_attr(tuple, tupdesc, "test_passed", &isnull));
	if (!isnull && !passed)
		ereport(ERROR,
				(mentor_rule_error(rel, "mentor_course_hours"),
				 errmsg("a certificate needs a passed final test"),
				 errdetail("The final test of the basic course was not passed."),
				 errhint("Record the certificate after the test is retaken and passed.")));

	issued_on = DatumGetDateADT(mentor_attr(tuple, tupdesc, "issued_on", &isnull));
	if (isnull)
		return PointerGetDatum(tuple);	/* NOT NULL reports it */
	if (DATE_NOT_FINITE(issued_on))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("a certificate cannot be issued on an infinite date")));

	/* valid_until is always derived, whatever the writer put there */
	col = mentor_attnum(tupdesc, "valid_until");
	value = DateADTGetDatum(certificate_last_day(issued_on));
	tuple = heap_modify_tuple_by_cols(tuple, tupdesc, 1, &col, &value, &null);
	return PointerGetDatum(tuple);
}

/*
 * SQL: mentor.certificate_valid(employee_id bigint, on_date date) returns boolean
 */
Datum
mentor_certificate_valid(PG_FUNCTION_ARGS)
{
	int64		employee_id = PG_GETARG_INT64(0);
	DateADT		day = PG_GETARG_DATEADT(1);
	volatile bool valid = false;

	mentor_reads_begin_statement();
	PG_TRY();
	{
		valid = mentor_has_valid_certificate(employee_id, day);
	}
	PG_FINALLY();
	{
		mentor_reads_end();
	}
	PG_END_TRY();
	PG_RETURN_BOOL(valid);
}

/* what a certificate document says (read_certificate) */
typedef struct CertificateRow
{
	char	   *serial;
	int64		employee_id;
	DateADT		issued_on;
	DateADT		valid_until;
	bool		revoked;
	DateADT		revoked_on;
	char	   *revoke_reason;
	char	   *personnel_no;
	char	   *full_name;
	char	   *course_hours;
	char	   *tier;
} CertificateRow;

/* a text column, "" for NULL: documents print empty elements */
static char *
slot_text(TupleTableSlot *slot, const char *name)
{
	char	   *s = mentor_slot_text(slot, name);

	return s ? s : "";
}

static bool
visit_certificate(TupleTableSlot *slot, void *arg)
{
	CertificateRow *c = (CertificateRow *) arg;
	bool		isnull;

	c->serial = slot_text(slot, "serial");
	c->employee_id = DatumGetInt64(mentor_slot_attr(slot, "employee_id", &isnull));
	c->issued_on = DatumGetDateADT(mentor_slot_attr(slot, "issued_on", &isnull));
	c->valid_until = DatumGetDateADT(mentor_slot_attr(slot, "valid_until", &isnull));
	c->revoked = mentor_slot_date(slot, "revoked_on", &c->revoked_on);
	c->revoke_reason = slot_text(slot, "revoke_reason");
	c->course_hours = DatumGetCString(DirectFunctionCall1(numeric_out,
														  mentor_slot_attr(slot, "course_hours", &isnull)));
	return false;
}

static bool
visit_holder(TupleTableSlot *slot, void *arg)
{
	CertificateRow *c = (CertificateRow *) arg;

	c->personnel_no = slot_text(slot, "personnel_no");
	c->full_name = slot_text(slot, "full_name");
	return false;
}

static bool
visit_tier(TupleTableSlot *slot, void *arg)
{
	((CertificateRow *) arg)->tier = slot_text(slot, "tier");
	return false;
}

/*
 * The certificate, its holder and the holder's tier, read through their
 * primary keys as the statement's snapshot sees them.
 */
static void
read_certificate(int64 certificate_id, CertificateRow *c)
{
	if (!mentor_get_row(&idx_certificate_pkey, certificate_id, visit_certificate, c))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("certificate %lld does not exist", (long long) certificate_id)));
	c->personnel_no = "";
	c->full_name = "";
	mentor_get_row(&idx_employee_pkey, c->employee_id, visit_holder, c);
	c->tier = "mentor";
	mentor_get_row(&idx_mentor_pkey, c->employee_id, visit_tier, c);
}

/* the document's values, in UTF-8 */
typedef struct CertificateText
{
	const char *serial;
	const char *personnel_no;
	const char *full_name;
	const char *course_hours;
	const char *issued_on;
	const char *valid_until;
	const char *tier;
	const char *issuer;
} CertificateText;

static int
write_certificate(xmlTextWriterPtr w, const void *arg)
{
	const CertificateText *t = arg;

	if (xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
		xmlTextWriterStartElementNS(w, NULL, BAD_CAST "certificate",
									BAD_CAST "urn:mentor:certificate:1") < 0 ||
		mentor_xml_write_element(w, "serial", t->serial) < 0 ||
		mentor_xml_write_person(w, "mentor", t->personnel_no, t->full_name) < 0 ||
		mentor_xml_write_element(w, "courseHours", t->course_hours) < 0 ||
		mentor_xml_write_element(w, "issuedOn", t->issued_on) < 0 ||
		mentor_xml_write_element(w, "validUntil", t->valid_until) < 0 ||
		mentor_xml_write_element(w, "tier", t->tier) < 0 ||
		mentor_xml_write_element(w, "issuer", t->issuer) < 0 ||
		xmlTextWriterEndDocument(w) < 0)
		return -1;
	return 0;
}

/*
 * The certificate document: the same bytes for the same data, UTF-8
 * whatever the database encoding, written by libxml2 (xml_writer.c).
 * Dates are ISO 8601 (xs:date).
 */
static bytea *
certificate_document(const CertificateRow *c)
{
	CertificateText t;
	bytea	   *document;

	t.serial = mentor_xml_utf8(c->serial);
	t.personnel_no = mentor_xml_utf8(c->personnel_no);
	t.full_name = mentor_xml_utf8(c->full_name);
	t.course_hours = mentor_xml_utf8(c->course_hours);
	t.issued_on = mentor_date_str(c->issued_on);
	t.valid_until = mentor_date_str(c->valid_until);
	t.tier = mentor_xml_utf8(c->tier);
	t.issuer = mentor_xml_utf8(mentor_issuing_organisation_name ?
							   mentor_issuing_organisation_name : "");
	document = mentor_xml_write(write_certificate, &t);
	if (document == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not write the document of certificate %s", c->serial)));
	return document;
}

/*
 * SQL: mentor.certificate_document(certificate_id bigint) returns bytea
 */
Datum
mentor_certificate_document(PG_FUNCTION_ARGS)
{
	CertificateRow c;

	read_certificate(PG_GETARG_INT64(0), &c);
	PG_RETURN_BYTEA_P(certificate_document(&c));
}

/*
 * The document of a certificate that may be exported today: it exists, is
 * not revoked, and today lies between its issue and its last valid day.
 */
bytea *
mentor_exportable_document(int64 certificate_id, char **serial)
{
	CertificateRow c;
	DateADT		today = GetSQLCurrentDate();

	read_certificate(certificate_id, &c);
	*serial = c.serial;
	if (c.revoked && c.revoked_on <= today)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("certificate %s is revoked", c.serial),
				 errdetail("Revoked on %s: %s.", mentor_date_str(c.revoked_on),
						   c.revoke_reason[0] ? c.revoke_reason : "no reason recorded"),
				 errhint("Only a valid certificate can be exported.")));
	if (today < c.issued_on || today > c.valid_until)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("certificate %s is not valid today (%s)", c.serial, mentor_date_str(today)),
				 errdetail("It is valid from %s through %s.", mentor_date_str(c.issued_on),
						   mentor_date_str(c.valid_until)),
				 errhint("Only a valid certificate can be exported; issue a new one after the course.")));
	return certificate_document(&c);
}
