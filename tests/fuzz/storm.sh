#!/usr/bin/env bash
# tests/fuzz/storm.sh SECONDS: an invalidation storm.  pgbench clients run
# rule checks (pairing, session, certificate and calendar reads, refusals
# caught) at READ COMMITTED and at REPEATABLE READ while another client
# loops GRANT/REVOKE, ANALYZE and CREATE TEMP TABLE, each of which sends
# relcache invalidations to every backend.  Any error other than a rule's
# check_violation aborts a pgbench client and fails the run: 1.0 failed a
# third of its checks with XX000 "could not open relation with OID 0".
set -euo pipefail
seconds=${1:-10}
db=mentor_storm
pgbench=$(dirname "$(command -v pg_config 2>/dev/null || echo "$PG_CONFIG")")/pgbench
[ -x "$pgbench" ] || pgbench=${PG_BIN:-/usr/lib/postgresql/15/bin}/pgbench
work=$(mktemp -d /tmp/mentor-storm.XXXXXX)
trap 'rm -rf "$work"' EXIT

PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -d $db -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE EXTENSION mentor;
CREATE TABLE public.unrelated (id int);
-- one mentor and one mentee per client (1..8), so clients never wait on each other
INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade, site, profession)
SELECT 'P' || i, 'Person ' || i, 'mining', CASE WHEN i % 2 = 1 THEN 10 ELSE 6 END,
	'Mine-1', 'drill operator'
FROM generate_series(1, 16) i;
INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on)
SELECT e, m, 90, 100, '2025-12-01'
FROM generate_series(1, 15, 2) e,
	unnest(ARRAY['competency_model', 'test', 'case_study', 'manager_feedback']) m;
SELECT mentor.approve_mentor(e, 'mentor', '2026-01-01') FROM generate_series(1, 15, 2) e;
SELECT mentor.issue_certificate(e, '2026-01-10') FROM generate_series(1, 15, 2) e;
INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to)
SELECT 'MA-' || e, e, '2026-01-05', '2026-01-05', '2029-01-04' FROM generate_series(1, 15, 2) e;
INSERT INTO mentor.holiday VALUES ('2026-02-23', 'Defender of the Fatherland Day');
SQL

# client c (0-based) pairs mentee 2c+2 with mentor 2c+1, checks and rolls back
cat > "$work/checks.sql" <<'SQL'
\set mentor 2 * :client_id + 1
\set mentee 2 * :client_id + 2
BEGIN ISOLATION LEVEL :level;
SELECT mentor.certificate_valid(:mentor, '2026-02-01');
SELECT mentor.add_working_days('2026-02-20', 3);
SELECT mentor.assign_pairing('production', :mentee, :mentor, '2026-02-01') AS p \gset
SELECT mentor.log_session(:p, '2026-02-02 10:00+00', 40);
SELECT public.refused($$SELECT mentor.assign_pairing('production', :mentee, :mentor, '2026-02-01')$$);
SELECT mentor.end_pairing(:p, 'completed', '2026-03-01');
ROLLBACK;
SQL
cat > "$work/catalog.sql" <<'SQL'
GRANT SELECT ON public.unrelated TO PUBLIC;
REVOKE SELECT ON public.unrelated FROM PUBLIC;
ANALYZE public.unrelated;
CREATE TEMP TABLE scratch (id int);
DROP TABLE scratch;
SQL
psql -X -q -d $db -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
-- a rule refusal is an expected outcome; anything else propagates
CREATE FUNCTION public.refused(stmt text) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE stmt;
	RETURN false;
EXCEPTION WHEN check_violation THEN
	RETURN true;
END $f$;
SQL

status=0
run() {
	"$pgbench" -n -T "$seconds" -d $db "$@" 2>&1
}
run -c 1 -f "$work/catalog.sql" > "$work/catalog.out" &
catalog=$!
run -c 4 -f "$work/checks.sql" -D level="READ COMMITTED" > "$work/rc.out" &
rc=$!
run -c 4 -f "$work/checks.sql" -D level="REPEATABLE READ" > "$work/rr.out" || status=1
wait $rc || status=1
wait $catalog || status=1
for f in rc rr catalog; do
	grep -E "number of transactions actually processed|aborted|ERROR" "$work/$f.out" | head -5 | sed "s/^/  $f: /"
done
psql -X -q -d postgres -c "DROP DATABASE $db"
echo "storm: ${seconds}s, $(grep -oE 'processed: [0-9]+' "$work/rc.out" | cut -d' ' -f2) RC and $(grep -oE 'processed: [0-9]+' "$work/rr.out" | cut -d' ' -f2) RR checked transactions beside $(grep -oE 'processed: [0-9]+' "$work/catalog.out" | cut -d' ' -f2) catalog changes"
exit $status
