/*-------------------------------------------------------------------------
 *
 * queries.c
 *	  SQL that the extension's C runs through SPI: prepared on first use,
 *	  kept for the backend's life, every SPI return code checked.
 *
 * Each feature owns its queries (a static MentorQuery next to the code
 * that reads its columns); this file only prepares and runs them.  As in
 * ri_triggers.c, plans are generic, made once: a custom plan per execution
 * would re-plan every call, so each query is written for its generic plan
 * to be an index scan even when made while the tables are still empty
 * (equality on a leading index column), and pins its operators to
 * pg_catalog because it is planned under the caller's search_path.
 * Queries that write use the latest snapshot, for the reason lookup.c
 * gives; reads use the statement's.
 *
 * What runs for every checked row does not come here: lookup.c reads with
 * plain index scans, which cost less than an executor start.
 *
 * extension/queries.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "nodes/parsenodes.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"

#include "mentor.h"

void
mentor_spi_connect(void)
{
	int			rc = SPI_connect();

	if (rc != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
}

void
mentor_spi_finish(void)
{
	int			rc = SPI_finish();

	if (rc != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed: %s", SPI_result_code_string(rc));
}

static SPIPlanPtr
prepared(MentorQuery *query)
{
	if (query->plan == NULL)
	{
		SPIPlanPtr	plan;

		plan = SPI_prepare_cursor(query->sql, query->nargs, query->argtypes,
								  CURSOR_OPT_GENERIC_PLAN);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s",
				 query->sql, SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed for \"%s\"", query->sql);
		query->plan = plan;
	}
	return query->plan;
}

/*
 * Run a query; returns the number of rows.  The caller has connected to SPI
 * (mentor_spi_connect) and reads the rows from SPI_tuptable before
 * mentor_spi_finish.
 */
uint64
mentor_query_run(MentorQuery *query, Datum *values, const char *nulls,
				 long count)
{
	SPIPlanPtr	plan = prepared(query);
	int			rc;

	if (query->read_only)
		rc = SPI_execute_plan(plan, values, nulls, true, count);
	else
		rc = SPI_execute_snapshot(plan, values, nulls,
								  GetLatestSnapshot(), InvalidSnapshot,
								  false, true, count);
	if (rc < 0)
		elog(ERROR, "mentor query failed: %s: \"%s\"",
			 SPI_result_code_string(rc), query->sql);
	return SPI_processed;
}

Datum
mentor_spi_value(uint64 row, int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
						 col, isnull);
}

/* text of a column, or "" for NULL; lives in the SPI procedure context */
char *
mentor_spi_text(uint64 row, int col)
{
	char	   *s = SPI_getvalue(SPI_tuptable->vals[row],
								 SPI_tuptable->tupdesc, col);

	return s ? s : "";
}

/*
 * The same, copied to the memory context the caller had before connecting
 * (SPI_palloc), so that it outlives mentor_spi_finish.
 */
char *
mentor_spi_text_kept(uint64 row, int col)
{
	char	   *s = mentor_spi_text(row, col);
	size_t		len = strlen(s) + 1;

	return memcpy(SPI_palloc(len), s, len);
}

/*
 * A one-dimensional array of n values of type (nulls may be NULL): the
 * set-wise statements take a column of rows as one array parameter.
 */
Datum
mentor_query_array(Datum *values, bool *nulls, int n, Oid type)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			dims[1] = {n};
	int			lbs[1] = {1};

	get_typlenbyvalalign(type, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_md_array(values, nulls, 1, dims, lbs,
											  type, typlen, typbyval, typalign));
}
