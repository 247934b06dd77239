#!/usr/bin/env bash
# tests/bench/run.sh: benchmarks (not part of the test run).
#   sudo bash tests/bench/run.sh
# Builds and installs mentor, starts a throwaway cluster, and prints the
# rule-checked against unchecked insert rates (rules_bench.sql).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

mentor_install_packages
mentor_build_install
mentor_start_cluster

echo "== rule-checked inserts against the same inserts without triggers"
psql -X -q -c "CREATE EXTENSION mentor" >/dev/null
psql -X -f "$MENTOR_ROOT/tests/bench/rules_bench.sql"
