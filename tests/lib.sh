#!/usr/bin/env bash
# tests/lib.sh: shared steps of the demo and the test run: Debian packages,
# build and install, and a throwaway PostgreSQL cluster that never touches a
# system cluster.  Source it; do not run it.

set -euo pipefail

MENTOR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=${PG_MAJOR:-15}
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
export PG_CONFIG=$PG_BIN/pg_config
PG_PORT=${PG_PORT:-54329}
MENTOR_PACKAGES="make gcc perl postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR libxml2-dev libssl-dev libipc-run-perl openssl libxml2-utils gettext locales"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Install what is missing, quietly; apt-get update only when needed.
mentor_install_packages() {
	local missing="" p
	for p in $MENTOR_PACKAGES "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "== installing Debian packages:$missing"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
	fi
}

# the clang this PostgreSQL's build uses for JIT bitcode (its Makefile.global)
mentor_pg_clang() {
	sed -n 's/^CLANG = //p' "$(dirname "$("$PG_CONFIG" --pgxs)")/../Makefile.global"
}

# the Russian locale the message test sets (lc_messages = 'ru_RU.UTF-8')
mentor_russian_locale() {
	locale -a 2>/dev/null | grep -qi '^ru_RU\.utf-\?8$' && return 0
	echo "== generating the ru_RU.UTF-8 locale"
	grep -q '^ru_RU.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null ||
		echo 'ru_RU.UTF-8 UTF-8' | as_root tee -a /etc/locale.gen >/dev/null
	as_root locale-gen >/dev/null
}

# mentor_build_install [strict]: a plain build, as a DBA's (with the JIT
# bitcode clang makes when PostgreSQL was built with LLVM, as Debian's is);
# strict: -Wall -Wextra -Werror for gcc and clang alike (the test run).
mentor_build_install() {
	local strict=no
	[ "${1:-}" = strict ] && strict=yes
	echo "== building and installing mentor"
	cd "$MENTOR_ROOT"
	make -s PG_CONFIG="$PG_BIN/pg_config" strict=$strict
	as_root make -s PG_CONFIG="$PG_BIN/pg_config" strict=$strict install
}

# The cluster lives under the repo when the postgres user can reach it,
# else in a private temporary directory.
mentor_start_cluster() {
	local base
	if (cd / && runuser -u postgres -- test -x "$MENTOR_ROOT") 2>/dev/null; then
		base="$MENTOR_ROOT/.pgtmp"
		as_root mkdir -p "$base"
	else
		base=$(mktemp -d /tmp/mentor-pg.XXXXXX)
	fi
	as_root chown postgres: "$base"
	MENTOR_PGDATA="$base/data"
	MENTOR_SOCKET="$base"
	MENTOR_BASE="$base"
	as_root rm -rf "$MENTOR_PGDATA"
	echo "== starting a throwaway PostgreSQL $PG_MAJOR in $MENTOR_PGDATA (port $PG_PORT)"
	# from /, which the postgres user can always enter (the caller's
	# directory may be private: initdb and pg_ctl would complain of it)
	(cd / && as_root runuser -u postgres -- "$PG_BIN/initdb" -D "$MENTOR_PGDATA" -U postgres \
		--auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null)
	(cd / && as_root runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$MENTOR_PGDATA" -w -l "$base/server.log" \
		-o "-p $PG_PORT -k $MENTOR_SOCKET -c listen_addresses='' -c fsync=off -c max_prepared_transactions=10" \
		start >/dev/null)
	export PGHOST="$MENTOR_SOCKET" PGPORT="$PG_PORT" PGUSER=postgres
	trap mentor_stop_cluster EXIT
}

mentor_stop_cluster() {
	if [ -n "${MENTOR_PGDATA:-}" ] && [ -d "$MENTOR_PGDATA" ]; then
		(cd / && as_root runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$MENTOR_PGDATA" -m fast stop >/dev/null 2>&1) || true
	fi
	# a private temporary directory goes with its cluster
	case "${MENTOR_BASE:-}" in
	/tmp/mentor-pg.*) as_root rm -rf "$MENTOR_BASE" ;;
	esac
}

# A throwaway CA and an EC P-256 signing key and certificate for exports, in
# the cluster's directory (never committed); configures the running server.
mentor_make_signing_key() {
	local keys="$MENTOR_BASE/keys"
	as_root mkdir -p "$keys"
	as_root openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 \
		-subj "/O=Demo Potash Mining/CN=Demo HR Root CA" 2>/dev/null
	as_root openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$keys/signing.key" -out "$keys/signing.csr" \
		-subj "/O=Demo Potash Mining/CN=HR certificate signing" 2>/dev/null
	as_root openssl x509 -req -in "$keys/signing.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" \
		-CAcreateserial -out "$keys/signing.pem" -days 825 2>/dev/null
	as_root chown -R postgres: "$keys"
	as_root chmod 600 "$keys/signing.key" "$keys/ca.key"
	MENTOR_CA="$keys/ca.pem"
	psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
LOAD 'mentor';
ALTER SYSTEM SET mentor.signing_key_file = '$keys/signing.key';
ALTER SYSTEM SET mentor.signing_cert_file = '$keys/signing.pem';
ALTER SYSTEM SET mentor.issuing_organisation = 'Demo Potash Mining, HR';
SELECT pg_reload_conf();
SQL
}
