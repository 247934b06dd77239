/*-------------------------------------------------------------------------
 *
 * xml_reader.h
 *	  Reading an untrusted XML document from memory, on libxml2 alone: the
 *	  checks every document mentor imports passes before its own grammar is
 *	  applied (agreement forms now, production calendars next).  Nothing
 *	  here knows PostgreSQL, so the fuzz target links it as it is.
 *
 * xml/xml_reader.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_XML_READER_H
#define MENTOR_XML_READER_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlversion.h>

/* libxml2 2.12 hands structured-error callbacks a const xmlError */
#if LIBXML_VERSION >= 21200
typedef const xmlError *MentorXmlError;
#else
typedef xmlError *MentorXmlError;
#endif

typedef enum MentorXmlFailure
{
	MENTOR_XML_OK,				/* read; problems, if any, are per item */
	MENTOR_XML_EMPTY,
	MENTOR_XML_DTD,				/* a DOCTYPE: refused before it is read */
	MENTOR_XML_MALFORMED,		/* not well-formed, too deep, bad encoding */
	MENTOR_XML_LIMIT,			/* markup beyond a documented limit */
	MENTOR_XML_NOMEM,			/* an allocation failed: nothing is kept */
	MENTOR_XML_INTERRUPTED		/* the caller's should_stop said so */
} MentorXmlFailure;

/* how reading a document ended; message is malloc'd, libxml2's words */
typedef struct MentorXmlOutcome
{
	MentorXmlFailure failure;
	int			line;
	char	   *message;
} MentorXmlOutcome;

/*
 * Bounds that keep a hostile document's cost linear and its report small:
 * the bytes of a value or a message kept in a report, and attributes on one
 * element (libxml2 2.9 checks duplicate attributes in quadratic time; no
 * form of ours needs more than a few).
 */
#define MENTOR_XML_MAX_VALUE_BYTES	80
#define MENTOR_XML_MAX_MESSAGE_BYTES	300
#define MENTOR_XML_MAX_ATTRIBUTES	64

/* polled between items; true stops the parse (MENTOR_XML_INTERRUPTED) */
typedef bool (*MentorXmlStop) (void);

extern xmlDocPtr mentor_xml_read(const char *data, size_t len,
								 const char *encoding, long max_elements,
								 MentorXmlOutcome *out);
extern xmlSchemaPtr mentor_xml_schema(const char *xsd, size_t len);
extern bool mentor_xml_validate(xmlDocPtr doc, xmlSchemaPtr schema,
								MentorXmlStop should_stop,
								xmlStructuredErrorFunc handler, void *arg,
								MentorXmlOutcome *out);
extern bool mentor_xml_failed(MentorXmlOutcome *outcome, MentorXmlOutcome *kept);
extern bool mentor_xml_refuse(MentorXmlOutcome *out, MentorXmlFailure failure,
							  int line, const char *message);

/* allocation helpers: a failure is remembered until the next read */
extern bool mentor_xml_out_of_memory(void);
extern void mentor_xml_note_out_of_memory(void);
extern char *mentor_xml_strdup(const char *s);
extern char *mentor_xml_clip(const char *s, size_t max);
extern char *mentor_xml_message(const char *s);
extern char *mentor_xml_attribute(xmlNodePtr node, const char *name);
extern char *mentor_xml_text(xmlNodePtr node);

#endif							/* MENTOR_XML_READER_H */
