#!/usr/bin/env bash
# tests/bench/run.sh: benchmarks (not part of the test run).
#   sudo bash tests/bench/run.sh [rules|signing]...     (default: all)
# Builds and installs mentor, starts a throwaway cluster and prints:
#   rules    rule-checked inserts against the same inserts without triggers
#   signing  signed certificate exports per second (EC P-256) against
#            `openssl speed ecdsap256`, and backend memory over 20,000 exports
#   import   agreement import of 10,000 agreements against an XMLTABLE load
#   scale    report times on a synthetic enterprise (100,000 employees,
#            1,000,000 sessions, 36 months of hiring plan; MENTOR_BENCH_SCALE=5
#            multiplies the people, pairings and sessions by 5)
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(rules signing import scale)

mentor_install_packages
mentor_build_install
mentor_start_cluster

# a fresh database with the extension, then the benchmark's script in it
run_in_fresh_db() {
	psql -X -q -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
	psql -X -q -d "$1" -c "CREATE EXTENSION mentor" >/dev/null
	psql -X -d "$1" "${@:3}" -f "$MENTOR_ROOT/tests/bench/$2"
}

for bench in "${benches[@]}"; do
	case $bench in
	rules)
		echo "== rule-checked inserts against the same inserts without triggers"
		run_in_fresh_db bench_rules rules_bench.sql
		;;
	signing)
		echo "== signed certificate exports (EC P-256) against openssl speed"
		mentor_make_signing_key
		run_in_fresh_db bench_signing signing_bench.sql | tee "$MENTOR_BASE/signing.out"
		# twice, the better run counting: a background process (autovacuum
		# after the bench's inserts) can cost openssl a third of one run
		echo "openssl speed -seconds 2 ecdsap256 (one core), two runs:"
		for run in 1 2; do
			openssl speed -seconds 2 ecdsap256 2>/dev/null | grep -E '^ *256 bits ecdsa'
		done | tee "$MENTOR_BASE/speed.out" | sed 's/^/  /'
		echo "  (columns: sign time, verify time, sign/s, verify/s)"
		exports=$(awk -F'|' '/exports\/s/ { v = $2 + 0; if (v > best) best = v } END { print best }' "$MENTOR_BASE/signing.out")
		speed=$(awk '{ v = $(NF-1) + 0; if (v > best) best = v } END { print best }' "$MENTOR_BASE/speed.out")
		awk -v e="$exports" -v s="$speed" 'BEGIN { printf "ratio: %d exports/s / %d openssl sign/s (better runs) = %.2f\n", e, s, e / s }'
		;;
	import)
		echo "== agreement import against an XMLTABLE load"
		run_in_fresh_db bench_import import_bench.sql
		;;
	scale)
		echo "== reports on a synthetic enterprise"
		run_in_fresh_db bench_scale scale_bench.sql -v scale="${MENTOR_BENCH_SCALE:-1}"
		;;
	*)
		echo "unknown benchmark: $bench" >&2
		exit 2
		;;
	esac
done
