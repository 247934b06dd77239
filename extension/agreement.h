/*-------------------------------------------------------------------------
 *
 * agreement.h
 *	  Agreement terms and the agreement in force on a day (agreement.c).
 *
 * extension/agreement.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_AGREEMENT_H
#define MENTOR_AGREEMENT_H

#include "mentor.h"

typedef void (*MentorReport) (void *arg, char *message);

typedef struct MentorAgreementFacts
{
	bool		found;
	char	   *number;
	bool		has_limit;		/* max_mentees is set */
	int32		limit;
} MentorAgreementFacts;

extern DateADT mentor_plus_years(DateADT d, int years);
extern void mentor_agreement_date_terms(DateADT signed_on, DateADT valid_from,
										DateADT valid_to, MentorReport report,
										void *arg);
extern void mentor_agreement_bonus_terms(const char *bonus_kind,
										 const char *bonus_amount,
										 const char *currency,
										 MentorReport report, void *arg);
/* what mentor.agreement_version keeps of an agreement (both tables have them) */
#define MENTOR_AGREEMENT_VERSION_COLUMNS \
	"agreement_id, version, number, employee_id, signed_on, valid_from, valid_to," \
	" bonus_kind, bonus_amount, currency, max_mentees, employer_name," \
	" employer_position, employee_name, document, document_sha256," \
	" content_sha256, imported_at, replaces"

/* another agreement of a mentor whose days overlap (agreement.c) */
typedef struct MentorAgreementOverlap
{
	char	   *number;
	DateADT		valid_from;
	DateADT		valid_to;
} MentorAgreementOverlap;

extern bool mentor_agreement_overlap(int64 employee_id, DateADT valid_from,
									 DateADT valid_to, int64 except_id,
									 const char *replaces,
									 MentorAgreementOverlap *other);
extern char *mentor_replaced_problem(int64 employee_id, DateADT valid_from,
									 const char *replaces, bool *still_overlaps);
extern bool mentor_agreement_in_force(int64 employee_id, DateADT day,
									  bool has_except, int64 except,
									  MentorAgreementFacts *facts);

#endif							/* MENTOR_AGREEMENT_H */
