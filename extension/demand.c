/*-------------------------------------------------------------------------
 *
 * demand.c
 *	  mentor_demand: per site, profession and month of a planning horizon,
 *	  the mentees expected, the mentors they require and the mentors
 *	  available, counted in memory from three reads.
 *
 * The figures are those 1.0's SQL computed by joining every window to
 * every month.  Here a month's figures are running sums over events:
 *
 *	- a mentee window (a planned hire for the profession's onboarding weeks,
 *	  a production pairing through its end) of weight w, clipped to the
 *	  horizon, adds w mentees from its first day and removes them from its
 *	  stop.  The weighted days of month i are then the weight of the
 *	  windows opened before it times the month's days, plus, for each event
 *	  in the month, its weight times the days from it to the month's end;
 *	  expected mentees are those days over the month's days, as an exact
 *	  numeric, so that every figure is 1.0's to the last digit;
 *	- a mentor is available in the whole months some certificate covers
 *	  (approved, certified, not revoked, retired or dismissed on any day):
 *	  one more from the first month of an island of such months, one less
 *	  from its end, however many certificates overlap in it.
 *
 * The reads run through SPI as the caller, so that privileges and
 * row-level security apply as they did to the SQL function: the keys
 * (every site and profession planned, mentoring or ever trained, in the
 * output's order), the windows that touch the horizon, and the
 * certificates' spans of whole months.  Events are kept sparse (sorted by
 * key and month, not an array per key and month), so a long horizon costs
 * its output rows, not keys times months of memory up front.
 *
 * extension/demand.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "common/int.h"
#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

#include "mentor.h"

PG_FUNCTION_INFO_V1(mentor_demand);

/*
 * Every site and profession planned, with a mentor, or with a production
 * mentee ever: the first two are small; the third would join every
 * pairing to its mentee, so it is asked only of the employees' site and
 * profession groups the first two miss (a skip scan of
 * employee_site_profession_idx), and for each only until one mentee shows
 * (the OFFSET 0s keep the groups known out first, and that EXISTS a probe
 * per group: flattened into a semi-join it would join every employee to
 * every pairing again).
 */
static MentorQuery keys_query = {
	.sql = "WITH RECURSIVE known AS ("
	"  SELECT h.site, h.profession FROM mentor.hiring_plan h GROUP BY 1, 2"
	"  UNION"
	"  SELECT e.site, e.profession FROM mentor.mentor m"
	"  JOIN mentor.employee e ON e.employee_id OPERATOR(pg_catalog.=) m.employee_id"
	"  WHERE e.site IS NOT NULL AND e.profession IS NOT NULL GROUP BY 1, 2"
	"), groups AS ("
	"  (SELECT e.site, e.profession FROM mentor.employee e"
	"   WHERE e.site IS NOT NULL AND e.profession IS NOT NULL"
	"   ORDER BY e.site, e.profession LIMIT 1)"
	"  UNION ALL"
	"  SELECT n.site, n.profession FROM groups g"
	"  CROSS JOIN LATERAL (SELECT e.site, e.profession FROM mentor.employee e"
	"    WHERE ROW(e.site, e.profession) OPERATOR(pg_catalog.>) ROW(g.site, g.profession)"
	"      AND e.profession IS NOT NULL"
	"    ORDER BY e.site, e.profession LIMIT 1) n"
	")"
	" SELECT k.site, k.profession FROM ("
	"  SELECT site, profession FROM known"
	"  UNION ALL"
	"  SELECT g.site, g.profession FROM (SELECT g.site, g.profession FROM groups g"
	"    WHERE NOT EXISTS (SELECT 1 FROM known n"
	"      WHERE n.site OPERATOR(pg_catalog.=) g.site"
	"        AND n.profession OPERATOR(pg_catalog.=) g.profession) OFFSET 0) g"
	"  WHERE EXISTS (SELECT 1 FROM mentor.employee e"
	"      WHERE e.site OPERATOR(pg_catalog.=) g.site"
	"        AND e.profession OPERATOR(pg_catalog.=) g.profession"
	"        AND EXISTS (SELECT 1 FROM mentor.pairing p"
	"          WHERE p.mentee_id OPERATOR(pg_catalog.=) e.employee_id"
	"            AND p.program OPERATOR(pg_catalog.=) 'production')"
	"      OFFSET 0)) k"
	" ORDER BY k.site, k.profession",
	.nargs = 0,
	.read_only = true
};

/*
 * The mentee windows that overlap [$1, $2), clipped to it: planned hires
 * for the profession's onboarding weeks, production pairings through
 * their end or, while open, their onboarding weeks.  Empty windows count
 * nothing (the pairing rules never make one).  An open pairing started
 * longer ago than the longest onboarding is left out before its mentee is
 * read: most of a mine's pairings are history.  (Compared as a difference
 * of days, which cannot leave the date range as $1 - weeks could.)
 */
static MentorQuery windows_query = {
	.sql = "SELECT w.site, w.profession, GREATEST(w.start, $1), LEAST(w.stop, $2), w.weight"
	" FROM (SELECT h.site, h.profession, h.month AS start,"
	"    h.month OPERATOR(pg_catalog.+) (7 OPERATOR(pg_catalog.*) pr.onboarding_weeks) AS stop,"
	"    h.planned_hires AS weight"
	"  FROM mentor.hiring_plan h"
	"  JOIN mentor.profession pr ON pr.profession OPERATOR(pg_catalog.=) h.profession"
	"  WHERE h.planned_hires OPERATOR(pg_catalog.<>) 0"
	"  UNION ALL"
	"  SELECT e.site, e.profession, p.started_on,"
	"    coalesce(p.ended_on OPERATOR(pg_catalog.+) 1,"
	"      p.started_on OPERATOR(pg_catalog.+) (7 OPERATOR(pg_catalog.*) pr.onboarding_weeks)),"
	"    1"
	"  FROM mentor.pairing p"
	"  JOIN mentor.employee e ON e.employee_id OPERATOR(pg_catalog.=) p.mentee_id"
	"  LEFT JOIN mentor.profession pr ON pr.profession OPERATOR(pg_catalog.=) e.profession"
	"  WHERE p.program OPERATOR(pg_catalog.=) 'production'"
	"    AND p.status OPERATOR(pg_catalog.=) ANY ('{active,ended}'::text[])"
	"    AND (p.ended_on OPERATOR(pg_catalog.>=) $1"
	"      OR (p.ended_on IS NULL AND (p.started_on OPERATOR(pg_catalog.-) $1) OPERATOR(pg_catalog.>)"
	"        (SELECT -7 OPERATOR(pg_catalog.*) pg_catalog.max(x.onboarding_weeks)"
	"          FROM mentor.profession x)))) w"
	" WHERE w.start OPERATOR(pg_catalog.<) $2 AND w.stop OPERATOR(pg_catalog.>) $1"
	"   AND w.start OPERATOR(pg_catalog.<) w.stop",
	.nargs = 2,
	.argtypes = {DATEOID, DATEOID},
	.read_only = true
};

/*
 * Each certificate of a mentor as the whole months of [$1, $2) it makes
 * its holder available in, by mentor and first month.
 */
static MentorQuery spans_query = {
	.sql = "SELECT x.site, x.profession, x.employee_id, x.first_month, x.end_month"
	" FROM (SELECT e.site, e.profession, m.employee_id,"
	"    GREATEST($1, (pg_catalog.date_trunc('month',"
	"      (GREATEST(m.approved_on, c.issued_on) OPERATOR(pg_catalog.-) 1)::timestamp)"
	"      OPERATOR(pg_catalog.+) interval '1 month')::date) AS first_month,"
	"    LEAST($2, pg_catalog.date_trunc('month', LEAST(c.valid_until OPERATOR(pg_catalog.+) 1,"
	"      c.revoked_on, m.retired_on, e.dismissed_on)::timestamp)::date) AS end_month"
	"  FROM mentor.mentor m"
	"  JOIN mentor.employee e ON e.employee_id OPERATOR(pg_catalog.=) m.employee_id"
	"  JOIN mentor.certificate c ON c.employee_id OPERATOR(pg_catalog.=) m.employee_id"
	"  WHERE e.site IS NOT NULL AND e.profession IS NOT NULL) x"
	" WHERE x.first_month OPERATOR(pg_catalog.<) x.end_month"
	" ORDER BY x.employee_id, x.first_month",
	.nargs = 2,
	.argtypes = {DATEOID, DATEOID},
	.read_only = true
};

/* mentees one mentor of the production programme takes at once */
static MentorQuery program_query = {
	.sql = "SELECT g.max_mentees FROM mentor.program g"
	" WHERE g.code OPERATOR(pg_catalog.=) 'production'",
	.nargs = 0,
	.read_only = true
};

/*
 * A site and profession, as bytes (the texts' own, not copied, while an
 * SPI row is looked up): the hash key of the keys read.  Equality is
 * bytewise, as it is for text under any deterministic collation.
 */
typedef struct DemandKey
{
	const char *site;
	int			site_len;
	const char *profession;
	int			profession_len;
} DemandKey;

typedef struct DemandKeyEntry
{
	DemandKey	key;
	int			index;			/* rank in the output's order */
} DemandKeyEntry;

/* what changes in one month of one key */
typedef struct DemandEvent
{
	int			key;
	int			month;			/* months after the horizon's first */
	int64		load;			/* weight of the windows opened (closed: -) */
	int64		load_days;		/* the same times days to the month's end */
	int			step;			/* mentors available from the month: +1, -1 */
} DemandEvent;

typedef struct Demand
{
	MemoryContext cxt;
	int			lo_year;		/* the horizon's first month */
	int			lo_month;
	int			months;			/* its length in months */
	DateADT		hi;				/* the day after it */
	int			nkeys;
	Datum	   *sites;			/* by key index, as text */
	Datum	   *professions;
	HTAB	   *index;			/* DemandKey -> DemandKeyEntry */
	DemandEvent *events;
	Size		nevents;
	Size		maxevents;	/* huge: grows by doubling */
	Datum		per_mentor;		/* max_mentees * availability, numeric */
	bool		per_mentor_null;	/* no production programme */
} Demand;

static uint32
key_hash(const void *key, Size keysize)
{
	const DemandKey *k = key;

	return hash_combine(hash_bytes((const unsigned char *) k->site, k->site_len),
						hash_bytes((const unsigned char *) k->profession,
								   k->profession_len));
}

static int
key_match(const void *key1, const void *key2, Size keysize)
{
	const DemandKey *a = key1;
	const DemandKey *b = key2;

	if (a->site_len != b->site_len || a->profession_len != b->profession_len)
		return 1;
	return memcmp(a->site, b->site, a->site_len) != 0 ||
		memcmp(a->profession, b->profession, a->profession_len) != 0;
}

/* the month a day falls in, as year and month */
static void
month_of(DateADT day, int *year, int *month)
{
	int			d;

	j2date(day + POSTGRES_EPOCH_JDATE, year, month, &d);
}

/* index of the month a day of the horizon falls in */
static int
month_index(Demand *dm, DateADT day)
{
	int			y,
				m;

	month_of(day, &y, &m);
	return (y - dm->lo_year) * 12 + (m - dm->lo_month);
}

/* the first day of month i of the horizon (i = months: the day after it) */
static DateADT
month_start(Demand *dm, int i)
{
	int			m = dm->lo_month - 1 + i;

	return date2j(dm->lo_year + m / 12, m % 12 + 1, 1) - POSTGRES_EPOCH_JDATE;
}

static void
add_event(Demand *dm, int key, int month, int64 load, int64 load_days, int step)
{
	DemandEvent *ev;

	if (dm->nevents == dm->maxevents)
	{
		dm->maxevents *= 2;
		dm->events = repalloc_huge(dm->events,
								   sizeof(DemandEvent) * dm->maxevents);
	}
	ev = &dm->events[dm->nevents++];
	ev->key = key;
	ev->month = month;
	ev->load = load;
	ev->load_days = load_days;
	ev->step = step;
}

/* a window's weight, from a day of the horizon to its month's end */
static void
add_load(Demand *dm, int key, DateADT day, int64 weight)
{
	int			i = month_index(dm, day);
	int64		days = month_start(dm, i + 1) - day;

	add_event(dm, key, i, weight, weight * days, 0);
}

/* a text column of an SPI row as key bytes; false when NULL */
static bool
row_text(uint64 row, int col, const char **bytes, int *len)
{
	bool		isnull;
	Datum		value = mentor_spi_value(row, col, &isnull);
	text	   *t;

	if (isnull)
		return false;
	t = DatumGetTextPP(value);
	*bytes = VARDATA_ANY(t);
	*len = VARSIZE_ANY_EXHDR(t);
	return true;
}

/* the key of an SPI row's site and profession (columns 1, 2), or -1 */
static int
row_key(Demand *dm, uint64 row)
{
	DemandKey	key;
	DemandKeyEntry *entry;

	if (!row_text(row, 1, &key.site, &key.site_len) ||
		!row_text(row, 2, &key.profession, &key.profession_len))
		return -1;
	entry = hash_search(dm->index, &key, HASH_FIND, NULL);
	return entry ? entry->index : -1;
}

static void
read_keys(Demand *dm)
{
	uint64		n = mentor_query_run(&keys_query, NULL, NULL, 0);
	HASHCTL		ctl;
	MemoryContext old;

	if (n > (uint64) (MaxAllocSize / sizeof(Datum)))
		elog(ERROR, "too many sites and professions: " UINT64_FORMAT, n);
	old = MemoryContextSwitchTo(dm->cxt);
	ctl.keysize = sizeof(DemandKey);
	ctl.entrysize = sizeof(DemandKeyEntry);
	ctl.hash = key_hash;
	ctl.match = key_match;
	ctl.hcxt = dm->cxt;
	dm->index = hash_create("mentor_demand keys", Max(n, 16), &ctl,
							HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	dm->nkeys = (int) n;
	dm->sites = palloc(sizeof(Datum) * Max(n, 1));
	dm->professions = palloc(sizeof(Datum) * Max(n, 1));
	for (uint64 row = 0; row < n; row++)
	{
		bool		isnull;
		text	   *site = DatumGetTextPCopy(mentor_spi_value(row, 1, &isnull));
		text	   *profession = DatumGetTextPCopy(mentor_spi_value(row, 2, &isnull));
		DemandKey	key;
		DemandKeyEntry *entry;
		bool		found;

		CHECK_FOR_INTERRUPTS();
		key.site = VARDATA_ANY(site);
		key.site_len = VARSIZE_ANY_EXHDR(site);
		key.profession = VARDATA_ANY(profession);
		key.profession_len = VARSIZE_ANY_EXHDR(profession);
		entry = hash_search(dm->index, &key, HASH_ENTER, &found);
		entry->index = (int) row;
		dm->sites[row] = PointerGetDatum(site);
		dm->professions[row] = PointerGetDatum(profession);
	}
	MemoryContextSwitchTo(old);
}

static void
read_windows(Demand *dm, Datum *bounds)
{
	uint64		n = mentor_query_run(&windows_query, bounds, NULL, 0);

	for (uint64 row = 0; row < n; row++)
	{
		int			key = row_key(dm, row);
		bool		isnull;
		DateADT		a,
					z;
		int64		weight;

		CHECK_FOR_INTERRUPTS();
		if (key < 0)
			continue;
		a = DatumGetDateADT(mentor_spi_value(row, 3, &isnull));
		z = DatumGetDateADT(mentor_spi_value(row, 4, &isnull));
		weight = DatumGetInt32(mentor_spi_value(row, 5, &isnull));
		add_load(dm, key, a, weight);
		if (z < dm->hi)
			add_load(dm, key, z, -weight);
	}
}

/*
 * Islands of whole months per mentor: the rows come by mentor and first
 * month, so an island ends where the next row starts after every row
 * before it ended (adjacent spans run on, as range_agg merged them).
 */
static void
read_spans(Demand *dm, Datum *bounds)
{
	uint64		n = mentor_query_run(&spans_query, bounds, NULL, 0);
	int64		mentor = 0;
	int			key = -1;
	DateADT		reach = 0;

	for (uint64 row = 0; row < n; row++)
	{
		bool		isnull;
		int64		employee = DatumGetInt64(mentor_spi_value(row, 3, &isnull));
		DateADT		first = DatumGetDateADT(mentor_spi_value(row, 4, &isnull));
		DateADT		end = DatumGetDateADT(mentor_spi_value(row, 5, &isnull));

		CHECK_FOR_INTERRUPTS();
		if (key >= 0 && (employee != mentor || first > reach))
		{
			if (reach < dm->hi)
				add_event(dm, key, month_index(dm, reach), 0, 0, -1);
			key = -1;
		}
		if (key < 0)
		{
			mentor = employee;
			key = row_key(dm, row);
			if (key < 0)
				continue;
			add_event(dm, key, month_index(dm, first), 0, 0, 1);
			reach = end;
		}
		else if (end > reach)
			reach = end;
	}
	if (key >= 0 && reach < dm->hi)
		add_event(dm, key, month_index(dm, reach), 0, 0, -1);
}

/* max_mentees * mentor.availability, kept in the demand's context */
static void
read_per_mentor(Demand *dm)
{
	uint64		n = mentor_query_run(&program_query, NULL, NULL, 0);
	Datum		max_mentees;
	MemoryContext old;

	dm->per_mentor_null = true;
	if (n == 0)
		return;
	max_mentees = mentor_spi_value(0, 1, &dm->per_mentor_null);
	if (dm->per_mentor_null)
		return;
	old = MemoryContextSwitchTo(dm->cxt);
	dm->per_mentor =
		DirectFunctionCall2(numeric_mul,
							NumericGetDatum(int64_to_numeric(DatumGetInt32(max_mentees))),
							DirectFunctionCall1(float8_numeric,
												Float8GetDatum(mentor_availability)));
	MemoryContextSwitchTo(old);
}

static int
event_cmp(const void *a, const void *b)
{
	const DemandEvent *x = a;
	const DemandEvent *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->month != y->month)
		return x->month < y->month ? -1 : 1;
	return 0;
}

/* the int64 arithmetic of put_rows overflowed: say so, as numeric would */
static void
check_range(bool overflow)
{
	if (overflow)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("expected mentees out of range")));
}

/* one output row: month i of key k, its weighted days and mentors */
static void
put_row(Demand *dm, ReturnSetInfo *rsinfo, int k, int i,
		int64 weighted_days, int64 available)
{
	DateADT		start = month_start(dm, i);
	int64		days = month_start(dm, i + 1) - start;
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};
	Datum		expected;

	expected = DirectFunctionCall2(numeric_div,
								   NumericGetDatum(int64_to_numeric(weighted_days)),
								   NumericGetDatum(int64_to_numeric(days)));
	values[0] = dm->sites[k];
	values[1] = dm->professions[k];
	values[2] = DateADTGetDatum(start);
	values[3] = DirectFunctionCall2(numeric_round, expected, Int32GetDatum(4));
	values[5] = Int32GetDatum((int32) available);
	if (dm->per_mentor_null)
		nulls[4] = nulls[6] = true;
	else
	{
		Datum		share = DirectFunctionCall2(numeric_div, expected,
												dm->per_mentor);
		int32		required;

		required = DatumGetInt32(DirectFunctionCall1(numeric_int4,
													 DirectFunctionCall1(numeric_ceil, share)));
		values[4] = Int32GetDatum(required);
		values[6] = Int32GetDatum(required - (int32) available);
	}
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * Every key's every month, in order: the events come sorted by key and
 * month, so one pass keeps the running sums.  The numeric work of a row is
 * freed after it (the row is copied into the tuplestore).
 */
static void
put_rows(Demand *dm, ReturnSetInfo *rsinfo)
{
	MemoryContext row_cxt = AllocSetContextCreate(dm->cxt, "mentor_demand row",
												  ALLOCSET_SMALL_SIZES);
	MemoryContext old = MemoryContextSwitchTo(row_cxt);
	Size		e = 0;

	for (int k = 0; k < dm->nkeys; k++)
	{
		int64		open = 0;
		int64		available = 0;

		for (int i = 0; i < dm->months; i++)
		{
			int64		days = month_start(dm, i + 1) - month_start(dm, i);
			int64		weighted;

			CHECK_FOR_INTERRUPTS();
			check_range(pg_mul_s64_overflow(open, days, &weighted));
			for (; e < dm->nevents && dm->events[e].key == k &&
				 dm->events[e].month == i; e++)
			{
				check_range(pg_add_s64_overflow(weighted, dm->events[e].load_days,
												&weighted));
				check_range(pg_add_s64_overflow(open, dm->events[e].load, &open));
				available += dm->events[e].step;
			}
			put_row(dm, rsinfo, k, i, weighted, available);
			MemoryContextReset(row_cxt);
		}
	}
	MemoryContextSwitchTo(old);
}

/*
 * SQL: mentor.mentor_demand(from_month date, to_month date), STRICT: the
 * months from from_month's through to_month's; none when to_month is
 * before from_month.
 */
Datum
mentor_demand(PG_FUNCTION_ARGS)
{
	DateADT		from = PG_GETARG_DATEADT(0);
	DateADT		to = PG_GETARG_DATEADT(1);
	Demand		dm;
	Datum		bounds[2];
	int			to_year,
				to_month;

	InitMaterializedSRF(fcinfo, 0);
	if (DATE_NOT_FINITE(from) || DATE_NOT_FINITE(to))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the planning horizon must be finite")));
	memset(&dm, 0, sizeof(dm));
	month_of(from, &dm.lo_year, &dm.lo_month);
	month_of(to, &to_year, &to_month);
	dm.months = (to_year - dm.lo_year) * 12 + (to_month - dm.lo_month) + 1;
	if (dm.months <= 0)
		return (Datum) 0;
	dm.hi = month_start(&dm, dm.months);
	bounds[0] = DateADTGetDatum(month_start(&dm, 0));
	bounds[1] = DateADTGetDatum(dm.hi);

	dm.cxt = AllocSetContextCreate(CurrentMemoryContext, "mentor_demand",
								   ALLOCSET_DEFAULT_SIZES);
	dm.maxevents = 1024;
	dm.events = MemoryContextAllocHuge(dm.cxt,
									   sizeof(DemandEvent) * dm.maxevents);

	mentor_spi_connect();
	read_keys(&dm);
	read_windows(&dm, bounds);
	read_spans(&dm, bounds);
	read_per_mentor(&dm);
	mentor_spi_finish();

	qsort(dm.events, dm.nevents, sizeof(DemandEvent), event_cmp);
	put_rows(&dm, (ReturnSetInfo *) fcinfo->resultinfo);
	MemoryContextDelete(dm.cxt);
	return (Datum) 0;
}
