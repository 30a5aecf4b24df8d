#!/usr/bin/env bash
# Fuzzes the INF parser and driver-package model with libFuzzer under ASan and
# UBSan for a while (default 600 s), seeded with the real INFs of the shared
# test data and their UTF-16LE conversions. Not part of CI.
#   bench/fuzz_inf.sh [SECONDS]
# Prints libFuzzer's final statistics; exits non-zero if it found a crash
# (the reproducer is left in build-fuzz/crash-*).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
seconds=${1:-600}
testdata=${TESTDATA:-$PWD/../shared/testdata}
out=build-fuzz
mkdir -p "$out/corpus"

clang -g -O1 -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Icore/include -Idrivers-inject/include \
	core/util/error.c core/util/strbuf.c core/io/*.c drivers-inject/*/*.c tests/fuzz/fuzz_inf.c \
	-o "$out/fuzz_inf"

for inf in "$testdata"/drivers/*/*.inf; do
	name=$(basename "$inf" .inf)
	cp "$inf" "$out/corpus/$name.inf"
	{ printf '\xff\xfe'; iconv -f WINDOWS-1252 -t UTF-16LE "$inf"; } >"$out/corpus/$name.utf16.inf"
done

cd "$out"
./fuzz_inf -max_total_time="$seconds" -max_len=65536 -dict=../tests/fuzz/inf.dict -print_final_stats=1 \
	-rss_limit_mb=2048 corpus 2>&1 | tail -25
