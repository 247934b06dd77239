/*-------------------------------------------------------------------------
 *
 * session.h
 *	  What pairing rules read of a pairing's sessions (session.c).
 *
 * extension/session.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_SESSION_H
#define MENTOR_SESSION_H

#include "mentor.h"

extern int64 mentor_held_sessions(int64 pairing_id);
extern bool mentor_session_outside(int64 pairing_id, DateADT from, bool has_to,
								   DateADT to, DateADT *day);

#endif							/* MENTOR_SESSION_H */
