/*-------------------------------------------------------------------------
 *
 * mentor.c
 *	  Module initialisation and the settings of the mentor extension.
 *
 * The settings that tune rules are superuser-only: a session must not be
 * able to relax a rule for itself with SET.
 *
 * extension/mentor.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "mentor.h"

PG_MODULE_MAGIC;

double		mentor_course_hours = 16.0;
int			mentor_certificate_years = 3;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomRealVariable("mentor.course_hours",
							 "Hours of the basic mentor course a certificate requires.",
							 "A certificate for a shorter course breaks rule mentor_course_hours.",
							 &mentor_course_hours,
							 16.0, 0.0, 10000.0,
							 PGC_SUSET, 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("mentor.certificate_years",
							"Years a mentor certificate stays valid.",
							"A certificate issued on day d is valid through d + this many years - 1 day.",
							&mentor_certificate_years,
							3, 1, 50,
							PGC_SUSET, 0,
							NULL, NULL, NULL);

	mentor_signing_define_settings();
	mentor_xml_define_settings();
	mentor_career_define_settings();

#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("mentor");
#else
	EmitWarningsOnPlaceholders("mentor");
#endif

	mentor_program_cache_init();
}
