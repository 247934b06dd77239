#!/usr/bin/env bash
# tests/fuzz/sqlsmith.sh SECONDS SERVER_LOG: run sqlsmith (Debian package)
# with a fixed seed for SECONDS against a database holding the demo
# enterprise, as a role with every right on the mentor schema (so random
# INSERT, UPDATE, DELETE and MERGE reach the rule triggers with NULLs and
# odd values), on the running cluster named by PGHOST/PGPORT.  Fails when the
# server log shows a backend killed by a signal (a crash restarts every
# connection of the cluster) or the server does not answer afterwards.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${1:-180}
server_log=$2
db=mentor_sqlsmith

PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -d $db -v ON_ERROR_STOP=1 -c "CREATE EXTENSION mentor" >/dev/null
psql -X -q -d $db -v ON_ERROR_STOP=1 -f "$root/tests/demo/enterprise.sql" >/dev/null
PGOPTIONS="-c client_min_messages=warning" psql -X -q -d $db -v ON_ERROR_STOP=1 >/dev/null <<SQL
DROP ROLE IF EXISTS mentor_smith;
CREATE ROLE mentor_smith LOGIN;
GRANT USAGE ON SCHEMA mentor TO mentor_smith;
GRANT ALL ON ALL TABLES IN SCHEMA mentor TO mentor_smith;
GRANT ALL ON ALL SEQUENCES IN SCHEMA mentor TO mentor_smith;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA mentor TO mentor_smith;
ALTER ROLE mentor_smith SET statement_timeout = '2s';
ALTER ROLE mentor_smith SET search_path = mentor, public;
SQL

crashes_before=$(grep -c "terminated by signal" "$server_log" || true)
out=$(mktemp)
# sqlsmith runs until stopped; its queries depend only on the seed and the schema
(cd /tmp && timeout "$seconds" sqlsmith --seed=42 --exclude-catalog --verbose \
	--target="host=$PGHOST port=$PGPORT dbname=$db user=mentor_smith" >"$out" 2>&1) || true
queries=$(grep -oE 'queries: [0-9]+' "$out" | tail -1 | awk '{print $2}' || true)
crashes=$(( $(grep -c "terminated by signal" "$server_log" || true) - crashes_before ))
grep -A3 "terminated by signal" "$server_log" | tail -20 || true
rm -f "$out"
psql -X -q -d postgres -c "DROP DATABASE $db" -c "DROP ROLE mentor_smith"
echo "sqlsmith: ${seconds}s, seed 42, ${queries:-?} queries, $crashes backend crash(es)"
[ "$crashes" -eq 0 ] && pg_isready -q
