/*-------------------------------------------------------------------------
 *
 * agreement_core.h
 *	  Parsing and schema validation of mentorship agreement forms, on
 *	  libxml2 alone: the backend import (agreement_import.c) and the fuzz
 *	  target (tests/fuzz) share it.  Nothing here knows PostgreSQL.
 *
 * xml/agreement_core.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_AGREEMENT_CORE_H
#define MENTOR_AGREEMENT_CORE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlschemas.h>

#define MENTOR_AGREEMENT_NS "urn:mentor:agreement:1"

/* one <agreement>; strings are malloc'd, NULL when absent */
typedef struct MentorAgreementForm
{
	int			line;
	bool		schema_ok;		/* false only for a repeated number */
	char	   *number;
	char	   *personnel_no;
	char	   *replaces;		/* the number of the agreement it replaces */
	char	   *signed_on;
	char	   *valid_from;
	char	   *valid_to;
	char	   *bonus_kind;
	char	   *bonus_amount;
	char	   *currency;
	char	   *max_mentees;
	char	   *employer_name;
	char	   *employer_position;
	char	   *employee_name;
	char	   *xml;			/* the element, serialized as UTF-8 */
} MentorAgreementForm;

typedef struct MentorXmlProblem
{
	int			line;
	char	   *number;			/* the agreement it concerns, or NULL */
	char	   *message;
} MentorXmlProblem;

typedef enum MentorXmlFailure
{
	MENTOR_XML_OK,				/* parsed; problems, if any, are per agreement */
	MENTOR_XML_EMPTY,
	MENTOR_XML_DTD,				/* a DOCTYPE: refused before it is read */
	MENTOR_XML_MALFORMED,		/* not well-formed, too deep, bad encoding */
	MENTOR_XML_LIMIT,			/* markup beyond a documented limit */
	MENTOR_XML_NOMEM,			/* an allocation failed: nothing is kept */
	MENTOR_XML_INTERRUPTED		/* the caller's should_stop said so */
} MentorXmlFailure;

/*
 * Bounds that keep a hostile document's cost linear and its report small:
 * problems kept (all are counted), the bytes of an agreement number or a
 * message kept in a problem, and attributes on one element (libxml2 2.9
 * checks duplicate attributes in quadratic time; the form needs at most 3).
 */
#define MENTOR_XML_MAX_PROBLEMS		100
#define MENTOR_XML_MAX_VALUE_BYTES	80
#define MENTOR_XML_MAX_MESSAGE_BYTES	300
#define MENTOR_XML_MAX_ATTRIBUTES	64

/* polled between agreements; true stops the parse (MENTOR_XML_INTERRUPTED) */
typedef bool (*MentorXmlStop) (void);

typedef struct MentorAgreementDocument
{
	MentorXmlFailure failure;
	int			failure_line;
	char	   *failure_message;	/* libxml2's words, no document content */
	int			nforms;			/* agreements kept: those the schema accepts */
	int			nrejected;		/* agreements with schema errors, not kept */
	MentorAgreementForm *forms;
	int			formsize;		/* allocated forms */
	int			nproblems;		/* problems kept, at most MAX_PROBLEMS */
	int			nproblems_total;	/* problems found */
	MentorXmlProblem *problems;
} MentorAgreementDocument;

extern xmlSchemaPtr mentor_agreement_schema(const char *xsd, size_t len);
extern void mentor_parse_agreements(const char *data, size_t len,
									const char *encoding, xmlSchemaPtr schema,
									MentorXmlStop should_stop,
									MentorAgreementDocument *out);
extern char *mentor_xml_clip(const char *s, size_t max);
extern void mentor_free_agreements(MentorAgreementDocument *doc);

#endif							/* MENTOR_AGREEMENT_CORE_H */
