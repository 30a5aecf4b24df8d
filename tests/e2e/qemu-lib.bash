# Helpers for the QEMU boot tests (sourced after $TESTLIB): boot a machine
# under TCG with its serial console in a log file, wait for a pattern,
# then stop it. Firmware: SeaBIOS, or OVMF with Secure Boot and
# Microsoft's keys enrolled (a private copy of OVMF_VARS_4M.ms.fd).

OVMF_CODE_SB=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd
OVMF_VARS_MS=/usr/share/OVMF/OVMF_VARS_4M.ms.fd

# rescue_iso OUT [LIFEBOAT-BUILD-ISO-ARGS...]: builds the rescue ISO OUT
# with a 1 s menu timeout and checks it was made.
rescue_iso() {
	local out=$1; shift
	"$BUILD_DIR/builder/lifeboat-build" iso --timeout 1 "$@" -o "$out" 2>/dev/null
	check "ISO built" test -s "$out"
}

# serial_tui_boot ISO DISK...: boots ISO with its serial console on a tmux
# pane (tmux.sh, vt220 80x24) and each DISK as a raw virtio disk, in order.
serial_tui_boot() {
	local iso=$1 drives="" disk; shift
	for disk in "$@"; do drives+=" -drive file='$disk',format=raw,if=virtio"; done
	tui_start 80 24 vt220 "qemu-system-x86_64 -accel tcg -m 512 -display none -monitor none -no-reboot \
		-chardev stdio,id=s,signal=off -serial chardev:s -cdrom '$iso'$drives"
}

# ovmf_sb_args NAME: QEMU arguments for a q35 machine with Secure Boot on.
ovmf_sb_args() {
	cp "$OVMF_VARS_MS" "$SCRATCH/$1.vars.fd"
	echo "-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on" \
		"-drive if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE_SB" \
		"-drive if=pflash,format=raw,unit=1,file=$SCRATCH/$1.vars.fd"
}

# qemu_until NAME SECONDS PATTERN QEMU-ARGS...: boots, returns 0 as soon
# as the serial log ($SCRATCH/NAME.log) matches the extended regex
# PATTERN, 1 when SECONDS pass or QEMU stops first. QEMU is then killed.
qemu_until() {
	local name=$1 limit=$2 pattern=$3; shift 3
	local log="$SCRATCH/$name.log" waited=0 found=1
	: >"$log"
	qemu-system-x86_64 -accel tcg -m 512 -display none -monitor none -no-reboot \
		-serial "file:$log" "$@" >"$SCRATCH/$name.qemu" 2>&1 &
	local pid=$!
	while [ "$waited" -lt "$limit" ] && kill -0 "$pid" 2>/dev/null; do
		if grep -aEq "$pattern" "$log"; then found=0; break; fi
		sleep 1
		waited=$((waited + 1))
	done
	grep -aEq "$pattern" "$log" && found=0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
	echo "# $name: $waited s" >&2
	if [ "$found" -ne 0 ]; then
		echo "# $name: no match for [$pattern]; serial log tail:" >&2
		tr -d '\033' <"$log" | tail -n 15 | sed 's/^/#   /' >&2
	fi
	return "$found"
}

# The first screen of the rescue system on the serial console.
RESCUE_READY='Lifeboat rescue system [0-9]'

# qemu_to_poweroff NAME SECONDS QEMU-ARGS...: boots and waits until the
# machine powers itself off (QEMU exits; its disks are then complete);
# non-zero when QEMU fails or SECONDS pass first (QEMU is killed). Serial log in $SCRATCH/NAME.log.
qemu_to_poweroff() {
	local name=$1 limit=$2; shift 2
	local log="$SCRATCH/$name.log" waited=0
	: >"$log"
	qemu-system-x86_64 -accel tcg -m 512 -display none -monitor none -no-reboot \
		-serial "file:$log" "$@" >"$SCRATCH/$name.qemu" 2>&1 &
	local pid=$!
	while [ "$waited" -lt "$limit" ] && kill -0 "$pid" 2>/dev/null; do
		sleep 1
		waited=$((waited + 1))
	done
	echo "# $name: $waited s" >&2
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		wait "$pid" 2>/dev/null || true
		echo "# $name: still running after $limit s; serial log tail:" >&2
		tr -d '\033' <"$log" | tail -n 15 | sed 's/^/#   /' >&2
		return 1
	fi
	local rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ] || { echo "# $name: QEMU failed ($rc):" >&2; sed 's/^/#   /' "$SCRATCH/$name.qemu" >&2; }
	return "$rc"
}
