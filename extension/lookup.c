/*-------------------------------------------------------------------------
 *
 * lookup.c
 *	  Direct index scans for the reads rule checks make on every row.
 *
 * A rule check reads a handful of rows by a leading index key (a mentor's
 * pairings, a pair's sessions near a day, an employee's certificates).
 * Going through SPI would start an executor per read, which costs more than
 * the insert being checked; a plain index scan does not.  The scans see what
 * a fresh SPI query would: they run after the trigger took its row lock
 * (spi_plans.c), with the latest snapshot and after a command counter
 * increment, so rows written earlier by the same statement and rows of a
 * transaction we waited for are both visible, at any isolation level.
 *
 * extension/lookup.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "executor/tuptable.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "mentor.h"

typedef struct MentorIndexDef
{
	const char *table;
	const char *index;
} MentorIndexDef;

static const MentorIndexDef index_defs[IDX_COUNT] = {
	[IDX_MENTOR_PKEY] = {"mentor", "mentor_pkey"},
	[IDX_CERTIFICATE_EMPLOYEE] = {"certificate", "certificate_employee_idx"},
	[IDX_AGREEMENT_EMPLOYEE] = {"agreement", "agreement_employee_idx"},
	[IDX_PAIRING_MENTOR] = {"pairing", "pairing_mentor_idx"},
	[IDX_PAIRING_MENTEE] = {"pairing", "pairing_mentee_idx"},
	[IDX_SESSION_PAIRING] = {"session", "session_pairing_idx"},
};

/* OIDs, looked up on first use and forgotten on any relcache invalidation */
static Oid	table_oids[IDX_COUNT];
static Oid	index_oids[IDX_COUNT];

void
mentor_lookup_reset(void)
{
	memset(table_oids, 0, sizeof(table_oids));
	memset(index_oids, 0, sizeof(index_oids));
}

static Oid
mentor_relid(const char *name)
{
	Oid			schema = get_namespace_oid("mentor", false);
	Oid			relid = get_relname_relid(name, schema);

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("relation \"mentor.%s\" does not exist", name),
				 errhint("Run ALTER EXTENSION mentor UPDATE to match the installed library.")));
	return relid;
}

/*
 * Visit the rows of a table that match keys on one of its indexes, in index
 * order, until visit returns false.  Scan key attribute numbers are index
 * columns.
 */
void
mentor_index_scan(MentorIndex which, ScanKey keys, int nkeys,
				  MentorVisit visit, void *arg)
{
	Relation	heap;
	Relation	index;
	Snapshot	snapshot;
	TupleTableSlot *slot;
	IndexScanDesc scan;

	if (!OidIsValid(index_oids[which]))
	{
		table_oids[which] = mentor_relid(index_defs[which].table);
		index_oids[which] = mentor_relid(index_defs[which].index);
	}
	heap = table_open(table_oids[which], AccessShareLock);
	index = index_open(index_oids[which], AccessShareLock);

	/* see rows this statement wrote so far, as an SPI query would */
	CommandCounterIncrement();
	snapshot = RegisterSnapshot(GetLatestSnapshot());

	slot = table_slot_create(heap, NULL);
	scan = index_beginscan(heap, index, snapshot, nkeys, 0);
	index_rescan(scan, keys, nkeys, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		if (!visit(slot, arg))
			break;
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snapshot);
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);
}

/*
 * Column access for visitors: by name, so the C does not depend on column
 * order.
 */
Datum
mentor_slot_attr(TupleTableSlot *slot, const char *name, bool *isnull)
{
	return slot_getattr(slot, mentor_attnum(slot->tts_tupleDescriptor, name),
						isnull);
}

/* a text column equals a C string (false for NULL) */
bool
mentor_slot_text_eq(TupleTableSlot *slot, const char *name, const char *value)
{
	bool		isnull;
	Datum		d = mentor_slot_attr(slot, name, &isnull);
	text	   *t;
	size_t		len = strlen(value);
	bool		result;

	if (isnull)
		return false;
	t = DatumGetTextPP(d);
	result = VARSIZE_ANY_EXHDR(t) == len &&
		memcmp(VARDATA_ANY(t), value, len) == 0;
	if ((Pointer) t != DatumGetPointer(d))
		pfree(t);
	return result;
}
