/*-------------------------------------------------------------------------
 *
 * program.c
 *	  Cache of programme rule parameters.
 *
 * Rule triggers need a programme's parameters for every row they check.
 * They are read once per backend and kept until mentor.program changes:
 * a statement trigger on that table sends a relcache invalidation for it,
 * which reaches this backend at the next command and every other backend
 * at commit, and the callback below drops the cache.
 *
 * extension/program.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "mentor.h"
#include "program.h"

/* a programme's parameters, by code */
static MentorQuery program_query = {
	"SELECT max_mentees, min_grade_gap_same_area, min_grade_gap_other_area,"
	" min_days_between_sessions, max_session_minutes, min_sessions,"
	" notice_working_days, requires_certificate, requires_agreement,"
	" same_profession"
	" FROM mentor.program WHERE code" EQ "$1",
	1, {TEXTOID}, true, NULL
};

static MemoryContext program_context = NULL;
static List *programs = NIL;
static Oid	program_relid = InvalidOid;	/* mentor.program, once cached */

PG_FUNCTION_INFO_V1(mentor_program_changed);

/*
 * Drop the cache when mentor.program changes (or on a reset of all
 * relcaches, relid InvalidOid).  Invalidations of other relations, which
 * GRANT, ANALYZE or a temporary table send all the time, leave it alone.
 */
static void
program_cache_reset(Datum arg, Oid relid)
{
	if (OidIsValid(relid) && relid != program_relid)
		return;
	if (program_context != NULL)
		MemoryContextReset(program_context);
	programs = NIL;
}

void
mentor_program_cache_init(void)
{
	CacheRegisterRelcacheCallback(program_cache_reset, (Datum) 0);
}

static MentorParam
param_from(int col)
{
	MentorParam p;
	bool		isnull;
	Datum		d = mentor_spi_value(0, col, &isnull);

	p.set = !isnull;
	p.value = isnull ? 0 : DatumGetInt32(d);
	return p;
}

static bool
flag_from(int col)
{
	bool		isnull;
	Datum		d = mentor_spi_value(0, col, &isnull);

	return !isnull && DatumGetBool(d);
}

/*
 * Copy the parameters of a programme into *out.  A copy, because an
 * invalidation may reset the cache while the caller still runs queries.
 * An unknown code is the error a foreign key would give.
 */
void
mentor_program(const char *code, MentorProgram *out)
{
	ListCell   *lc;
	MentorProgram *p;
	MemoryContext old;
	Datum		arg;

	foreach(lc, programs)
	{
		p = (MentorProgram *) lfirst(lc);
		if (strcmp(p->code, code) == 0)
		{
			*out = *p;
			out->code = unconstify(char *, code);
			return;
		}
	}

	mentor_spi_connect();
	/* before the read: a change committed after it must reach the filter */
	program_relid = get_relname_relid("program", get_namespace_oid("mentor", false));
	arg = CStringGetTextDatum(code);
	if (mentor_query_run(&program_query, &arg, NULL, 1) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("programme \"%s\" does not exist", code),
				 errhint("Use a code from mentor.program.")));

	if (program_context == NULL)
		program_context = AllocSetContextCreate(CacheMemoryContext,
												"mentor programme cache",
												ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(program_context);
	p = palloc0(sizeof(MentorProgram));
	p->code = pstrdup(code);
	p->max_mentees = param_from(1);
	p->gap_same_area = param_from(2);
	p->gap_other_area = param_from(3);
	p->min_days_between = param_from(4);
	p->max_session_minutes = param_from(5);
	p->min_sessions = param_from(6);
	p->notice_working_days = param_from(7);
	p->requires_certificate = flag_from(8);
	p->requires_agreement = flag_from(9);
	p->same_profession = flag_from(10);
	programs = lappend(programs, p);
	MemoryContextSwitchTo(old);
	mentor_spi_finish();
	*out = *p;
	out->code = unconstify(char *, code);
}

/*
 * Whether a programme code exists now, read past the cache (which keeps a
 * renamed code until the renaming statement ends).
 */
bool
mentor_program_exists(const char *code)
{
	Datum		arg = CStringGetTextDatum(code);
	uint64		n;

	mentor_spi_connect();
	n = mentor_query_run(&program_query, &arg, NULL, 1);
	mentor_spi_finish();
	return n > 0;
}

/*
 * Statement trigger on mentor.program: make every backend re-read it.
 */
Datum
mentor_program_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"program_changed\" was not called by trigger manager")));
	CacheInvalidateRelcache(trigdata->tg_relation);
	program_cache_reset((Datum) 0, InvalidOid);
	return PointerGetDatum(NULL);
}
