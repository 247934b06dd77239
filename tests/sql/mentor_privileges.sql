-- mentor_privileges: no personal data without table rights.  C reads tables
-- by index scan, which checks no privilege; every C function that reads on a
-- caller's behalf checks SELECT itself.  A role with only USAGE on the
-- schema calls every function of the schema (from the catalog, each with
-- ordinary arguments) and selects from every view: no name or personnel
-- number may come back.
\i tests/sql/fixture.psql

SELECT mentor.assign_pairing('management', 6, 3, '2026-02-02') AS pairing;
SELECT mentor.log_session(1, '2026-02-03 10:00+03', 30) AS session;

SET client_min_messages = warning;
DROP ROLE IF EXISTS mentor_test_outsider;
RESET client_min_messages;
CREATE ROLE mentor_test_outsider;
GRANT USAGE ON SCHEMA mentor TO mentor_test_outsider;

-- what must not leak, readable by the outsider only through this table
CREATE TABLE public.personal AS
SELECT full_name AS data FROM mentor.employee
UNION SELECT personnel_no FROM mentor.employee;
GRANT SELECT ON public.personal TO mentor_test_outsider;


-- every function and view, called as the outsider: what came back
CREATE FUNCTION public.leaks(OUT object text, OUT outcome text, OUT leaked text)
RETURNS SETOF record LANGUAGE plpgsql AS $$
DECLARE
	q text;
	result text;
BEGIN
	FOR object, q IN
		SELECT p.oid::regprocedure::text,
			format('SELECT * FROM %s(%s)', p.oid::regproc,
				(SELECT coalesce(string_agg(public.sample(t), ', ' ORDER BY n), '')
				 FROM unnest(p.proargtypes::regtype[]) WITH ORDINALITY a(t, n)))
		FROM pg_proc p
		WHERE p.pronamespace = 'mentor'::regnamespace AND p.prokind = 'f'
			AND p.prorettype <> 'trigger'::regtype
		UNION ALL
		SELECT c.oid::regclass::text, format('SELECT * FROM %s', c.oid::regclass)
		FROM pg_class c
		WHERE c.relnamespace = 'mentor'::regnamespace AND c.relkind = 'v'
	LOOP
		BEGIN
			EXECUTE format('SELECT string_agg(r::text, '' '') FROM (%s) r', q) INTO result;
			outcome := 'returned';
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS outcome = RETURNED_SQLSTATE;
			result := NULL;
		END;
		SELECT string_agg(data, ', ') INTO leaked FROM public.personal
		WHERE strpos(result, data) > 0;
		RETURN NEXT;
	END LOOP;
END $$;

SET ROLE mentor_test_outsider;
CREATE TEMP TABLE outcome AS SELECT * FROM public.leaks();
RESET ROLE;
-- nothing personal, whatever the outcome
SELECT object, outcome, leaked FROM outcome WHERE leaked IS NOT NULL;
-- every function and view was called
SELECT count(*) >= 30 AS functions_and_views FROM outcome;
-- 1.0's leak: the certificate document by id, now refused like a SELECT
SET ROLE mentor_test_outsider;
SELECT public.expect($$SELECT mentor.certificate_document(1)$$);
SELECT public.expect($$SELECT mentor.certificate_valid(1, '2026-02-01')$$);
SELECT public.expect($$SELECT mentor.add_working_days('2026-02-20', 3)$$);
-- mentor_demand (C since 1.1) reads through SPI as its caller: refused too
SELECT public.expect($$SELECT * FROM mentor.mentor_demand('2026-02-01', '2026-02-28')$$);
RESET ROLE;
-- the admission document reads as its caller: EXECUTE alone gives no rows
GRANT EXECUTE ON FUNCTION mentor.admission_document(bigint) TO mentor_test_outsider;
SET ROLE mentor_test_outsider;
SELECT public.expect($$SELECT mentor.admission_document(1)$$);
RESET ROLE;
REVOKE EXECUTE ON FUNCTION mentor.admission_document(bigint) FROM mentor_test_outsider;
-- with SELECT on the tables they read, they answer
GRANT SELECT ON mentor.certificate, mentor.employee, mentor.mentor, mentor.calendar_day TO mentor_test_outsider;
SET ROLE mentor_test_outsider;
SELECT mentor.certificate_valid(1, '2026-02-01') AS valid,
	mentor.add_working_days('2026-02-20', 3) AS third_working_day,
	length(mentor.certificate_document(1)) > 0 AS document;
RESET ROLE;

-- row-level security: a DBA's policy shows this clerk one site's people
-- (Mine-1).  Views read as their caller and SQL functions as the invoker,
-- so the policy holds through every one of them; a C function that reads
-- by key refuses (42501) rather than bypass it.  HQ's names must not leak.
GRANT SELECT ON ALL TABLES IN SCHEMA mentor TO mentor_test_outsider;
ALTER TABLE mentor.employee ENABLE ROW LEVEL SECURITY;
CREATE POLICY one_site ON mentor.employee FOR SELECT TO mentor_test_outsider
	USING (site = 'Mine-1');
TRUNCATE public.personal;
INSERT INTO public.personal SELECT full_name FROM mentor.employee WHERE site <> 'Mine-1'
	UNION SELECT personnel_no FROM mentor.employee WHERE site <> 'Mine-1';
DROP TABLE outcome;
SET ROLE mentor_test_outsider;
CREATE TEMP TABLE outcome AS SELECT * FROM public.leaks();
SELECT employee_id, site FROM mentor.roster ORDER BY 1;
SELECT site FROM mentor.site_load ORDER BY 1;
SELECT public.expect($$SELECT mentor.certificate_document(1)$$);
-- mentor_demand's reads apply the policy: only Mine-1's professions
SELECT DISTINCT site, profession FROM mentor.mentor_demand('2026-02-01', '2026-02-28') ORDER BY 1, 2;
RESET ROLE;
-- the owner sees HQ's too
SELECT DISTINCT site, profession FROM mentor.mentor_demand('2026-02-01', '2026-02-28') ORDER BY 1, 2;
SELECT object, outcome, leaked FROM outcome WHERE leaked IS NOT NULL;
SELECT count(*) >= 30 AS functions_and_views FROM outcome;
-- the table owner is not bound: every site
SELECT count(DISTINCT site) AS sites_for_the_owner FROM mentor.roster;
DROP POLICY one_site ON mentor.employee;
ALTER TABLE mentor.employee DISABLE ROW LEVEL SECURITY;

DROP TABLE public.personal, outcome;
DROP FUNCTION public.leaks();
REVOKE ALL ON ALL TABLES IN SCHEMA mentor FROM mentor_test_outsider;
REVOKE USAGE ON SCHEMA mentor FROM mentor_test_outsider;
DROP ROLE mentor_test_outsider;
