#!/usr/bin/env bash
# Fuzzes the .lbi reader (tests/fuzz/fuzz_lbi_reader.c) with libFuzzer under
# ASan+UBSan, seeded with small real images. Not part of the test suite.
# Usage: bench/fuzz_reader.sh [SECONDS]   (default 600)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-600}
out=$here/build-fuzz
corpus=$out/corpus
mkdir -p "$corpus"

cmake -S "$here" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLIFEBOAT_SANITIZE=ON \
	-DCMAKE_C_COMPILER=clang -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link -Wno-error" >/dev/null
ninja -C "$out" lifeboat-core lifeboat >/dev/null
clang -g -O1 -fsanitize=fuzzer,address,undefined -I"$here/core/include" \
	"$here/tests/fuzz/fuzz_lbi_reader.c" "$out/core/liblifeboat-core.a" \
	-lntfs-3g -lhivex -lcrypto -lzstd -lz -lbz2 -lxxhash -lpthread -lm -o "$out/fuzz_lbi_reader"

# seeds: a small ext4 image and a two-partition disk image, in every codec
seed=$(mktemp -d)
trap 'rm -rf "$seed"' EXIT
mkfs.ext4 -q -F "$seed/fs.img" 4M
for codec in zstd zlib bzip2 none; do
	"$out/rescue-app/lifeboat" capture --chunk-size 64K --compress "$codec" "$seed/fs.img" "$corpus/fs-$codec.lbi"
done
truncate -s 8M "$seed/disk.img"
printf 'label: gpt\nsize=2M\nsize=2M\n' | sfdisk -q "$seed/disk.img"
"$out/rescue-app/lifeboat" capture --chunk-size 64K "$seed/disk.img" "$corpus/disk.lbi"

"$out/fuzz_lbi_reader" -max_total_time="$secs" -max_len=262144 -rss_limit_mb=1024 "$corpus"
