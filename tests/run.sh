#!/usr/bin/env bash
# tests/run.sh: the whole test run.  Installs the Debian packages it needs,
# builds and installs mentor, starts a throwaway cluster, runs the
# regression tests, the isolation specs, the TAP tests and a short fuzz run,
# stops the cluster, runs the demo end to end, and ends with one line
# "N passed, N failed".
#
#   sudo bash tests/run.sh        (or as root)

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# clang and its libFuzzer runtime for the fuzz run: the clang this
# PostgreSQL builds its JIT bitcode with (clang-14 on Debian 12, clang-19 on
# Debian 13, ...), which postgresql-server-dev brings
mentor_install_packages sqlsmith
export MENTOR_CLANG
MENTOR_CLANG=$(mentor_pg_clang)
mentor_install_packages "$(basename "$MENTOR_CLANG")" "libclang-rt-${MENTOR_CLANG##*-}-dev"
mentor_russian_locale
# warning-free under gcc (the module) and clang (its JIT bitcode), from clean
make -s clean >/dev/null
mentor_build_install strict
mentor_start_cluster

cd "$MENTOR_ROOT"
rm -rf results output_iso regression.diffs regression.out
log=$(mktemp)
status=0

show_diffs() {
	if [ -s regression.diffs ]; then
		echo "== regression.diffs"
		head -300 regression.diffs
	fi
}

# check NAME COMMAND...: a check that counts as one test
check() {
	local name=$1
	shift
	if "$@"; then
		echo "test $name ... ok" >> "$log"
	else
		echo "test $name ... FAILED" >> "$log"
	fi
}

check full_script bash sql/full_script.sh --check

echo "== regression tests"
make -s installcheck with_llvm=no ISOLATION= 2>&1 | tee -a "$log" || status=1
show_diffs
echo "== isolation specs"
make -s installcheck with_llvm=no REGRESS= 2>&1 | tee -a "$log" || status=1
show_diffs

# TAP tests start clusters of their own, which initdb refuses to do as root:
# run them as the postgres user from a copy it can read and write.
echo "== TAP tests"
tapdir=$(mktemp -d /tmp/mentor-tap.XXXXXX)
cp -r tests xml extension expected README.md "$tapdir/"
chown -R postgres: "$tapdir"
(
	cd "$tapdir" && runuser -u postgres -- env \
		MENTOR_ROOT="$tapdir" TESTDIR="$tapdir" PATH="$PG_BIN:$PATH" \
		TESTDATADIR="$tapdir/tmp_check" TESTLOGDIR="$tapdir/tmp_check/log" \
		PG_REGRESS="$(dirname "$PG_CONFIG")/../lib/pgxs/src/test/regress/pg_regress" \
		prove -I "$(dirname "$PG_CONFIG")/../lib/pgxs/src/test/perl" tests/t/*.pl
) 2>&1 | tee "$log.tap" || status=1
[ -d "$tapdir/tmp_check/log" ] && grep -l "not ok" "$log.tap" >/dev/null && tail -50 "$tapdir"/tmp_check/log/*.log

# a backend crash restarts the cluster: these run on the same server
# after the suites, so a crash here shows in its log and nowhere else
export PATH="$PG_BIN:$PATH"
echo "== invalidation storm (10 s at READ COMMITTED and REPEATABLE READ)"
check invalidation_storm bash tests/fuzz/storm.sh 10
echo "== sqlsmith (${MENTOR_SQLSMITH_SECONDS:-180} s, fixed seed)"
check sqlsmith bash tests/fuzz/sqlsmith.sh "${MENTOR_SQLSMITH_SECONDS:-180}" "$MENTOR_BASE/server.log"
echo "== fuzzing the agreement and calendar parsers (20 s each)"
check agreement_fuzz bash tests/fuzz/run.sh 20 agreement
check calendar_fuzz bash tests/fuzz/run.sh 20 calendar

# the README's first command, end to end, on a cluster of its own
echo "== the demo"
mentor_stop_cluster
if PG_PORT=54330 bash tests/demo.sh > "$log.demo" 2>&1 &&
	grep -q "REFUSED   a third mentee for Sergei Volkov" "$log.demo" &&
	grep -q "CMS Verification successful" "$log.demo" &&
	grep -q "MA-2026-00101 inserted" "$log.demo" &&
	grep -q "correction of" "$log.demo"; then
	echo "test demo ... ok" | tee -a "$log"
else
	echo "test demo ... FAILED" | tee -a "$log"
	tail -40 "$log.demo"
fi

# pg_regress prints "test name ... ok" up to PostgreSQL 15 and TAP-style
# "ok 1 - name" / "not ok 2 - name" from 16 on
passed=$(grep -cE '\.\.\. ok|^ok [0-9]+ ' "$log" || true)
failed=$(grep -cE '\.\.\. FAILED|\.\.\. failed|^not ok [0-9]+ ' "$log" || true)
tap_passed=$(grep -cE '^tests/t/.*\.pl \.+ ok' "$log.tap" || true)
tap_failed=$(grep -cE '^tests/t/.*\.pl \.+ (Dubious|Failed|not ok)' "$log.tap" || true)
passed=$((passed + tap_passed))
failed=$((failed + tap_failed))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1	# a runner failed without naming a test
fi
[ "$failed" -eq 0 ] && rm -rf "$tapdir"
rm -f "$log" "$log.tap" "$log.demo"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
