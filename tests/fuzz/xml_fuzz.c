/*-------------------------------------------------------------------------
 *
 * xml_fuzz.c
 *	  libFuzzer target for the document cores: the agreement form
 *	  (xml/agreement_core.c) or, with MENTOR_FUZZ=calendar, the production
 *	  calendar (xml/calendar_core.c), both read by xml/xml_reader.c; built
 *	  outside the backend with ASan, UBSan and LeakSanitizer.
 *
 * Beyond crashes and leaks it checks the core's security promise: an
 * external entity loader that aborts is installed, so any attempt to read
 * a file or the network while parsing is reported as a crash.
 *
 * tests/fuzz/xml_fuzz.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "agreement_core.h"
#include "calendar_core.h"

static xmlSchemaPtr schema;
static bool calendar;

static void
quiet(void *ctx, MentorXmlError error)
{
}

static void
quiet_generic(void *ctx, const char *msg,...)
{
}

static xmlParserInputPtr
no_external_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	fprintf(stderr, "external entity requested: %s\n", url ? url : "(null)");
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("MENTOR_XSD");
	const char *target = getenv("MENTOR_FUZZ");
	FILE	   *f;
	char	   *xsd;
	long		len;

	calendar = target != NULL && strcmp(target, "calendar") == 0;
	xmlInitParser();
	xmlSetStructuredErrorFunc(NULL, quiet);
	xmlSetGenericErrorFunc(NULL, quiet_generic);
	xmlSetExternalEntityLoader(no_external_entities);

	f = fopen(path ? path : calendar ? "xml/mentor_calendar.xsd" : "xml/mentor_agreement.xsd", "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) <= 0 ||
		fseek(f, 0, SEEK_SET) != 0)
	{
		fprintf(stderr, "cannot read the schema (set MENTOR_XSD)\n");
		exit(2);
	}
	xsd = malloc(len);
	if (xsd == NULL || (long) fread(xsd, 1, len, f) != len)
		exit(2);
	fclose(f);
	schema = mentor_xml_schema(xsd, len);
	free(xsd);
	if (schema == NULL)
	{
		fprintf(stderr, "the schema does not compile\n");
		exit(2);
	}
	return 0;
}

/* the bounds the backend relies on: a failure keeps nothing, problems are capped */
static void
fuzz_agreements(const uint8_t *data, size_t size)
{
	MentorAgreementDocument doc;

	mentor_parse_agreements((const char *) data, size, NULL, schema, NULL, &doc);
	if ((doc.outcome.failure != MENTOR_XML_OK && (doc.nforms != 0 || doc.nproblems != 0)) ||
		doc.nproblems > MENTOR_XML_MAX_PROBLEMS || doc.nproblems > doc.nproblems_total)
		__builtin_trap();
	mentor_free_agreements(&doc);
}

static void
fuzz_calendar(const uint8_t *data, size_t size)
{
	MentorCalendarDocument doc;
	int			i;

	mentor_parse_calendar((const char *) data, size, NULL, schema, NULL, &doc);
	if ((doc.outcome.failure != MENTOR_XML_OK && (doc.ndays != 0 || doc.nproblems != 0)) ||
		doc.ndays > MENTOR_CALENDAR_MAX_DAYS)
		__builtin_trap();
	for (i = 0; i < doc.ndays; i++)
		if (doc.days[i].month < 1 || doc.days[i].month > 12 ||
			doc.days[i].kind < MENTOR_DAY_OFF || doc.days[i].kind > MENTOR_DAY_WORKING)
			__builtin_trap();
	mentor_free_calendar(&doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (calendar)
		fuzz_calendar(data, size);
	else
		fuzz_agreements(data, size);
	return 0;
}
