#!/usr/bin/env bash
# `lifeboat disks` benchmark (not part of the test suite): the time to
# describe a disk image with a GPT of 8 partitions holding ext4, NTFS, FAT32,
# exFAT and swap, against what a user runs instead: `sfdisk --json` for the
# table plus `blkid -p` on each partition (through a partition offset), in
# the same run, as a ratio. Usage: bench/disks.sh [LIFEBOAT-BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
LB=${1:-$here/build/rescue-app/lifeboat}
RUNS=${RUNS:-50}
for tool in sfdisk blkid mkfs.ext4 mkntfs mkfs.vfat mkfs.exfat mkswap bc; do
	command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

work=$(mktemp -d /tmp/lifeboat-disks-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
img=$work/disk.img
truncate -s 600M "$img"
sfdisk -q "$img" <<-'EOF'
	label: gpt
	size=64M, type=linux
	size=64M, type=linux
	size=96M, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
	size=64M, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
	size=64M, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
	size=32M, type=swap
	size=64M, type=linux
	size=64M, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
EOF
mkfs_at() { # mkfs_at N COMMAND...: the file system of partition N, made in a file and put in place
	local n=$1 start size
	shift
	read -r start size < <(sfdisk --json "$img" | python3 -c "import json,sys; p=json.load(sys.stdin)['partitiontable']['partitions'][$n-1]; print(p['start'], p['size'])")
	truncate -s $((size * 512)) "$work/p"
	"$@" "$work/p" >/dev/null 2>&1
	dd if="$work/p" of="$img" bs=512 seek="$start" conv=notrunc,sparse status=none
	rm -f "$work/p"
}
mkfs_at 1 mkfs.ext4 -q -F
mkfs_at 2 mkfs.ext4 -q -F
mkfs_at 3 mkntfs -q -F -Q
mkfs_at 4 mkfs.vfat -F 32
mkfs_at 5 mkfs.exfat
mkfs_at 6 mkswap
mkfs_at 7 mkfs.ext4 -q -F
mkfs_at 8 mkfs.vfat -F 32

starts=$(sfdisk --json "$img" | python3 -c "import json,sys; print(' '.join(f\"{p['start']*512}:{p['size']*512}\" for p in json.load(sys.stdin)['partitiontable']['partitions']))")
others() {
	sfdisk --json "$img" >/dev/null
	local part
	for part in $starts; do blkid -p -O "${part%%:*}" -S "${part##*:}" "$img" >/dev/null || true; done
}
ours() { "$LB" disks --json "$img" >/dev/null; }

# per_run_ms FUNCTION: mean milliseconds of one run over $RUNS runs
per_run_ms() {
	local s e i
	s=$(date +%s.%N)
	for ((i = 0; i < RUNS; i++)); do "$1"; done
	e=$(date +%s.%N)
	echo "($e - $s) * 1000 / $RUNS" | bc -l
}
ours >/dev/null
lb_ms=$(per_run_ms ours)
other_ms=$(per_run_ms others)
printf 'lifeboat disks --json (8 partitions):  %.1f ms\n' "$lb_ms"
printf 'sfdisk --json + blkid -p x 8:          %.1f ms\n' "$other_ms"
printf 'ratio:                                 %.1fx faster\n' "$(echo "$other_ms / $lb_ms" | bc -l)"
