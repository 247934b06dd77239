/*-------------------------------------------------------------------------
 *
 * xml_import.c
 *	  What the backend's document imports (agreement forms, production
 *	  calendars) share; see xml_import.h.
 *
 * The cores parse inside PostgreSQL's own libxml2 set-up (pg_xml_init /
 * pg_xml_done), so that its error handling and entity loader stay in place
 * and its xml functions keep working afterwards; libxml2's global clean-up
 * is never called.
 *
 * xml/xml_import.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/xml.h"

#include "mentor.h"
#include "xml_import.h"

/*
 * The compiled schema of kind, read once per backend from the extension's
 * share directory into *cache.
 */
xmlSchemaPtr
mentor_xml_import_schema(const MentorXmlKind *kind, xmlSchemaPtr *cache)
{
	char		sharepath[MAXPGPATH];
	char		path[MAXPGPATH];
	FILE	   *file;
	StringInfoData xsd;
	char		buf[8192];
	size_t		n;

	if (*cache != NULL)
		return *cache;

	get_share_path(my_exec_path, sharepath);
	snprintf(path, sizeof(path), "%s/extension/%s", sharepath, kind->xsd_file);
	file = AllocateFile(path, "r");
	if (file == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open %s schema \"%s\": %m", kind->noun, path),
				 errhint("Reinstall the extension (make install).")));
	initStringInfo(&xsd);
	while ((n = fread(buf, 1, sizeof(buf), file)) > 0)
		appendBinaryStringInfo(&xsd, buf, n);
	FreeFile(file);

	*cache = mentor_xml_schema(xsd.data, xsd.len);
	pfree(xsd.data);
	if (*cache == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not compile %s schema \"%s\"", kind->noun, path)));
	return *cache;
}

/*
 * A document passed as text is already characters: as UTF-8 for the core,
 * which then ignores its encoding declaration.
 */
void
mentor_xml_text_document(text *doc, const char **data, size_t *len)
{
	char	   *raw = VARDATA_ANY(doc);
	size_t		rawlen = VARSIZE_ANY_EXHDR(doc);
	char	   *utf8 = pg_server_to_any(raw, rawlen, PG_UTF8);

	/* converted text is NUL-terminated; unconverted is the datum itself */
	*data = utf8;
	*len = utf8 == raw ? rawlen : strlen(utf8);
}

/* mentor.xml_max_bytes bounds every document before it is parsed */
void
mentor_xml_check_size(const MentorXmlKind *kind, size_t len)
{
	if (len > (size_t) mentor_xml_max_bytes)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s document of %zu bytes exceeds mentor.xml_max_bytes (%d)",
						kind->noun, len, mentor_xml_max_bytes),
				 errhint("Split the document, or raise mentor.xml_max_bytes.")));
}

/*
 * The cores poll this between items: a cancel or termination request stops
 * the parse cleanly (the core frees what it made), and the caller's
 * CHECK_FOR_INTERRUPTS then raises it.  A core cannot be left by a long
 * jump without leaking what libxml2 allocated.
 */
bool
mentor_xml_cancel_requested(void)
{
	return QueryCancelPending || ProcDiePending;
}

/*
 * Run a core's parse inside PostgreSQL's libxml2 set-up.  The core's
 * malloc'd results are the caller's to free.
 */
void
mentor_xml_guarded(void (*parse) (void *arg), void *arg)
{
	PgXmlErrorContext *xmlerrcxt = pg_xml_init(PG_XML_STRICTNESS_ALL);

	PG_TRY();
	{
		parse(arg);
	}
	PG_CATCH();
	{
		pg_xml_done(xmlerrcxt, true);
		PG_RE_THROW();
	}
	PG_END_TRY();
	/* the core reports its own errors; whatever libxml2 told us is noise */
	pg_xml_done(xmlerrcxt, true);
}

/*
 * A document that could not be read, as an error.  The caller has freed
 * what the core made except the outcome, which is copied first.
 */
void
mentor_xml_report_failure(const MentorXmlKind *kind, const MentorXmlOutcome *outcome)
{
	int			line = outcome->line;
	char	   *message = pstrdup(outcome->message ? outcome->message : "");

	switch (outcome->failure)
	{
		case MENTOR_XML_EMPTY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_XML_DOCUMENT),
					 errmsg("%s document is empty", kind->noun),
					 errhint("%s", kind->empty_hint)));
			break;
		case MENTOR_XML_LIMIT:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s document refused: %s", kind->noun, message),
					 errdetail("Line %d.", line),
					 errhint("See the document limits in the README.")));
			break;
		case MENTOR_XML_NOMEM:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory while reading the %s document", kind->noun)));
			break;
		case MENTOR_XML_INTERRUPTED:
			CHECK_FOR_INTERRUPTS();
			ereport(ERROR,
					(errcode(ERRCODE_QUERY_CANCELED),
					 errmsg("%s import interrupted", kind->noun)));
			break;
		case MENTOR_XML_DTD:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_XML_DOCUMENT),
					 errmsg("%s document refused: document type declarations are not allowed",
							kind->noun),
					 errdetail("A DOCTYPE on line %d; it was not read.", line),
					 errhint("%s", kind->dtd_hint)));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_XML_DOCUMENT),
					 errmsg("%s document is not well-formed XML", kind->noun),
					 errdetail("Line %d: %s.", line, message),
					 errhint("Check that the file is complete and its encoding declaration matches its bytes.")));
	}
}
