#!/usr/bin/env bash
# tests/demo.sh: the demo.  Installs the Debian packages it needs, builds and
# installs mentor, starts a throwaway PostgreSQL cluster (never a system
# one), loads a small demo enterprise and prints what an HR manager sees.
#
#   sudo bash tests/demo.sh           run the demo, then stop the cluster
#   sudo bash tests/demo.sh --keep    leave the cluster running to explore
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mentor_install_packages
mentor_build_install
mentor_start_cluster

echo "== loading the demo enterprise"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION mentor" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -f "$MENTOR_ROOT/tests/demo/enterprise.sql" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -f "$MENTOR_ROOT/tests/demo/reports.sql"

if [ "${1:-}" = "--keep" ]; then
	trap - EXIT
	echo
	echo "The demo cluster keeps running. Connect with:"
	echo "  psql -h $PGHOST -p $PGPORT -U postgres"
	echo "Stop it with:"
	echo "  runuser -u postgres -- $PG_BIN/pg_ctl -D $MENTOR_PGDATA stop"
fi
