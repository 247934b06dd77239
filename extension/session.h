/*-------------------------------------------------------------------------
 *
 * session.h
 *	  What pairing rules read of a pairing's sessions, and the pairing row
 *	  a record of a pairing (a session, an internship record) locks first
 *	  (session.c).
 *
 * extension/session.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_SESSION_H
#define MENTOR_SESSION_H

#include "mentor.h"
#include "utils/rel.h"

/* a pairing as the triggers of its records read it, under its row lock */
typedef struct MentorPairingRow
{
	int64		pairing_id;
	int64		mentor_id;
	char	   *program;
	char	   *status;
	char	   *end_reason;		/* NULL when not set */
	bool		has_started;
	DateADT		started_on;
	bool		has_ended;
	DateADT		ended_on;
} MentorPairingRow;

extern void mentor_lock_pairing(Relation rel, int64 pairing_id,
								MentorPairingRow *p);
extern bool mentor_pairing_started(const MentorPairingRow *p);
extern bool mentor_pairing_covers(const MentorPairingRow *p, DateADT day);
extern int64 mentor_held_sessions(int64 pairing_id);
extern bool mentor_session_outside(int64 pairing_id, DateADT from, bool has_to,
								   DateADT to, DateADT *day);

#endif							/* MENTOR_SESSION_H */
