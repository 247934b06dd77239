#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] [agreement|calendar]: build the document fuzz
# target (tests/fuzz/xml_fuzz.c) with clang's libFuzzer (ASan, UBSan,
# LeakSanitizer) and run it for SECONDS (default 20) on the agreement form's
# core or the production calendar's, from a seed corpus of the samples.
# Exit 0 when it found nothing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${1:-20}
target=${2:-agreement}
work=$(mktemp -d /tmp/mentor-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

# the clang tests/run.sh picked (MENTOR_CLANG), else the default one
"${MENTOR_CLANG:-clang}" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-I"$root/xml" $(xml2-config --cflags 2>/dev/null || echo -I/usr/include/libxml2) \
	"$root/tests/fuzz/xml_fuzz.c" "$root/xml/xml_reader.c" \
	"$root/xml/agreement_core.c" "$root/xml/calendar_core.c" \
	-lxml2 -o "$work/xml_fuzz"

mkdir -p "$work/corpus"
case "$target" in
agreement)
	cp "$root"/xml/samples/*.xml "$root"/xml/samples/broken/*.xml "$work/corpus/"
	cp "$root"/tests/fuzz/corpus/* "$work/corpus/" 2>/dev/null || true ;;
calendar)
	cp "$root"/xml/samples/calendar/*.xml "$work/corpus/" ;;
*)
	echo "unknown fuzz target $target" >&2; exit 2 ;;
esac

cd "$work"
MENTOR_FUZZ="$target" MENTOR_XSD="$root/xml/mentor_$target.xsd" ./xml_fuzz \
	-max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=5 \
	-print_final_stats=1 corpus 2>&1 | tail -15
echo "fuzz: ${target}_core ran ${seconds}s without a crash, leak or external load"
