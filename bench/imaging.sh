#!/usr/bin/env bash
# Imaging benchmark (not part of the test suite): Lifeboat against the
# pipelines users run today, side by side in one run, on the same data.
#   ext4: a 2 GiB file system with ~1.2 GiB of mixed data (copies of /usr,
#         random files, some deleted so free space is dirty), against
#         partclone.ext4 -c | zstd -T2 -3, zstd -d | partclone.ext4 -r, and
#         zstd -d alone (the ceiling for a restore).
#   NTFS: the same tree in a 2 GiB NTFS, against partclone.ntfs and ntfsclone.
# Everything lives in a tmpfs, so this measures CPU and pipeline cost.
# Usage: bench/imaging.sh [LIFEBOAT-BINARY]    (as root; needs partclone, zstd, ntfs-3g)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
LB=${1:-$here/build/rescue-app/lifeboat}
RUNS=${RUNS:-3}
for tool in partclone.ext4 partclone.ntfs ntfsclone zstd mkntfs /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

work=$(mktemp -d /dev/shm/lifeboat-bench.XXXXXX)
mnt=$work/mnt
cleanup() { umount "$mnt" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$mnt"

# median SECONDS... of a command run $RUNS times (bash -o pipefail -c)
median_time() {
	local ts=() i s e
	for ((i = 0; i < RUNS; i++)); do
		s=$(date +%s.%N)
		bash -o pipefail -c "$1" >/dev/null 2>>"$work/err.log" || { echo "FAILED: $1" >&2; tail -3 "$work/err.log" >&2; exit 1; }
		e=$(date +%s.%N)
		ts+=("$(echo "$e - $s" | bc -l)")
	done
	printf '%s\n' "${ts[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p"
}

peak_rss_mib() {
	/usr/bin/time -f '%M' bash -c "$1" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'
}

fill_tree() {
	local d=$1
	mkdir -p "$d/c1" "$d/c2" "$d/media" "$d/tmpjunk"
	cp -a /usr/bin /usr/include /usr/share/man /usr/share/locale "$d/c1/"
	cp -a /usr/include /usr/share/man "$d/c2/"
	for i in 1 2 3; do head -c 50M /dev/urandom >"$d/media/r$i.bin"; done
	cp -a /usr/share/locale "$d/tmpjunk/"
	head -c 100M /dev/urandom >"$d/tmpjunk/junk.bin"
	sync
	rm -rf "$d/tmpjunk"
	find "$d/c1/bin" -type f | awk 'NR % 10 == 0' | xargs -r rm -f
}

ratio() { echo "scale=2; $1 / $2" | bc -l; }

report() {
	local fs=$1 used=$2 lbc=$3 lbr=$4 lbsize=$5 pcc=$6 pcr=$7 pcsize=$8 zd=$9 extra=${10}
	echo
	echo "== $fs: $((used / 1000000)) MB used (MB = 10^6 bytes) =="
	printf '%-44s %8s %10s %12s\n' "pipeline" "seconds" "MB/s used" "image bytes"
	printf '%-44s %8.2f %10.0f %12s\n' "lifeboat capture (zstd:3, XXH3 per chunk)" "$lbc" "$(ratio "$used/1000000" "$lbc")" "$lbsize"
	printf '%-44s %8.2f %10.0f %12s\n' "partclone.$fs -c | zstd -T2 -3" "$pcc" "$(ratio "$used/1000000" "$pcc")" "$pcsize"
	printf '%-44s %8.2f %10.0f\n' "lifeboat restore (every chunk verified)" "$lbr" "$(ratio "$used/1000000" "$lbr")"
	printf '%-44s %8.2f %10.0f\n' "zstd -d | partclone.$fs -r" "$pcr" "$(ratio "$used/1000000" "$pcr")"
	printf '%-44s %8.2f %10.0f\n' "zstd -d alone (restore ceiling)" "$zd" "$(ratio "$used/1000000" "$zd")"
	[ -n "$extra" ] && printf '%s\n' "$extra"
	echo "capture speed-up vs partclone+zstd:   $(ratio "$pcc" "$lbc")x (goal >= 1.5x)"
	echo "image size vs partclone+zstd:         $(ratio "$lbsize" "$pcsize")x (goal <= 1.00x)"
	echo "restore speed-up vs zstd|partclone:   $(ratio "$pcr" "$lbr")x (goal >= 2x)"
	echo "restore time vs zstd -d alone:        $(ratio "$lbr" "$zd")x (goal <= 1.5x)"
}

bench_fs() {
	local fs=$1 src=$2 tgt=$3 used=$4 extra_rows=${5:-}
	local lbc lbr pcc pcr zd
	lbc=$(median_time "'$LB' capture --progress=none '$src' '$work/img.lbi'")
	pcc=$(median_time "partclone.$fs -q -c -s '$src' -o - | zstd -q -T2 -3 -f -o '$work/img.pc.zst'")
	lbr=$(median_time "'$LB' restore --yes --progress=none '$work/img.lbi' '$tgt'")
	pcr=$(median_time "zstd -q -d -c '$work/img.pc.zst' | partclone.$fs -q -r -s - -O '$tgt'")
	zd=$(median_time "zstd -q -d -c '$work/img.pc.zst' >/dev/null")
	report "$fs" "$used" "$lbc" "$lbr" "$(stat -c %s "$work/img.lbi")" "$pcc" "$pcr" \
		"$(stat -c %s "$work/img.pc.zst")" "$zd" "$extra_rows"
	echo "peak RSS: capture $(peak_rss_mib "'$LB' capture --progress=none '$src' '$work/rss.lbi'") MiB, restore $(peak_rss_mib "'$LB' restore --yes --progress=none '$work/img.lbi' '$tgt'") MiB (goal <= 256)"
	rm -f "$work/rss.lbi"
}

# ---- ext4 ----
truncate -s 2G "$work/ext4.img"
mkfs.ext4 -q -F "$work/ext4.img"
mount -o loop "$work/ext4.img" "$mnt"
fill_tree "$mnt"
umount "$mnt"
e2fsck -fn "$work/ext4.img" >/dev/null
used=$(dumpe2fs -h "$work/ext4.img" 2>/dev/null | awk -F: '/^Block count/ {b=$2} /^Free blocks/ {f=$2} /^Block size/ {s=$2} END {print (b - f) * s}')
truncate -s 2G "$work/ext4-target.img"
bench_fs ext4 "$work/ext4.img" "$work/ext4-target.img" "$used"
e2fsck -fn "$work/ext4-target.img" >/dev/null && echo "restored ext4: e2fsck -fn clean"
rm -f "$work/ext4-target.img" "$work/img.lbi" "$work/img.pc.zst"

# ---- NTFS: the same tree, over the dirty ext4 bytes ----
mv "$work/ext4.img" "$work/ntfs.img"
mkntfs -Q -F -q "$work/ntfs.img"
ntfs-3g "$work/ntfs.img" "$mnt"
fill_tree "$mnt"
umount "$mnt"
used=$(ntfscluster -f "$work/ntfs.img" 2>/dev/null | awk '/bytes per cluster/ {c=$NF} /clusters in use/ {u=$NF} END {print c * u}' || true)
[ -n "$used" ] && [ "$used" -gt 0 ] || used=$(ntfsinfo -m "$work/ntfs.img" 2>/dev/null | awk '/Cluster Size/ {c=$NF} /Free Clusters/ {f=$3} /Volume Size in Clusters/ {t=$NF} END {print (t - f) * c}')
truncate -s 2G "$work/ntfs-target.img"
nc=$(median_time "ntfsclone -f -q --save-image -o - '$work/ntfs.img' | zstd -q -T2 -3 -f -o '$work/img.nc.zst'")
ncr=$(median_time "zstd -q -d -c '$work/img.nc.zst' | ntfsclone -q -f --restore-image --overwrite '$work/ntfs-target.img' -")
bench_fs ntfs "$work/ntfs.img" "$work/ntfs-target.img" "$used" \
	"$(printf '%-44s %8.2f %10s %12s\n%-44s %8.2f' "ntfsclone --save-image | zstd -T2 -3" "$nc" "" "$(stat -c %s "$work/img.nc.zst")" "zstd -d | ntfsclone --restore-image" "$ncr")"
ntfsfix -n "$work/ntfs-target.img" >/dev/null && echo "restored NTFS: ntfsfix -n clean"

# ---- fixed cost per partition: an empty 16 MiB ext4, where almost all time is overhead ----
mkfs.ext4 -q -F "$work/tiny.img" 16M
truncate -s 16M "$work/tiny-target.img"
tc=$(median_time "'$LB' capture --progress=none '$work/tiny.img' '$work/tiny.lbi'")
tr=$(median_time "'$LB' restore --yes --progress=none '$work/tiny.lbi' '$work/tiny-target.img'")
pc=$(median_time "partclone.ext4 -q -c -s '$work/tiny.img' -o - | zstd -q -T2 -3 -f -o '$work/tiny.pc.zst'")
pr=$(median_time "zstd -q -d -c '$work/tiny.pc.zst' | partclone.ext4 -q -r -s - -O '$work/tiny-target.img'")
echo
echo "== fixed cost per partition (empty 16 MiB ext4) =="
printf 'lifeboat capture %.3f s, restore %.3f s (goal <= 0.1 s); partclone+zstd capture %.3f s, restore %.3f s\n' \
	"$tc" "$tr" "$pc" "$pr"
