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
	bool		schema_ok;		/* no schema error inside this element */
	char	   *number;
	char	   *personnel_no;
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
	MENTOR_XML_MALFORMED		/* not well-formed, too deep, bad encoding */
} MentorXmlFailure;

typedef struct MentorAgreementDocument
{
	MentorXmlFailure failure;
	int			failure_line;
	char	   *failure_message;	/* libxml2's words, no document content */
	int			nforms;
	MentorAgreementForm *forms;
	int			nproblems;
	MentorXmlProblem *problems;
} MentorAgreementDocument;

extern xmlSchemaPtr mentor_agreement_schema(const char *xsd, size_t len);
extern void mentor_parse_agreements(const char *data, size_t len,
									const char *encoding, xmlSchemaPtr schema,
									MentorAgreementDocument *out);
extern void mentor_free_agreements(MentorAgreementDocument *doc);

#endif							/* MENTOR_AGREEMENT_CORE_H */
