/*-------------------------------------------------------------------------
 *
 * override.h
 *	  Human overrides of the selection and promotion verdicts (override.c).
 *
 * extension/override.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_OVERRIDE_H
#define MENTOR_OVERRIDE_H

#include "mentor.h"

extern bool mentor_override_applies(int64 employee_id, const char *rule);

#endif							/* MENTOR_OVERRIDE_H */
