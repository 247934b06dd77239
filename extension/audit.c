/*-------------------------------------------------------------------------
 *
 * audit.c
 *	  The audit log: one row per change of the tables a system of record
 *	  answers for, written in the same transaction by the change's own
 *	  trigger, and kept append-only.
 *
 * The trigger runs as the writer, who need not (and should not) hold any
 * right on mentor.audit_log: like ri_triggers.c, it switches to the table
 * owner's identity for its one INSERT, after taking who made the change
 * (session_user as actor, current_user as role, application_name) and why
 * (mentor.change_reason, or what the change itself says: an end reason, a
 * revocation reason).  The rows of a table are passed as that table's row
 * type and turned into jsonb by the INSERT, one kept plan per row type.
 *
 * Append-only: audit_log_guard refuses UPDATE, DELETE and TRUNCATE of the
 * log to every role but its owner (the extension's), whatever was granted.
 *
 * extension/audit.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "mentor.h"

PG_FUNCTION_INFO_V1(mentor_audit);
PG_FUNCTION_INFO_V1(mentor_audit_log_guard);

/* one kept INSERT per audited row type */
typedef struct AuditPlan
{
	Oid			rowtype;
	MentorQuery query;
} AuditPlan;

static List *audit_plans = NIL;

static MentorQuery *
audit_query(Oid rowtype)
{
	ListCell   *lc;
	AuditPlan  *p;
	MemoryContext old;

	foreach(lc, audit_plans)
	{
		p = (AuditPlan *) lfirst(lc);
		if (p->rowtype == rowtype)
			return &p->query;
	}
	old = MemoryContextSwitchTo(TopMemoryContext);
	p = palloc0(sizeof(AuditPlan));
	p->rowtype = rowtype;
	p->query.sql = "INSERT INTO mentor.audit_log (actor, role, application, table_name,"
		" row_id, action, old, new, reason)"
		" VALUES ($1, $2, $3, $4, $5, $6, pg_catalog.to_jsonb($7), pg_catalog.to_jsonb($8), $9)";
	p->query.nargs = 9;
	p->query.argtypes[0] = TEXTOID;
	p->query.argtypes[1] = TEXTOID;
	p->query.argtypes[2] = TEXTOID;
	p->query.argtypes[3] = TEXTOID;
	p->query.argtypes[4] = INT8OID;
	p->query.argtypes[5] = TEXTOID;
	p->query.argtypes[6] = rowtype;
	p->query.argtypes[7] = rowtype;
	p->query.argtypes[8] = TEXTOID;
	p->query.read_only = false;
	audit_plans = lappend(audit_plans, p);
	MemoryContextSwitchTo(old);
	return &p->query;
}

/* what the change itself says of why, when mentor.change_reason is unset */
static char *
implied_reason(Relation rel, HeapTuple old, HeapTuple new)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	const char *table = RelationGetRelationName(rel);
	char	   *status;

	if (old == NULL || new == NULL)
		return NULL;
	if (strcmp(table, "pairing") == 0 &&
		(status = mentor_attr_text(new, tupdesc, "status")) != NULL &&
		strcmp(status, "ended") == 0 &&
		strcmp(mentor_attr_text(old, tupdesc, "status"), "ended") != 0)
		return mentor_attr_text(new, tupdesc, "end_reason");
	if (strcmp(table, "certificate") == 0)
	{
		DateADT		before;
		DateADT		after;

		if (mentor_attr_date(new, tupdesc, "revoked_on", &after) &&
			(!mentor_attr_date(old, tupdesc, "revoked_on", &before) || before != after))
			return mentor_attr_text(new, tupdesc, "revoke_reason");
	}
	return NULL;
}

static Datum
text_or_null(const char *s, char *null)
{
	*null = s ? ' ' : 'n';
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

/*
 * AFTER INSERT OR UPDATE OR DELETE ON an audited table, FOR EACH ROW;
 * argument: the name of the table's bigint key column, or '' for none.
 */
Datum
mentor_audit(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	tupdesc;
	HeapTuple	old = NULL;
	HeapTuple	new = NULL;
	const char *action;
	const char *key;
	const char *reason;
	Datum		values[9];
	char		nulls[10] = "         ";
	int64		row_id = 0;
	Oid			save_userid;
	int			save_sec_context;

	mentor_check_trigger(fcinfo, "audit", false);
	rel = trigdata->tg_relation;
	tupdesc = RelationGetDescr(rel);
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		action = "INSERT";
		new = trigdata->tg_trigtuple;
	}
	else if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		action = "UPDATE";
		old = trigdata->tg_trigtuple;
		new = trigdata->tg_newtuple;
	}
	else
	{
		action = "DELETE";
		old = trigdata->tg_trigtuple;
	}

	key = trigdata->tg_trigger->tgnargs > 0 ? trigdata->tg_trigger->tgargs[0] : "";
	reason = mentor_change_reason;
	if (reason == NULL || reason[0] == '\0')
		reason = implied_reason(rel, old, new);

	values[0] = text_or_null(GetUserNameFromId(GetSessionUserId(), false), &nulls[0]);
	values[1] = text_or_null(GetUserNameFromId(GetUserId(), false), &nulls[1]);
	values[2] = text_or_null(GetConfigOption("application_name", true, false), &nulls[2]);
	values[3] = text_or_null(RelationGetRelationName(rel), &nulls[3]);
	if (key[0] != '\0' && mentor_attr_id(new ? new : old, tupdesc, key, &row_id))
		values[4] = Int64GetDatum(row_id);
	else
		nulls[4] = 'n';
	values[5] = text_or_null(action, &nulls[5]);
	values[6] = old ? heap_copy_tuple_as_datum(old, tupdesc) : (Datum) 0;
	nulls[6] = old ? ' ' : 'n';
	values[7] = new ? heap_copy_tuple_as_datum(new, tupdesc) : (Datum) 0;
	nulls[7] = new ? ' ' : 'n';
	values[8] = text_or_null(reason, &nulls[8]);

	/*
	 * The writer needs no right on the log: write it as the owner of the
	 * audited table, the extension's owner, who owns the log too.
	 */
	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(rel->rd_rel->relowner,
						   save_sec_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_NOFORCE_RLS);
	PG_TRY();
	{
		mentor_spi_connect();
		mentor_query_run(audit_query(tupdesc->tdtypeid), values, nulls, 0);
		mentor_spi_finish();
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_userid, save_sec_context);
	}
	PG_END_TRY();
	return PointerGetDatum(NULL);
}

/*
 * BEFORE UPDATE OR DELETE (each row) and BEFORE TRUNCATE ON
 * mentor.audit_log: only its owner, the extension's owner, may change it,
 * whatever a DBA granted.
 */
Datum
mentor_audit_log_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"audit_log_guard\" was not called by trigger manager")));
	if (GetUserId() != trigdata->tg_relation->rd_rel->relowner)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("the audit log is append-only"),
				 errdetail("Only its owner, %s, may change or remove its rows.",
						   GetUserNameFromId(trigdata->tg_relation->rd_rel->relowner, false)),
				 errhint("Record a correction as a new change, with SET LOCAL mentor.change_reason.")));
	return TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ?
		PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
						trigdata->tg_newtuple : trigdata->tg_trigtuple) :
		PointerGetDatum(NULL);
}
