/*-------------------------------------------------------------------------
 *
 * mentor.h
 *	  The core API of the mentor extension: settings, row access by index
 *	  (lookup.c), SPI queries (queries.c) and rule errors and messages
 *	  (rule_error.c).  Each feature declares what it offers others in a
 *	  header of its own (program.h, calendar.h, certificate.h, agreement.h,
 *	  session.h).
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

/*
 * The module's messages are looked up in its own catalogue, text domain
 * mentor-<major> (po/ru.po; bound in _PG_init), as plpgsql does for its own.
 */
#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("mentor")

/* Operators pinned to pg_catalog, for SQL that runs under a caller's path */
#define EQ	" OPERATOR(pg_catalog.=) "
#define NE	" OPERATOR(pg_catalog.<>) "
#define LT	" OPERATOR(pg_catalog.<) "
#define LE	" OPERATOR(pg_catalog.<=) "
#define GT	" OPERATOR(pg_catalog.>) "
#define GE	" OPERATOR(pg_catalog.>=) "

/* settings, all registered in mentor.c */
extern double mentor_course_hours;
extern int	mentor_certificate_years;
extern int	mentor_promotion_min_completed;
extern double mentor_promotion_min_score;
extern double mentor_refresher_hours_per_year;
extern double mentor_availability;
extern int	mentor_candidate_lead_days;
extern double mentor_default_selection_pass_rate;
extern double mentor_default_course_pass_rate;
extern char *mentor_signing_key_file;
extern char *mentor_signing_cert_file;
extern char *mentor_signing_chain_file;
extern char *mentor_issuing_organisation_name;
extern int	mentor_xml_max_bytes;
extern char *mentor_change_reason;

/*
 * rule errors (rule_error.c).  Every rule error is raised at its check, as
 *		ereport(ERROR,
 *				(mentor_rule_error(rel, "mentor_capacity"),
 *				 errmsg("..."), errdetail("..."), errhint("...")));
 * with the format strings at the call site (so that they are translated):
 * SQLSTATE 23514 and the rule's name as CONSTRAINT, with the table when
 * there is one.
 */
#define mentor_rule_error(rel, rule) \
	errcode(ERRCODE_CHECK_VIOLATION), mentor_rule_constraint((rel), (rule))
extern int	mentor_rule_constraint(Relation rel, const char *rule);
extern int	errconstraint_name(const char *rule);
extern void mentor_check_trigger(FunctionCallInfo fcinfo, const char *name,
								 bool before);
extern HeapTuple mentor_before_row(FunctionCallInfo fcinfo, const char *name);
extern char *mentor_date_str(DateADT d);
extern char *mentor_person_label(int64 employee_id);

/* queries the C runs through SPI (queries.c); each feature owns its own */
typedef struct MentorQuery
{
	const char *sql;
	int			nargs;
	Oid			argtypes[24];
	bool		read_only;		/* the statement's snapshot; else the latest */
	SPIPlanPtr	plan;			/* prepared on first use and kept */
} MentorQuery;

extern void mentor_spi_connect(void);
extern void mentor_spi_finish(void);
extern uint64 mentor_query_run(MentorQuery *query, Datum *values,
							   const char *nulls, long count);
extern Datum mentor_spi_value(uint64 row, int col, bool *isnull);
extern char *mentor_spi_text(uint64 row, int col);
extern char *mentor_spi_text_kept(uint64 row, int col);
extern Datum mentor_query_array(Datum *values, bool *nulls, int n, Oid type);

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

/* columns of a trigger's tuple, and the employee row lock (lookup.c) */
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
extern void mentor_lock_employee(int64 employee_id);
#endif							/* MENTOR_H */
