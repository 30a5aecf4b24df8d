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

# seeds: a small ext4 image and a two-partition disk image, in every codec,
# an encrypted image (password "fuzz", 1 MiB scrypt) and a split image; each
# behind the harness's mode byte (0 one file, 1 volumes with lengths)
seed=$(mktemp -d)
trap 'rm -rf "$seed"' EXIT
one_file() { { printf '\0'; cat "$1"; } >"$2"; }
volumes() {
	local to=$1 v
	shift
	printf '\1' >"$to"
	for v in "$@"; do
		python3 -c 'import struct, sys; sys.stdout.buffer.write(struct.pack("<I", int(sys.argv[1])))' "$(stat -c %s "$v")" >>"$to"
		cat "$v" >>"$to"
	done
}
lb=$out/rescue-app/lifeboat
mkfs.ext4 -q -F "$seed/fs.img" 4M
for codec in zstd zlib bzip2 none; do
	"$lb" capture --chunk-size 64K --compress "$codec" "$seed/fs.img" "$seed/fs-$codec.lbi"
	one_file "$seed/fs-$codec.lbi" "$corpus/fs-$codec"
done
truncate -s 8M "$seed/disk.img"
printf 'label: gpt\nsize=2M\nsize=2M\n' | sfdisk -q "$seed/disk.img"
"$lb" capture --chunk-size 64K "$seed/disk.img" "$seed/disk.lbi"
one_file "$seed/disk.lbi" "$corpus/disk"
LIFEBOAT_PASSWORD=fuzz "$lb" capture --encrypt --kdf-memory 1M --chunk-size 64K "$seed/fs.img" "$seed/enc.lbi"
one_file "$seed/enc.lbi" "$corpus/encrypted"
mkdir "$seed/tree"
head -c 1200K /dev/urandom >"$seed/tree/noise"
mkfs.ext4 -q -F -d "$seed/tree" "$seed/full.img" 4M
"$lb" capture --chunk-size 64K --compress none --split 1M "$seed/full.img" "$seed/split.lbi"
volumes "$corpus/split" "$seed"/split.lbi*

"$out/fuzz_lbi_reader" -max_total_time="$secs" -max_len=2097152 -rss_limit_mb=1024 "$corpus"
