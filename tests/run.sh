#!/usr/bin/env bash
# tests/run.sh: the whole test run.  Installs the Debian packages it needs,
# builds and installs mentor, starts a throwaway cluster, runs the
# regression tests and the isolation specs, stops the cluster, and ends
# with one line "N passed, N failed".
#
#   sudo bash tests/run.sh        (or as root)

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mentor_install_packages
mentor_build_install
mentor_start_cluster

cd "$MENTOR_ROOT"
rm -rf results output_iso regression.diffs regression.out
log=$(mktemp)
status=0
echo "== regression tests"
make -s installcheck with_llvm=no ISOLATION= 2>&1 | tee -a "$log" || status=1
echo "== isolation specs"
make -s installcheck with_llvm=no REGRESS= 2>&1 | tee -a "$log" || status=1

passed=$(grep -cE '\.\.\. ok' "$log" || true)
failed=$(grep -cE '\.\.\. FAILED|\.\.\. failed' "$log" || true)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1	# the runner itself failed
fi
for f in regression.diffs output_iso/regression.diffs; do
	[ -s "$f" ] && { echo "== $f"; head -200 "$f"; }
done
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
