/*-------------------------------------------------------------------------
 *
 * internship.h
 *	  The production internship and admission to independent work
 *	  (internship.c), and who may sign for the enterprise (career.c).
 *
 * extension/internship.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_INTERNSHIP_H
#define MENTOR_INTERNSHIP_H

#include "mentor.h"

/* what an employee may sign on a day (career.c) */
typedef struct MentorStanding
{
	bool		is_hr;
	bool		is_engineer;	/* a training engineer on the day */
	bool		dismissed;		/* dismissed on or before the day */
	bool		may_sign;		/* HR or a training engineer, not dismissed */
} MentorStanding;

extern void mentor_standing(Relation rel, const char *column, int64 employee_id,
							DateADT day, MentorStanding *out);

/* the pairing side of the internship rules (pairing.c calls these) */
extern void mentor_internship_inside(Relation rel, int64 pairing_id,
									 DateADT started_on, bool has_end,
									 DateADT ended_on);
extern void mentor_completion_admitted(Relation rel, int64 pairing_id);

/* the admission document (xml/admission_document.c) */
extern bytea *mentor_admission_bytes(int64 pairing_id, char **label);

#endif							/* MENTOR_INTERNSHIP_H */
