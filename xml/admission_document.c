/*-------------------------------------------------------------------------
 *
 * admission_document.c
 *	  mentor.admission_document(pairing_id): the admission to independent
 *	  work as an XML document (UTF-8, namespace urn:mentor:admission:1,
 *	  schema xml/mentor_admission.xsd), the bytes export_admission signs.
 *
 * The document is written by libxml2's xmlTextWriter (xml_writer.c).
 * The data is read first through SPI as the caller, with the statement's
 * snapshot (so a caller without SELECT on the tables gets 42501, as in
 * SQL), and converted to UTF-8; then the writer runs.  Dates are ISO 8601
 * whatever the DateStyle: the same data gives the same bytes.
 *
 * xml/admission_document.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

#include "mentor.h"
#include "internship.h"
#include "xml_writer.h"

PG_FUNCTION_INFO_V1(mentor_admission_document);

#define ADMISSION_NS "urn:mentor:admission:1"

/* the admission and the people on it, as text */
static MentorQuery admission_query = {
	"SELECT a.order_no, me.personnel_no, me.full_name, me.site,"
	" mo.personnel_no, mo.full_name, me.profession,"
	" pg_catalog.to_char(p.started_on, 'YYYY-MM-DD'), pr.internship_shifts::text,"
	" (SELECT pg_catalog.count(*) FROM mentor.internship_shift s"
	"   WHERE s.pairing_id" EQ "p.pairing_id AND s.worked_on" LE "a.admitted_on)::text,"
	" (SELECT COALESCE(pg_catalog.sum(s.hours), 0) FROM mentor.internship_shift s"
	"   WHERE s.pairing_id" EQ "p.pairing_id AND s.worked_on" LE "a.admitted_on)::text,"
	" pg_catalog.to_char(c.checked_on, 'YYYY-MM-DD'), c.passed::text,"
	" ex.personnel_no, ex.full_name,"
	" pg_catalog.to_char(a.admitted_on, 'YYYY-MM-DD'), sg.personnel_no, sg.full_name,"
	" a.admitted_on"
	" FROM mentor.admission a"
	" JOIN mentor.pairing p ON p.pairing_id" EQ "a.pairing_id"
	" JOIN mentor.employee me ON me.employee_id" EQ "p.mentee_id"
	" JOIN mentor.employee mo ON mo.employee_id" EQ "p.mentor_id"
	" JOIN mentor.employee sg ON sg.employee_id" EQ "a.admitted_by"
	" LEFT JOIN mentor.profession pr ON pr.profession" EQ "me.profession"
	" LEFT JOIN LATERAL (SELECT x.checked_on, x.passed, x.examiner_id"
	"   FROM mentor.knowledge_check x"
	"   WHERE x.pairing_id" EQ "p.pairing_id AND x.checked_on" LE "a.admitted_on"
	"   ORDER BY x.checked_on DESC, x.check_id DESC LIMIT 1) c ON true"
	" LEFT JOIN mentor.employee ex ON ex.employee_id" EQ "c.examiner_id"
	" WHERE a.pairing_id" EQ "$1",
	1, {INT8OID}, true, NULL
};

/* the skills signed off up to the admission day */
static MentorQuery skills_query = {
	"SELECT o.skill, pg_catalog.to_char(o.signed_on, 'YYYY-MM-DD'), k.description"
	" FROM mentor.skill_signoff o"
	" JOIN mentor.skill k ON k.profession" EQ "o.profession AND k.skill" EQ "o.skill"
	" WHERE o.pairing_id" EQ "$1 AND o.signed_on" LE "$2"
	" ORDER BY o.skill",
	2, {INT8OID, DATEOID}, true, NULL
};

enum
{
	F_ORDER, F_MENTEE_NO, F_MENTEE_NAME, F_SITE, F_MENTOR_NO, F_MENTOR_NAME,
	F_PROFESSION, F_STARTED, F_SHIFTS_REQUIRED, F_SHIFTS, F_HOURS,
	F_CHECKED_ON, F_PASSED, F_EXAMINER_NO, F_EXAMINER_NAME,
	F_ADMITTED_ON, F_SIGNATORY_NO, F_SIGNATORY_NAME, N_FIELDS
};

typedef struct SkillLine
{
	const char *code;
	const char *signed_on;
	const char *description;	/* NULL: none */
} SkillLine;

typedef struct AdmissionData
{
	const char *field[N_FIELDS];	/* UTF-8; NULL for SQL NULL */
	const char *issuer;
	int			nskills;
	SkillLine  *skills;
} AdmissionData;

static const char *
spi_utf8(uint64 row, int col)
{
	char	   *s = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);
	const char *u;

	if (s == NULL)
		return NULL;
	u = mentor_xml_utf8(s);
	return memcpy(SPI_palloc(strlen(u) + 1), u, strlen(u) + 1);
}

static void
read_admission_data(int64 pairing_id, AdmissionData *d)
{
	Datum		args[2];
	bool		isnull;
	uint64		i,
				n;

	memset(d, 0, sizeof(AdmissionData));
	args[0] = Int64GetDatum(pairing_id);
	mentor_spi_connect();
	if (mentor_query_run(&admission_query, args, NULL, 1) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("pairing %lld has no admission to independent work", (long long) pairing_id),
				 errhint("Admit the mentee first (mentor.admit).")));
	for (i = 0; i < N_FIELDS; i++)
		d->field[i] = spi_utf8(0, i + 1);
	args[1] = mentor_spi_value(0, N_FIELDS + 1, &isnull);
	n = mentor_query_run(&skills_query, args, NULL, 0);
	d->nskills = (int) n;
	d->skills = SPI_palloc(sizeof(SkillLine) * (n + 1));
	for (i = 0; i < n; i++)
	{
		d->skills[i].code = spi_utf8(i, 1);
		d->skills[i].signed_on = spi_utf8(i, 2);
		d->skills[i].description = spi_utf8(i, 3);
	}
	mentor_spi_finish();
	d->issuer = mentor_xml_utf8(mentor_issuing_organisation_name ?
								mentor_issuing_organisation_name : "");
}

static int
write_body(xmlTextWriterPtr w, const void *arg)
{
	const AdmissionData *d = arg;
	const char *const *f = d->field;
	int			i;

	if (xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
		xmlTextWriterStartElementNS(w, NULL, BAD_CAST "admission", BAD_CAST ADMISSION_NS) < 0 ||
		mentor_xml_write_element(w, "orderNo", f[F_ORDER]) < 0 ||
		xmlTextWriterStartElement(w, BAD_CAST "mentee") < 0 ||
		mentor_xml_write_attribute(w, "personnelNo", f[F_MENTEE_NO]) < 0 ||
		mentor_xml_write_element(w, "fullName", f[F_MENTEE_NAME]) < 0 ||
		mentor_xml_write_element(w, "site", f[F_SITE]) < 0 ||
		xmlTextWriterEndElement(w) < 0 ||
		mentor_xml_write_person(w, "mentor", f[F_MENTOR_NO], f[F_MENTOR_NAME]) < 0 ||
		mentor_xml_write_element(w, "profession", f[F_PROFESSION]) < 0 ||
		xmlTextWriterStartElement(w, BAD_CAST "internship") < 0 ||
		mentor_xml_write_attribute(w, "startedOn", f[F_STARTED]) < 0 ||
		mentor_xml_write_attribute(w, "shiftsRequired", f[F_SHIFTS_REQUIRED]) < 0 ||
		mentor_xml_write_element(w, "shiftsWorked", f[F_SHIFTS]) < 0 ||
		mentor_xml_write_element(w, "hoursWorked", f[F_HOURS]) < 0 ||
		xmlTextWriterEndElement(w) < 0 ||
		xmlTextWriterStartElement(w, BAD_CAST "skills") < 0)
		return -1;
	for (i = 0; i < d->nskills; i++)
	{
		if (xmlTextWriterStartElement(w, BAD_CAST "skill") < 0 ||
			mentor_xml_write_attribute(w, "code", d->skills[i].code) < 0 ||
			mentor_xml_write_attribute(w, "signedOn", d->skills[i].signed_on) < 0 ||
			(d->skills[i].description &&
			 xmlTextWriterWriteString(w, BAD_CAST d->skills[i].description) < 0) ||
			xmlTextWriterEndElement(w) < 0)
			return -1;
	}
	if (xmlTextWriterEndElement(w) < 0 ||
		xmlTextWriterStartElement(w, BAD_CAST "knowledgeCheck") < 0 ||
		mentor_xml_write_attribute(w, "checkedOn", f[F_CHECKED_ON]) < 0 ||
		mentor_xml_write_attribute(w, "passed", f[F_PASSED]) < 0 ||
		mentor_xml_write_person(w, "examiner", f[F_EXAMINER_NO], f[F_EXAMINER_NAME]) < 0 ||
		xmlTextWriterEndElement(w) < 0 ||
		mentor_xml_write_element(w, "admittedOn", f[F_ADMITTED_ON]) < 0 ||
		mentor_xml_write_person(w, "admittedBy", f[F_SIGNATORY_NO], f[F_SIGNATORY_NAME]) < 0 ||
		mentor_xml_write_element(w, "issuer", d->issuer) < 0 ||
		xmlTextWriterEndDocument(w) < 0)
		return -1;
	return 0;
}

/*
 * The document of a pairing's admission; label names it in errors.
 */
bytea *
mentor_admission_bytes(int64 pairing_id, char **label)
{
	AdmissionData d;
	bytea	   *document;

	read_admission_data(pairing_id, &d);
	if (label)
		*label = psprintf("admission order %s", d.field[F_ORDER]);
	document = mentor_xml_write(write_body, &d);
	if (document == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not write the admission document of pairing %lld",
						(long long) pairing_id)));
	return document;
}

/*
 * SQL: mentor.admission_document(pairing_id bigint) returns bytea
 */
Datum
mentor_admission_document(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(mentor_admission_bytes(PG_GETARG_INT64(0), NULL));
}
