/*-------------------------------------------------------------------------
 *
 * program.h
 *	  Programme parameters, cached per backend (program.c).
 *
 * extension/program.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_PROGRAM_H
#define MENTOR_PROGRAM_H

#include "mentor.h"

typedef struct MentorParam
{
	bool		set;			/* false: the rule is off */
	int32		value;
} MentorParam;

typedef struct MentorProgram
{
	char	   *code;
	MentorParam max_mentees;
	MentorParam gap_same_area;
	MentorParam gap_other_area;
	MentorParam min_days_between;
	MentorParam max_session_minutes;
	MentorParam min_sessions;
	MentorParam notice_working_days;
	bool		requires_certificate;
	bool		requires_agreement;
	bool		same_profession;
} MentorProgram;

extern void mentor_program(const char *code, MentorProgram *out);
extern void mentor_program_cache_init(void);
extern bool mentor_program_exists(const char *code);

#endif							/* MENTOR_PROGRAM_H */
