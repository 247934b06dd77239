-- mentor_security: approval and certificate functions are not for PUBLIC
\i tests/sql/fixture.psql

SET client_min_messages = warning;
DROP ROLE IF EXISTS mentor_test_clerk;
RESET client_min_messages;
CREATE ROLE mentor_test_clerk;
GRANT USAGE ON SCHEMA mentor TO mentor_test_clerk;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA mentor TO mentor_test_clerk;

SET ROLE mentor_test_clerk;
SELECT public.expect($$SELECT mentor.approve_mentor(5)$$);
SELECT public.expect($$SELECT mentor.retire_mentor(1)$$);
SELECT public.expect($$SELECT mentor.promote_mentor(1)$$);
SELECT public.expect($$SELECT mentor.issue_certificate(3, '2026-02-01')$$);
SELECT public.expect($$SELECT mentor.revoke_certificate(1)$$);
SELECT public.expect($$SELECT mentor.export_certificate(1)$$);
SELECT public.expect($$SELECT mentor.export_certificate_pem(1)$$);
SELECT public.expect($$SELECT * FROM mentor.export_site_certificates()$$);
SELECT public.expect($$SELECT * FROM mentor.verify_certificate_export('\x00')$$);
SELECT public.expect($$SELECT * FROM mentor.import_agreements('<agreements/>')$$);
SELECT public.expect($$SELECT * FROM mentor.import_agreements('\x00'::bytea, true)$$);
-- the rules apply to direct writes whoever makes them
SELECT public.expect($$SELECT mentor.assign_pairing('management', 1, 1, '2026-02-01')$$);
-- and the superuser-only settings cannot be relaxed
SELECT public.expect($$SET mentor.course_hours = 1$$);
RESET ROLE;
SELECT count(*) AS mentors, count(*) FILTER (WHERE retired_on IS NOT NULL) AS retired FROM mentor.mentor;
SELECT count(*) AS certificates, count(revoked_on) AS revoked FROM mentor.certificate;

-- a DBA grants them to the HR role explicitly
GRANT EXECUTE ON FUNCTION mentor.issue_certificate(bigint, date, numeric, boolean) TO mentor_test_clerk;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA mentor TO mentor_test_clerk;
SET ROLE mentor_test_clerk;
SELECT public.expect($$SELECT mentor.issue_certificate(3, '2026-02-01')$$);
RESET ROLE;

-- a hostile search_path cannot capture the extension's operators: in a new
-- session (so the rule queries are planned under it), an "=" that is always
-- true would make every pairing count against every mentor
CREATE SCHEMA evil;
CREATE FUNCTION evil.always_true(bigint, bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = evil.always_true);
\c
SET search_path = evil, pg_catalog, public;
SELECT public.expect($$SELECT mentor.assign_pairing('management', 6, 3, '2026-02-01')$$);
SELECT public.expect($$SELECT mentor.assign_pairing('management', 4, 3, '2026-02-01')$$);
SELECT public.expect($$SELECT mentor.assign_pairing('production', 5, 1, '2026-02-01')$$);
SELECT public.expect($$SELECT mentor.assign_pairing('production', 7, 2, '2026-02-01')$$);
RESET search_path;
SELECT mentee_id, mentor_id FROM mentor.pairing ORDER BY 1;
SET client_min_messages = warning;
DROP SCHEMA evil CASCADE;
RESET client_min_messages;

REVOKE ALL ON ALL TABLES IN SCHEMA mentor FROM mentor_test_clerk;
REVOKE ALL ON FUNCTION mentor.issue_certificate(bigint, date, numeric, boolean) FROM mentor_test_clerk;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA mentor FROM mentor_test_clerk;
REVOKE USAGE ON SCHEMA mentor FROM mentor_test_clerk;
DROP ROLE mentor_test_clerk;
