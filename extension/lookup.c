/*-------------------------------------------------------------------------
 *
 * lookup.c
 *	  Direct index scans for the reads rule checks make on every row.
 *
 * A rule check locks one or two rows (the people, the pairing) and reads a
 * handful more by a leading index key (a mentor's pairings, a pair's
 * sessions near a day, an employee's certificates).  Going through SPI
 * would start an executor per read, which costs more than the insert being
 * checked; a plain index scan does not.
 *
 * Concurrency, the ri_triggers.c way: a trigger first locks the row every
 * writer of its rule locks too, then reads with a snapshot taken after the
 * lock was granted.  At REPEATABLE READ the transaction snapshot predates
 * the lock and would not show what the writer we waited for committed, so
 * every read here uses the latest snapshot, taken after a command counter
 * increment so that rows written earlier by the same statement are seen
 * too.
 *
 * extension/lookup.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "mentor.h"

/* the snapshot of a group of reads, between mentor_reads_begin and _end */
static Snapshot group_snapshot = NULL;

/* the group reads on a SQL caller's behalf: table privileges apply */
static bool group_for_caller = false;

/*
 * The indexes in use, with their OIDs: resolved on first use and forgotten
 * when an invalidation names one of them (a dropped and recreated extension
 * has new ones).  A scan copies them before opening anything: opening a
 * relation processes pending invalidations, which may run the callback
 * below in the middle of a scan's set-up.
 */
static MentorIndex *indexes_in_use = NULL;
static bool callback_registered = false;

static void
lookup_invalidate(Datum arg, Oid relid)
{
	MentorIndex *i;

	for (i = indexes_in_use; i != NULL; i = i->next)
	{
		if (relid == InvalidOid || relid == i->table_oid || relid == i->index_oid)
		{
			i->table_oid = InvalidOid;
			i->index_oid = InvalidOid;
		}
	}
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
 * A snapshot for reads that must see everything committed so far and what
 * this statement wrote so far, as an SPI query would (registered; the
 * caller unregisters it).
 */
Snapshot
mentor_read_snapshot(void)
{
	CommandCounterIncrement();
	return RegisterSnapshot(GetLatestSnapshot());
}

/*
 * Several reads that belong together (the facts of one pairing check) can
 * share one snapshot: begin before the first, end after the last, with
 * PG_FINALLY around them so that an error cannot leave it set.
 */
void
mentor_reads_begin(void)
{
	Assert(group_snapshot == NULL);
	group_snapshot = mentor_read_snapshot();
}

/*
 * The same for reads on behalf of a SQL function (certificate_valid,
 * add_working_days): they see what the calling statement sees, its active
 * snapshot, and never bump the command counter in the middle of it.
 */
void
mentor_reads_begin_statement(void)
{
	Assert(group_snapshot == NULL);
	group_snapshot = RegisterSnapshot(GetActiveSnapshot());
	group_for_caller = true;
}

void
mentor_reads_end(void)
{
	if (group_snapshot != NULL)
		UnregisterSnapshot(group_snapshot);
	group_snapshot = NULL;
	group_for_caller = false;
}

/*
 * Reads made for a SQL function's caller need the caller's SELECT right, as
 * the same query in SQL would: table_open and index scans check none, and a
 * function that reads by id would otherwise hand anyone with USAGE on the
 * schema every name and personnel number.  Rule triggers read without it:
 * a rule holds whatever the writer may read.
 */
static void
check_caller_may_read(Relation heap)
{
	AclResult	aclresult;

	aclresult = pg_class_aclcheck(RelationGetRelid(heap), GetUserId(), ACL_SELECT);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_TABLE, RelationGetRelationName(heap));

	/*
	 * An index scan cannot apply row-level security policies: where they
	 * bind the caller, refuse rather than show rows a policy hides.
	 */
	if (check_enable_rls(RelationGetRelid(heap), InvalidOid, true) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("row-level security on table \"%s\" binds this role",
						RelationGetRelationName(heap)),
				 errdetail("This function reads rows by key and cannot apply the table's policies."),
				 errhint("Call it as a role the policies do not bind (BYPASSRLS or the table's owner), or read the data through the views and SQL functions, which apply them.")));
}

typedef struct LookupScan
{
	Relation	heap;
	Relation	index;
	Snapshot	snapshot;
	bool		own_snapshot;	/* registered by scan_begin */
	TupleTableSlot *slot;
	IndexScanDesc scan;
} LookupScan;

/*
 * Start an index scan.  snapshot NULL: the group's, or a fresh one (see
 * mentor_read_snapshot); otherwise the caller's, which it keeps registered.
 */
static void
scan_begin(LookupScan *st, MentorIndex *which, ScanKey keys, int nkeys,
		   Snapshot snapshot)
{
	Oid			table_oid = which->table_oid;
	Oid			index_oid = which->index_oid;

	if (!OidIsValid(table_oid) || !OidIsValid(index_oid))
	{
		if (!callback_registered)
		{
			CacheRegisterRelcacheCallback(lookup_invalidate, (Datum) 0);
			callback_registered = true;
		}
		if (!which->listed)
		{
			which->next = indexes_in_use;
			indexes_in_use = which;
			which->listed = true;
		}
		table_oid = mentor_relid(which->table);
		index_oid = mentor_relid(which->index);
		which->table_oid = table_oid;
		which->index_oid = index_oid;
	}
	/* the locals, not the arrays: table_open may run lookup_invalidate */
	st->heap = table_open(table_oid, AccessShareLock);
	st->index = index_open(index_oid, AccessShareLock);
	if (snapshot == NULL && group_for_caller)
		check_caller_may_read(st->heap);

	st->own_snapshot = (snapshot == NULL && group_snapshot == NULL);
	st->snapshot = snapshot ? snapshot :
		group_snapshot ? group_snapshot : mentor_read_snapshot();

	st->slot = table_slot_create(st->heap, NULL);
#if PG_VERSION_NUM >= 180000
	/* 18 takes an instrumentation struct for EXPLAIN: none here */
	st->scan = index_beginscan(st->heap, st->index, st->snapshot, NULL, nkeys, 0);
#else
	st->scan = index_beginscan(st->heap, st->index, st->snapshot, nkeys, 0);
#endif
	index_rescan(st->scan, keys, nkeys, NULL, 0);
}

static void
scan_end(LookupScan *st)
{
	index_endscan(st->scan);
	ExecDropSingleTupleTableSlot(st->slot);
	if (st->own_snapshot)
		UnregisterSnapshot(st->snapshot);
	/* keep the locks to the end of the transaction, as the executor does */
	index_close(st->index, NoLock);
	table_close(st->heap, NoLock);
}

/*
 * Visit the rows of a table that match keys on one of its indexes, in index
 * order, until visit returns false.  Scan key attribute numbers are index
 * columns.
 */
void
mentor_index_scan(MentorIndex *which, ScanKey keys, int nkeys,
				  MentorVisit visit, void *arg)
{
	LookupScan	st;

	scan_begin(&st, which, keys, nkeys, NULL);
	while (index_getnext_slot(st.scan, ForwardScanDirection, st.slot))
	{
		if (!visit(st.slot, arg))
			break;
	}
	scan_end(&st);
}

/*
 * Visit the row a unique key finds, as the active snapshot sees it (a plain
 * read, for reports, exports and imports).  Returns false when there is no
 * such row.
 */
static bool
get_row(MentorIndex *which, ScanKey key, MentorVisit visit, void *arg)
{
	LookupScan	st;
	bool		found;

	scan_begin(&st, which, key, 1, GetActiveSnapshot());
	check_caller_may_read(st.heap);
	found = index_getnext_slot(st.scan, ForwardScanDirection, st.slot);
	if (found)
		visit(st.slot, arg);
	scan_end(&st);
	return found;
}

/* a scan key for the bigint leading column of an index */
void
mentor_key_id(ScanKey key, int64 id)
{
	ScanKeyInit(key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(id));
}

bool
mentor_get_row(MentorIndex *which, int64 id, MentorVisit visit, void *arg)
{
	ScanKeyData key;

	mentor_key_id(&key, id);
	return get_row(which, &key, visit, arg);
}

/* the same through a unique index on a text column (personnel_no, number) */
bool
mentor_get_row_by_text(MentorIndex *which, const char *value, MentorVisit visit,
					   void *arg)
{
	ScanKeyData key;

	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   DEFAULT_COLLATION_OID, F_TEXTEQ,
						   CStringGetTextDatum(value));
	return get_row(which, &key, visit, arg);
}

/*
 * Lock the row whose bigint key is id, through the table's primary key, FOR
 * NO KEY UPDATE (foreign-key checks, which lock FOR KEY SHARE, are not
 * blocked), waiting for other lockers as SELECT ... FOR NO KEY UPDATE does,
 * and visit the locked version.  Returns false when there is no such row.
 *
 * As in ExecLockRows: at READ COMMITTED a row updated meanwhile is followed
 * to its newest version; at REPEATABLE READ that is a serialization failure.
 */
/* lock the row version the scan's slot holds; false when it is gone */
static bool
lock_current(LookupScan *st, TupleTableSlot *locked, MentorVisit visit, void *arg)
{
	TM_FailureData tmfd;
	TM_Result	result;

	result = table_tuple_lock(st->heap, &st->slot->tts_tid, st->snapshot, locked,
							  GetCurrentCommandId(true), LockTupleNoKeyExclusive,
							  LockWaitBlock,
							  IsolationUsesXactSnapshot() ? 0 :
							  TUPLE_LOCK_FLAG_FIND_LAST_VERSION,
							  &tmfd);
	switch (result)
	{
		case TM_Ok:
			visit(locked, arg);
			return true;
		case TM_SelfModified:
			/* this transaction changed the row: it is ours already */
			visit(st->slot, arg);
			return true;
		case TM_Updated:
		case TM_Deleted:
			if (IsolationUsesXactSnapshot())
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("could not serialize access due to concurrent update")));
			return false;		/* deleted meanwhile */
		default:
			elog(ERROR, "unexpected table_tuple_lock status: %u", result);
	}
	return false;
}

/*
 * Lock the rows whose bigint keys are ids, through the table's primary key,
 * in key order (so that two lockers of the same rows cannot deadlock), FOR
 * NO KEY UPDATE (foreign-key checks, which lock FOR KEY SHARE, are not
 * blocked), waiting for other lockers as SELECT ... FOR NO KEY UPDATE does,
 * and visit each locked version.  Returns how many rows were locked.
 *
 * As in ExecLockRows: at READ COMMITTED a row updated meanwhile is followed
 * to its newest version; at REPEATABLE READ that is a serialization failure.
 */
int
mentor_lock_rows(MentorIndex *which, const int64 *ids, int n,
				 MentorVisit visit, void *arg)
{
	LookupScan	st;
	ScanKeyData key;
	Datum	   *elems = palloc(n * sizeof(Datum));
	TupleTableSlot *locked;
	int			nlocked = 0;
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = Int64GetDatum(ids[i]);
	/* one scan for all keys: btree returns them in key order */
	ScanKeyEntryInitialize(&key, SK_SEARCHARRAY, 1, BTEqualStrategyNumber,
						   INT8OID, InvalidOid, F_INT8EQ,
						   PointerGetDatum(construct_array(elems, n, INT8OID, sizeof(int64),
														   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE)));
	scan_begin(&st, which, &key, 1, NULL);
	locked = table_slot_create(st.heap, NULL);
	while (index_getnext_slot(st.scan, ForwardScanDirection, st.slot))
	{
		if (lock_current(&st, locked, visit, arg))
			nlocked++;
	}
	ExecDropSingleTupleTableSlot(locked);
	scan_end(&st);
	return nlocked;
}

bool
mentor_lock_row(MentorIndex *which, int64 id, MentorVisit visit, void *arg)
{
	return mentor_lock_rows(which, &id, 1, visit, arg) == 1;
}

#define ATTNUM_CACHE_SIZE 64

typedef struct AttnumCacheEntry
{
	Oid			rowtype;
	const char *name;			/* a string literal: compared by address */
	AttrNumber	attnum;
} AttnumCacheEntry;

static AttnumCacheEntry attnum_cache[ATTNUM_CACHE_SIZE];

/*
 * The number of a column of one of the extension's tables, by name, so that
 * the C does not depend on column order.  Triggers and visitors ask for
 * every row, so the answer is cached per table row type: a column's number
 * never changes for a table's life, and a recreated table has a new row
 * type.  name must be a string literal (its address is the key).
 */
int
mentor_attnum_cached(TupleDesc desc, const char *name)
{
	AttnumCacheEntry *e;

	e = &attnum_cache[(((uintptr_t) name >> 3) ^ desc->tdtypeid) % ATTNUM_CACHE_SIZE];
	if (!OidIsValid(desc->tdtypeid))
		return mentor_attnum(desc, name);
	if (e->rowtype != desc->tdtypeid || e->name != name ||
		e->attnum > desc->natts || TupleDescAttr(desc, e->attnum - 1)->attisdropped)
	{
		e->rowtype = desc->tdtypeid;
		e->name = name;
		e->attnum = mentor_attnum(desc, name);
	}
	return e->attnum;
}

/* a column of a visited row */
Datum
mentor_slot_attr(TupleTableSlot *slot, const char *name, bool *isnull)
{
	return slot_getattr(slot, mentor_attnum_cached(slot->tts_tupleDescriptor, name),
						isnull);
}

/* a text column of a visited row as a C string; NULL for NULL */
char *
mentor_slot_text(TupleTableSlot *slot, const char *name)
{
	bool		isnull;
	Datum		d = mentor_slot_attr(slot, name, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* a date column of a visited row: false, and *value 0, for NULL */
bool
mentor_slot_date(TupleTableSlot *slot, const char *name, DateADT *value)
{
	bool		isnull;
	Datum		d = mentor_slot_attr(slot, name, &isnull);

	*value = isnull ? 0 : DatumGetDateADT(d);
	return !isnull;
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

/* the employee row, which rules from the referenced side lock */
static MentorIndex idx_employee_pkey = MENTOR_INDEX("employee", "employee_pkey");

/*
 * Lock an employee row the way a new pairing does (mentor_lock_rows in
 * pairing.c), so that a change made on that person's behalf and a new
 * pairing of theirs serialise.
 */
static bool
visit_nothing(TupleTableSlot *slot, void *arg)
{
	return false;
}

void
mentor_lock_employee(int64 employee_id)
{
	mentor_lock_row(&idx_employee_pkey, employee_id, visit_nothing, NULL);
}

/*
 * Column number by name; a missing column means the extension's tables do
 * not match its library.
 */
int
mentor_attnum(TupleDesc tupdesc, const char *name)
{
	int			attnum = SPI_fnumber(tupdesc, name);

	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" not found in a mentor table", name),
				 errhint("Run ALTER EXTENSION mentor UPDATE to match the installed library.")));
	return attnum;
}

/* a column of a trigger's tuple (name: a string literal, see lookup.c) */
Datum
mentor_attr(HeapTuple tuple, TupleDesc tupdesc, const char *name, bool *isnull)
{
	return heap_getattr(tuple, mentor_attnum_cached(tupdesc, name), tupdesc, isnull);
}

/*
 * Typed reads of a trigger's tuple.  BEFORE row triggers run before NOT NULL
 * is checked, so every column of a row being written may be NULL, whatever
 * the table says: these are the only way triggers read such a row.
 */

/* a text column as a C string; NULL for NULL */
char *
mentor_attr_text(HeapTuple tuple, TupleDesc tupdesc, const char *name)
{
	bool		isnull;
	Datum		d = mentor_attr(tuple, tupdesc, name, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* a date column: false, and *value 0, for NULL */
bool
mentor_attr_date(HeapTuple tuple, TupleDesc tupdesc, const char *name,
				 DateADT *value)
{
	bool		isnull;
	Datum		d = mentor_attr(tuple, tupdesc, name, &isnull);

	*value = isnull ? 0 : DatumGetDateADT(d);
	return !isnull;
}

/* a bigint column: false, and *value 0, for NULL */
bool
mentor_attr_id(HeapTuple tuple, TupleDesc tupdesc, const char *name,
			   int64 *value)
{
	bool		isnull;
	Datum		d = mentor_attr(tuple, tupdesc, name, &isnull);

	*value = isnull ? 0 : DatumGetInt64(d);
	return !isnull;
}
