/*-------------------------------------------------------------------------
 *
 * agreement_core.h
 *	  Schema validation and taking apart of mentorship agreement forms,
 *	  read by xml_reader.c, on libxml2 alone: the backend import
 *	  (agreement_import.c) and the fuzz target (tests/fuzz) share it.
 *	  Nothing here knows PostgreSQL.
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

#include "xml_reader.h"

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

/* problems kept (all are counted): a hostile document's report stays small */
#define MENTOR_XML_MAX_PROBLEMS		100

typedef struct MentorAgreementDocument
{
	MentorXmlOutcome outcome;	/* how reading ended: libxml2's words, no content */
	int			nforms;			/* agreements kept: those the schema accepts */
	int			nrejected;		/* agreements with schema errors, not kept */
	MentorAgreementForm *forms;
	int			formsize;		/* allocated forms */
	int			nproblems;		/* problems kept, at most MAX_PROBLEMS */
	int			nproblems_total;	/* problems found */
	MentorXmlProblem *problems;
} MentorAgreementDocument;

extern void mentor_parse_agreements(const char *data, size_t len,
									const char *encoding, xmlSchemaPtr schema,
									MentorXmlStop should_stop,
									MentorAgreementDocument *out);
extern void mentor_free_agreements(MentorAgreementDocument *doc);

#endif							/* MENTOR_AGREEMENT_CORE_H */
