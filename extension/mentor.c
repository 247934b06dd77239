/*-------------------------------------------------------------------------
 *
 * mentor.c
 *	  Module initialisation, and every setting of the mentor extension: the
 *	  one place where they are registered, with their defaults and who may
 *	  change them.
 *
 * The settings that tune rules are superuser-only: a session must not be
 * able to relax a rule for itself with SET.  The signing files are read
 * from the configuration files only.
 *
 * extension/mentor.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "mentor.h"
#include "program.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(mentor_planning_settings);

/* rules */
double		mentor_course_hours = 16.0;
int			mentor_certificate_years = 3;
int			mentor_promotion_min_completed = 3;
double		mentor_promotion_min_score = 4.0;
double		mentor_refresher_hours_per_year = 6.0;

/* capacity planning */
double		mentor_availability = 0.85;
int			mentor_candidate_lead_days = 45;
double		mentor_default_selection_pass_rate = 0.5;
double		mentor_default_course_pass_rate = 0.9;

/* signed exports */
char	   *mentor_signing_key_file = NULL;
char	   *mentor_signing_cert_file = NULL;
char	   *mentor_signing_chain_file = NULL;
char	   *mentor_issuing_organisation_name = NULL;

/* agreement import */
int			mentor_xml_max_bytes = 16 * 1024 * 1024;

/* the audit log: why a change is made, for its audit row */
char	   *mentor_change_reason = NULL;

void		_PG_init(void);

static void
define_rule_settings(void)
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
}

static void
define_career_settings(void)
{
	DefineCustomRealVariable("mentor.availability",
							 "Share of a mentor's time available for mentees, for capacity planning.",
							 "mentors_required = ceil(expected_mentees / (max_mentees * availability)).",
							 &mentor_availability, 0.85, 0.01, 1.0,
							 PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("mentor.candidate_lead_days",
							"Days from sending a candidate to selection to a certified mentor.",
							"candidates_needed sends candidates this many days before the month of the shortage.",
							&mentor_candidate_lead_days, 45, 0, 3650,
							PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomRealVariable("mentor.default_selection_pass_rate",
							 "Selection pass rate assumed while there is no assessment history.",
							 NULL, &mentor_default_selection_pass_rate, 0.5, 0.01, 1.0,
							 PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomRealVariable("mentor.default_course_pass_rate",
							 "Basic course pass rate assumed while there is no course history.",
							 NULL, &mentor_default_course_pass_rate, 0.9, 0.01, 1.0,
							 PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("mentor.promotion_min_completed",
							"Completed pairings a mentor needs to become a training engineer.",
							"Rule mentor_promotion.",
							&mentor_promotion_min_completed, 3, 0, 1000,
							PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomRealVariable("mentor.promotion_min_score",
							 "Average supervision score (of 5) a mentor needs to become a training engineer.",
							 "Rule mentor_promotion.",
							 &mentor_promotion_min_score, 4.0, 0.0, 5.0,
							 PGC_SUSET, 0, NULL, NULL, NULL);
	/* read by the SQL of mentor.refresher_hours, which assumes 6 when unset */
	DefineCustomRealVariable("mentor.refresher_hours_per_year",
							 "Workshop hours a mentor should attend each calendar year.",
							 "mentor.refresher_hours reports the shortfall; an assumption, not a rule.",
							 &mentor_refresher_hours_per_year, 6.0, 0.0, 1000.0,
							 PGC_SUSET, 0, NULL, NULL, NULL);
}

static void
define_signing_settings(void)
{
	DefineCustomStringVariable("mentor.signing_key_file",
							   "Private key (PEM) that signs certificate exports.",
							   "RSA or EC key; the file must not be readable by group or others.",
							   &mentor_signing_key_file, "",
							   PGC_SIGHUP, GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("mentor.signing_cert_file",
							   "X.509 certificate (PEM) of the signing key, included in every export.",
							   NULL,
							   &mentor_signing_cert_file, "",
							   PGC_SIGHUP, 0,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("mentor.issuing_organisation",
							   "Organisation named as issuer in certificate documents.",
							   NULL,
							   &mentor_issuing_organisation_name, "Mentorship programme",
							   PGC_SIGHUP, 0,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("mentor.signing_chain_file",
							   "Intermediate CA certificates (PEM) included in every export; optional.",
							   NULL,
							   &mentor_signing_chain_file, "",
							   PGC_SIGHUP, 0,
							   NULL, NULL, NULL);
}

static void
define_import_settings(void)
{
	DefineCustomIntVariable("mentor.xml_max_bytes",
							"Largest agreement document mentor.import_agreements accepts.",
							NULL,
							&mentor_xml_max_bytes,
							16 * 1024 * 1024, 1024, 1024 * 1024 * 1024,
							PGC_SUSET, GUC_UNIT_BYTE,
							NULL, NULL, NULL);
}

static void
define_audit_settings(void)
{
	DefineCustomStringVariable("mentor.change_reason",
							   "Why the changes of this transaction or session are made, for the audit log.",
							   "SET LOCAL mentor.change_reason = '...' before a direct write; functions such as end_pairing record their own reason when it is unset.",
							   &mentor_change_reason, "",
							   PGC_USERSET, 0,
							   NULL, NULL, NULL);
}

void
_PG_init(void)
{
	/* the module's messages come from its own catalogue (po/) */
	pg_bindtextdomain(TEXTDOMAIN);
	define_rule_settings();
	define_audit_settings();
	define_career_settings();
	define_signing_settings();
	define_import_settings();
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("mentor");
#else
	EmitWarningsOnPlaceholders("mentor");
#endif

	mentor_program_cache_init();
}

/*
 * SQL: mentor.planning_settings() returns the planning settings as a row,
 * so that SQL reports read them with the library loaded.
 */
Datum
mentor_planning_settings(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	values[0] = Float8GetDatum(mentor_availability);
	values[1] = Int32GetDatum(mentor_candidate_lead_days);
	values[2] = Float8GetDatum(mentor_default_selection_pass_rate);
	values[3] = Float8GetDatum(mentor_default_course_pass_rate);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
