#!/usr/bin/env bash
# Builder benchmark (not part of the test suite): how long lifeboat-build
# takes for each output, from the installed packages (the initramfs is
# built every time, as a user's first run does), and how big the ISO is.
#   iso       lifeboat-build iso -o X.iso                       (goal <= 10 s, <= 40 MB)
#   usb       lifeboat-build usb --size 1G -o X.img             (goal <= 10 s)
#   recovery  lifeboat-build recovery --disk X.img --size 1G    on a 2 GiB Windows-like
#             GPT disk (ESP, MSR, NTFS C:), a fresh copy each run; and --remove
# Prints the median of $RUNS runs (default 3) of each.
# Usage: bench/builder.sh [LIFEBOAT-BUILD-BINARY]    (as root)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$here/build/builder/lifeboat-build}
RUNS=${RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/lifeboat-bench-builder.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/builder_fixtures.sh"

# median PREPARE-CMD CMD: runs PREPARE-CMD (untimed) then CMD, $RUNS times.
median() {
	local prepare=$1 cmd=$2 i t
	for ((i = 0; i < RUNS; i++)); do
		eval "$prepare" >/dev/null 2>&1
		/usr/bin/time -f %e -o "$work/time" bash -c "$cmd >/dev/null 2>&1"
		cat "$work/time"
	done | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

printf '%-34s %8s\n' output "median s"
printf '%-34s %8s\n' "iso" "$(median "rm -f $work/a.iso" "'$BUILD' iso -o $work/a.iso")"
printf '%-34s %8s\n' "usb (1 GiB image)" "$(median "rm -f $work/a.img" "'$BUILD' usb --size 1G -o $work/a.img")"
windows_disk "$work/disk.img" 2048 yes
printf '%-34s %8s\n' "recovery (1 GiB partition)" \
	"$(median "cp --sparse=always $work/disk.img $work/r.img" "'$BUILD' recovery --disk $work/r.img --size 1G")"
printf '%-34s %8s\n' "recovery --remove" \
	"$(median "cp --sparse=always $work/disk.img $work/r.img; '$BUILD' recovery --disk $work/r.img --size 1G" \
		"'$BUILD' recovery --disk $work/r.img --remove")"
printf '%-34s %8s\n' "verify (ISO)" "$(median ":" "'$BUILD' verify $work/a.iso")"
printf 'ISO size: %s bytes (%s MB)\n' "$(stat -c %s "$work/a.iso")" "$(($(stat -c %s "$work/a.iso") / 1000000))"
