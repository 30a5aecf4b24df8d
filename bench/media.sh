#!/usr/bin/env bash
# Media benchmark (not part of the test suite): size of the default ISO,
# time of `lifeboat-build iso` and `lifeboat-build usb`, and time from QEMU
# power-on to the rescue app's first screen on the serial console, against
# the same kernel with a bare busybox initramfs booted the same way (an ISO
# made by lifeboat-build with --initrd, so firmware, isolinux and kernel are
# identical; only what runs after the kernel differs).
# Usage: bench/media.sh [BUILD-DIR]    (as root, after ./build.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
LBB=$build/builder/lifeboat-build
APP=$build/rescue-app/lifeboat
RUNS=${RUNS:-3}

work=$(mktemp -d /tmp/lifeboat-media-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }

# median of the lines on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# seconds COMMAND...: wall time of one run
seconds() {
	local s e
	s=$(now)
	"$@" >/dev/null 2>>"$work/err.log" || { echo "FAILED: $*" >&2; tail -3 "$work/err.log" >&2; exit 1; }
	e=$(now)
	echo "$e - $s" | bc -l
}

# boot_seconds ISO PATTERN: QEMU (TCG, SeaBIOS, ISO as CD) until the serial
# console matches PATTERN; prints the seconds from start.
boot_seconds() {
	local iso=$1 pattern=$2 log=$work/serial.log s t pid
	: >"$log"
	s=$(now)
	qemu-system-x86_64 -accel tcg -m 512 -display none -monitor none -no-reboot \
		-serial "file:$log" -cdrom "$iso" >/dev/null 2>&1 &
	pid=$!
	while ! grep -aq "$pattern" "$log"; do
		kill -0 "$pid" 2>/dev/null || { echo "QEMU stopped before '$pattern'" >&2; exit 1; }
		sleep 0.05
	done
	t=$(now)
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	echo "$t - $s" | bc -l
}

# A bare rescue system: busybox-static and an /init that says it is there.
bare_initramfs() {
	local root=$work/bare
	mkdir -p "$root/bin" "$root/dev" "$root/proc"
	cp /bin/busybox "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cat >"$root/init" <<-'EOF'
		#!/bin/sh
		/bin/busybox mount -t devtmpfs devtmpfs /dev
		echo BARE-BUSYBOX-READY >/dev/ttyS0
		exec /bin/sh
	EOF
	chmod 755 "$root/init"
	(cd "$root" && find . | cpio --quiet -o -H newc | zstd -q -12 >"$work/bare.img")
}

export SOURCE_DATE_EPOCH=1700000000
iso_times=() usb_times=()
for ((i = 0; i < RUNS; i++)); do
	iso_times+=("$(seconds "$LBB" iso --app "$APP" -o "$work/lifeboat.iso")")
	usb_times+=("$(seconds "$LBB" usb --app "$APP" -o "$work/stick.img")")
done
iso_mb=$(stat -c %s "$work/lifeboat.iso" | awk '{ printf "%.1f", $1 / 1e6 }')

bare_initramfs
"$LBB" iso --timeout 1 --append console=ttyS0,115200 --app "$APP" -o "$work/serial.iso" 2>>"$work/err.log"
"$LBB" iso --timeout 1 --append console=ttyS0,115200 --initrd "$work/bare.img" -o "$work/bare.iso" 2>>"$work/err.log"
lb_boot=() bare_boot=()
for ((i = 0; i < RUNS; i++)); do
	lb_boot+=("$(boot_seconds "$work/serial.iso" 'Reboot / Power off')")
	bare_boot+=("$(boot_seconds "$work/bare.iso" 'BARE-BUSYBOX-READY')")
done

iso_s=$(printf '%s\n' "${iso_times[@]}" | median)
usb_s=$(printf '%s\n' "${usb_times[@]}" | median)
lb_s=$(printf '%s\n' "${lb_boot[@]}" | median)
bare_s=$(printf '%s\n' "${bare_boot[@]}" | median)
printf 'ISO size:                         %s MB (target <= 40 MB)\n' "$iso_mb"
printf 'lifeboat-build iso:               %.2f s (target <= 10 s)\n' "$iso_s"
printf 'lifeboat-build usb:               %.2f s (target <= 10 s)\n' "$usb_s"
printf 'boot to the app, SeaBIOS + CD:    %.2f s\n' "$lb_s"
printf 'boot to bare busybox, same way:   %.2f s\n' "$bare_s"
printf 'ratio:                            %.2fx (target <= 1.5x)\n' "$(echo "$lb_s / $bare_s" | bc -l)"
