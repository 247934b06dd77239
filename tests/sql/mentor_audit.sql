-- mentor_audit: the audit log.  Every write to the audited tables leaves a
-- row in the same transaction, with who (session_user, current_user,
-- application_name), the old and new row and the reason; a rolled-back
-- change leaves none; no role but the extension's owner may change the log,
-- whatever it was granted.
\i tests/sql/fixture.psql
SET application_name = 'erp';

SELECT count(*) AS rows_after_fixture FROM mentor.audit_log;
SELECT table_name, action, count(*) FROM mentor.audit_log GROUP BY 1, 2 ORDER BY 1, 2;

-- one pairing's trail: assigned, a session moved and cancelled, ended
SELECT mentor.assign_pairing('management', 6, 3, '2026-02-02') AS p \gset
SELECT mentor.log_session(:p, '2026-02-03 10:00', 30) AS s \gset
UPDATE mentor.session SET held_at = '2026-02-04 10:00' WHERE session_id = :s;
BEGIN;
SET LOCAL mentor.change_reason = 'entered twice by mistake';
UPDATE mentor.session SET status = 'cancelled' WHERE session_id = :s;
COMMIT;
SELECT mentor.end_pairing(:p, 'mentee_withdrew', '2026-03-01', '2026-02-20');
SELECT table_name, row_id = :p OR row_id = :s AS this_pairing, action,
	old ->> 'status' AS old_status, new ->> 'status' AS new_status, reason,
	actor = session_user AS actor_ok, role = current_user AS role_ok, application
FROM mentor.audit_log
WHERE (table_name = 'pairing' AND row_id = :p) OR (table_name = 'session' AND row_id = :s)
ORDER BY audit_id;

-- revocations, dismissals, programme changes and deletions are logged too;
-- new sessions and other employee changes are not
SELECT mentor.revoke_certificate(2, '2026-04-01', 'audit finding');
UPDATE mentor.employee SET dismissed_on = '2026-05-01' WHERE employee_id = 7;
UPDATE mentor.employee SET grade = 5 WHERE employee_id = 7;
UPDATE mentor.program SET max_mentees = 3 WHERE code = 'management';
DELETE FROM mentor.agreement WHERE number = 'MA-2026-00002';
SELECT table_name, row_id, action, reason FROM mentor.audit_log
WHERE audit_id > (SELECT max(audit_id) FROM mentor.audit_log WHERE table_name = 'pairing')
ORDER BY audit_id;

-- a rolled-back change leaves no row
SELECT count(*) AS before FROM mentor.audit_log \gset
BEGIN;
UPDATE mentor.program SET max_mentees = 4 WHERE code = 'management';
ROLLBACK;
SELECT count(*) - :before AS rows_from_a_rollback FROM mentor.audit_log;

-- a role that writes the audited tables needs no right on the log, and an
-- application role with every table privilege still cannot change it
SET client_min_messages = warning;
DROP ROLE IF EXISTS mentor_test_app;
RESET client_min_messages;
CREATE ROLE mentor_test_app;
GRANT USAGE ON SCHEMA mentor TO mentor_test_app;
GRANT ALL ON ALL TABLES IN SCHEMA mentor TO mentor_test_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA mentor TO mentor_test_app;
SET ROLE mentor_test_app;
SELECT mentor.request_pairing('management', 5, 2, '2026-02-02') AS r \gset
SELECT role, action FROM mentor.audit_log WHERE table_name = 'pairing' AND row_id = :r;
SELECT public.expect($$UPDATE mentor.audit_log SET reason = 'nothing happened'$$);
SELECT public.expect($$DELETE FROM mentor.audit_log$$);
SELECT public.expect($$TRUNCATE mentor.audit_log$$);
-- and a restore's session_replication_role does not switch the guard off
RESET ROLE;
SET session_replication_role = replica;
SET ROLE mentor_test_app;
SELECT public.expect($$DELETE FROM mentor.audit_log$$);
RESET ROLE;
RESET session_replication_role;
SELECT count(*) - :before AS rows_added FROM mentor.audit_log;

-- the owner may (an archive, a data-protection erasure)
DELETE FROM mentor.audit_log WHERE table_name = 'program';
SELECT count(*) AS program_rows FROM mentor.audit_log WHERE table_name = 'program';

REVOKE ALL ON ALL TABLES IN SCHEMA mentor FROM mentor_test_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA mentor FROM mentor_test_app;
REVOKE USAGE ON SCHEMA mentor FROM mentor_test_app;
DROP ROLE mentor_test_app;
