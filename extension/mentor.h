/*-------------------------------------------------------------------------
 *
 * mentor.h
 *	  Shared declarations of the mentor extension: settings, the rule-error
 *	  helper, kept SPI plans, the programme cache and the calendar.
 *
 * extension/mentor.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_H
#define MENTOR_H

#include "postgres.h"

#include "access/htup.h"
#include "access/skey.h"
#include "executor/tuptable.h"
#include "executor/spi.h"
#include "utils/date.h"
#include "utils/rel.h"

/* Operators pinned to pg_catalog, for SQL that runs under a caller's path */
#define EQ	" OPERATOR(pg_catalog.=) "
#define NE	" OPERATOR(pg_catalog.<>) "
#define LT	" OPERATOR(pg_catalog.<) "
#define LE	" OPERATOR(pg_catalog.<=) "
#define GT	" OPERATOR(pg_catalog.>) "
#define GE	" OPERATOR(pg_catalog.>=) "

/* settings (mentor.c, signing_keys.c) */
extern double mentor_course_hours;
extern int	mentor_certificate_years;
extern char *mentor_issuing_organisation_name;
extern void mentor_signing_define_settings(void);
extern int	mentor_xml_max_bytes;
extern void mentor_xml_define_settings(void);
extern void mentor_career_define_settings(void);

/* rule errors (rule_error.c) */
extern void mentor_rule_violation(Relation rel, const char *rule,
								  const char *message, const char *detail,
								  const char *hint) pg_attribute_noreturn();
extern int	errconstraint_name(const char *rule);
extern void mentor_check_trigger(FunctionCallInfo fcinfo, const char *name,
								 bool before);
extern HeapTuple mentor_before_row(FunctionCallInfo fcinfo, const char *name);

/* queries the C runs through SPI (queries.c); each feature owns its own */
typedef struct MentorQuery
{
	const char *sql;
	int			nargs;
	Oid			argtypes[16];
	bool		read_only;		/* the statement's snapshot; else the latest */
	SPIPlanPtr	plan;			/* prepared on first use and kept */
} MentorQuery;

extern void mentor_spi_connect(void);
extern void mentor_spi_finish(void);
extern uint64 mentor_query_run(MentorQuery *query, Datum *values,
							   const char *nulls, long count);
extern Datum mentor_spi_value(uint64 row, int col, bool *isnull);
extern char *mentor_spi_text(uint64 row, int col);

/*
 * direct index scans (lookup.c): each file names the indexes it reads,
 * as static MentorIndex variables; lookup.c resolves and caches the OIDs
 */
typedef struct MentorIndex
{
	const char *table;			/* in schema mentor */
	const char *index;
	Oid			table_oid;		/* resolved on first use, cleared by */
	Oid			index_oid;		/* invalidations naming them */
	bool		listed;			/* in lookup.c's list of indexes in use */
	struct MentorIndex *next;
} MentorIndex;

#define MENTOR_INDEX(table, index) {(table), (index), InvalidOid, InvalidOid, false, NULL}

typedef bool (*MentorVisit) (TupleTableSlot *slot, void *arg);

extern void mentor_index_scan(MentorIndex *which, ScanKey keys, int nkeys,
							  MentorVisit visit, void *arg);
extern bool mentor_get_row(MentorIndex *which, int64 id,
						   MentorVisit visit, void *arg);
extern bool mentor_get_row_by_text(MentorIndex *which, const char *value,
								   MentorVisit visit, void *arg);
extern bool mentor_lock_row(MentorIndex *which, int64 id,
							MentorVisit visit, void *arg);
extern int	mentor_lock_rows(MentorIndex *which, const int64 *ids, int n,
							 MentorVisit visit, void *arg);
extern void mentor_key_id(ScanKey key, int64 id);
extern Datum mentor_slot_attr(TupleTableSlot *slot, const char *name,
							  bool *isnull);
extern char *mentor_slot_text(TupleTableSlot *slot, const char *name);
extern bool mentor_slot_date(TupleTableSlot *slot, const char *name, DateADT *value);
extern bool mentor_slot_text_eq(TupleTableSlot *slot, const char *name,
								const char *value);
extern Snapshot mentor_read_snapshot(void);
extern void mentor_reads_begin(void);
extern void mentor_reads_begin_statement(void);
extern void mentor_reads_end(void);

/* tuple access (rule_error.c) */
extern Datum mentor_attr(HeapTuple tuple, TupleDesc tupdesc,
						 const char *name, bool *isnull);
extern char *mentor_attr_text(HeapTuple tuple, TupleDesc tupdesc,
							  const char *name);
extern bool mentor_attr_date(HeapTuple tuple, TupleDesc tupdesc,
							 const char *name, DateADT *value);
extern bool mentor_attr_id(HeapTuple tuple, TupleDesc tupdesc,
						   const char *name, int64 *value);
extern int	mentor_attnum(TupleDesc tupdesc, const char *name);
extern int	mentor_attnum_cached(TupleDesc desc, const char *name);

/* programme parameters (program.c) */
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

/* agreements (agreement.c) */
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
extern bool mentor_agreement_in_force(int64 employee_id, DateADT day,
									  bool has_except, int64 except,
									  MentorAgreementFacts *facts);

/* calendar (calendar.c) */
extern DateADT mentor_working_day_after(DateADT from, int32 days);

/* certificates (certificate.c) */
extern bool mentor_has_valid_certificate(int64 employee_id, DateADT day);
extern bool mentor_valid_certificate(int64 employee_id, DateADT day,
									 bool has_except, int64 except);

/* rules from the referenced side (reliance.c) */
typedef struct MentorStartedPairing
{
	int64		pairing_id;
	char	   *program;
	bool		active;
	DateADT		started_on;
} MentorStartedPairing;

extern List *mentor_started_pairings(int64 employee_id, bool also_as_mentee);
extern void mentor_end_pairing_cascade(int64 pairing_id, DateADT day,
									   const char *reason);

/* people (people.c) */
extern void mentor_lock_employee(int64 employee_id);
extern char *mentor_person_label(int64 employee_id);

/* sessions (session.c) */
extern int64 mentor_held_sessions(int64 pairing_id);
extern bool mentor_session_outside(int64 pairing_id, DateADT from, bool has_to,
								   DateADT to, DateADT *day);

/* formatting */
extern char *mentor_date_str(DateADT d);

#endif							/* MENTOR_H */
