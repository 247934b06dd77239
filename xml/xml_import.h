/*-------------------------------------------------------------------------
 *
 * xml_import.h
 *	  What the backend's document imports share: the schema read from the
 *	  extension directory, the parse inside PostgreSQL's libxml2 set-up,
 *	  the size bound and a failed read turned into an error.
 *
 * xml/xml_import.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_XML_IMPORT_H
#define MENTOR_XML_IMPORT_H

#include "xml_reader.h"

/* the words an import's errors use for its document */
typedef struct MentorXmlKind
{
	const char *noun;			/* "agreement": "agreement document is empty" */
	const char *xsd_file;		/* in the extension directory */
	const char *empty_hint;		/* what a document of this kind looks like */
	const char *dtd_hint;
} MentorXmlKind;

extern xmlSchemaPtr mentor_xml_import_schema(const MentorXmlKind *kind,
											 xmlSchemaPtr *cache);
extern void mentor_xml_text_document(text *doc, const char **data, size_t *len);
extern void mentor_xml_check_size(const MentorXmlKind *kind, size_t len);
extern void mentor_xml_guarded(void (*parse) (void *arg), void *arg);
extern bool mentor_xml_cancel_requested(void);
extern void mentor_xml_report_failure(const MentorXmlKind *kind,
									  const MentorXmlOutcome *outcome);

#endif							/* MENTOR_XML_IMPORT_H */
