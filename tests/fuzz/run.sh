#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS]: build the agreement fuzz target with clang's
# libFuzzer (ASan, UBSan, LeakSanitizer) and run it for SECONDS (default 20)
# from a seed corpus of the sample forms.  Exit 0 when it found nothing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${1:-20}
work=$(mktemp -d /tmp/mentor-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-I"$root/xml" $(xml2-config --cflags 2>/dev/null || echo -I/usr/include/libxml2) \
	"$root/tests/fuzz/agreement_fuzz.c" "$root/xml/agreement_core.c" "$root/xml/xml_reader.c" \
	-lxml2 -o "$work/agreement_fuzz"

mkdir -p "$work/corpus"
cp "$root"/xml/samples/*.xml "$root"/xml/samples/broken/*.xml "$work/corpus/"
cp "$root"/tests/fuzz/corpus/* "$work/corpus/" 2>/dev/null || true

cd "$work"
MENTOR_XSD="$root/xml/mentor_agreement.xsd" ./agreement_fuzz \
	-max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=5 \
	-print_final_stats=1 corpus 2>&1 | tail -15
echo "fuzz: agreement_core ran ${seconds}s without a crash, leak or external load"
