# Job files end to end through `lifeboat run`: a good job runs its steps and
# leaves a report (read back with python's json module), a dry run changes
# nothing, every kind of bad job is rejected before any step runs with one
# "FILE:LINE: what" line, jobs come from a URL or the kernel command line,
# reports are POSTed to an HTTP server on 127.0.0.1, and `report show` lists.
. "$TESTLIB"
need python3 mcopy

logs=$SCRATCH/logs
export LIFEBOAT_LOGS=$logs

# A fake machine: sysfs with two NICs and DMI, and a kernel command line.
root=$SCRATCH/root
mkdir -p "$root/sys/class/net/eth0" "$root/sys/class/net/lo" "$root/sys/class/dmi/id" "$root/proc"
echo "52:54:00:AA:BB:01" >"$root/sys/class/net/eth0/address"
echo "00:00:00:00:00:00" >"$root/sys/class/net/lo/address"
echo "VM-SERIAL-9" >"$root/sys/class/dmi/id/product_serial"
export LIFEBOAT_SYSROOT=$root

json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
last_report() { ls -t "$logs"/lifeboat-*.json | head -n1; }

# --- a good job ---------------------------------------------------------
cat >"$SCRATCH/good.job" <<JOB
# fleet job
set SITE = "${TEST_NAME}"
machine mac=52:54:00:aa:bb:01 name=PC-01 disk=$SCRATCH/disk.img
machine serial=OTHER name=PC-99 disk=/dev/null
shell echo "\${MACHINE:name} \${SERIAL} \${SITE}" >$SCRATCH/out-1
if \${MACHINE:name} == PC-99 then shell touch $SCRATCH/wrong-machine
if exists $SCRATCH/nothing-here then shell touch $SCRATCH/wrong-exists
shell echo "\${ENV:JOB_GREETING}-\${YEAR}" >$SCRATCH/out-2
JOB
truncate -s 1M "$SCRATCH/disk.img"
JOB_GREETING=hi "$LIFEBOAT" run --dry-run "$SCRATCH/good.job" >"$SCRATCH/dry.out"
check "dry run lists the steps" grep -q '^\[1/4\] line 5: shell echo "PC-01 VM-SERIAL-9 job"' "$SCRATCH/dry.out"
check "dry run runs nothing" test ! -e "$SCRATCH/out-1"
check "dry run writes no report" test ! -e "$logs"

JOB_GREETING=hi "$LIFEBOAT" run "$SCRATCH/good.job" >"$SCRATCH/run.out"
check_eq "machine row, serial and variable expanded" "PC-01 VM-SERIAL-9 job" "$(cat "$SCRATCH/out-1")"
check_eq "environment and date templates" "hi-$(date +%Y)" "$(cat "$SCRATCH/out-2")"
check "false == condition skips" test ! -e "$SCRATCH/wrong-machine"
check "false exists condition skips" test ! -e "$SCRATCH/wrong-exists"
check "summary line" grep -q 'good.job: 2 done, 0 failed, 2 skipped, 0 not run' "$SCRATCH/run.out"
report=$(last_report)
check_eq "report result" "success" "$(json "$report" 'd["result"]')"
check_eq "report machine" "52:54:00:aa:bb:01 VM-SERIAL-9" "$(json "$report" 'd["machine"]["mac"], d["machine"]["serial"]' | tr -d "(),'")"
check_eq "report operations" "success skipped skipped success" "$(json "$report" '" ".join(o["result"] for o in d["operations"])')"
check_eq "report job lines" "5 6 7 8" "$(json "$report" '" ".join(str(o["job_line"]) for o in d["operations"])')"

# --- bad jobs: rejected before any step runs -----------------------------
bad() { # NAME BODY...: writes a job whose first step would leave a marker
	printf 'shell touch %s/ran-%s\n' "$SCRATCH" "$1" >"$SCRATCH/$1.job"
	shift_name=$1; shift
	printf '%s\n' "$@" >>"$SCRATCH/$shift_name.job"
}
bad syntax 'shell echo "unterminated'
expect_fail "syntax error" 1 "syntax.job:2: unterminated quote$" "$LIFEBOAT" run "$SCRATCH/syntax.job"
bad unknown 'format disk=/dev/sda'
expect_fail "unknown step" 1 "unknown.job:2: unknown step 'format' \(steps: restore, " "$LIFEBOAT" run "$SCRATCH/unknown.job"
bad missing "restore image=$SCRATCH/none.lbi target=$SCRATCH/disk.img"
expect_fail "missing image" 1 "missing.job:2: restore: image '.*/none.lbi' not found$" "$LIFEBOAT" run "$SCRATCH/missing.job"
bad target "restore image=$SCRATCH/good.job target=/dev/nonexistent-disk"
expect_fail "missing target" 1 "target.job:2: restore: target '/dev/nonexistent-disk' not found$" "$LIFEBOAT" run "$SCRATCH/target.job"
bad template 'rename target=/dev/null name=${MACHINE:name}'
expect_fail "no machine row" 1 "template.job:2: \\$\\{MACHINE:name\\}: no machine row matches this machine$" "$LIFEBOAT" run "$SCRATCH/template.job"
bad env 'shell echo ${ENV:LIFEBOAT_TEST_UNSET}'
expect_fail "unset environment variable" 1 "env.job:2: .*LIFEBOAT_TEST_UNSET is not set$" "$LIFEBOAT" run "$SCRATCH/env.job"
for n in syntax unknown missing target template env; do
	check "$n: no step ran" test ! -e "$SCRATCH/ran-$n"
done
check_eq "a rejected job leaves a report saying why" "failed" "$(json "$(last_report)" 'd["result"]')"
check "rejected report names the line" grep -q 'env.job:2' "$(last_report)"

# --- runtime failures ------------------------------------------------------
cat >"$SCRATCH/engine.job" <<JOB
restore image=$SCRATCH/good.job target=$SCRATCH/disk.img
shell touch $SCRATCH/after-failure
if failed then shell touch $SCRATCH/on-failure
JOB
sum_before=$(sha256sum <"$SCRATCH/disk.img")
rc=0; "$LIFEBOAT" run "$SCRATCH/engine.job" >/dev/null 2>"$SCRATCH/err" || rc=$?
check_eq "failed step exits 1" 1 "$rc"
check "stop_at_error: later step not run" test ! -e "$SCRATCH/after-failure"
check "if failed step runs" test -e "$SCRATCH/on-failure"
check_eq "target untouched" "$sum_before" "$(sha256sum <"$SCRATCH/disk.img")"
check_eq "report: failed, not run" "failed not run success" "$(json "$(last_report)" '" ".join(o["result"] for o in d["operations"])')"

# Engine steps run the lifeboat commands: capture then restore a FAT image.
if command -v mkfs.vfat >/dev/null; then
	truncate -s 8M "$SCRATCH/fat.img"
	mkfs.vfat -n JOBFAT "$SCRATCH/fat.img" >/dev/null
	truncate -s 8M "$SCRATCH/fat-copy.img"
	cat >"$SCRATCH/image.job" <<JOB
capture source=$SCRATCH/fat.img image=$SCRATCH/fat.lbi comment="from a job"
verify image=$SCRATCH/fat.lbi
restore image=$SCRATCH/fat.lbi target=$SCRATCH/fat-copy.img
JOB
	"$LIFEBOAT" run "$SCRATCH/image.job" >/dev/null
	check "capture and restore steps: the copy equals the source" cmp "$SCRATCH/fat.img" "$SCRATCH/fat-copy.img"
	check_eq "report: image steps succeeded" "success success success" \
		"$(json "$(last_report)" '" ".join(o["result"] for o in d["operations"])')"
	check_eq "report: each image step names the same image ID" "1 False" \
		"$(json "$(last_report)" 'len(set(o["image_id"] for o in d["operations"])), None in [o["image_id"] for o in d["operations"]]' | tr -d "(),")"
	# encrypted and split: the password and the folder of the other volumes
	# come from the step
	printf 'job secret\n' >"$SCRATCH/pw"
	mkdir -p "$SCRATCH/vols"
	truncate -s 8M "$SCRATCH/fat2.img" "$SCRATCH/fat-enc.img"
	mkfs.vfat "$SCRATCH/fat2.img" >/dev/null
	head -c 2500K /dev/urandom >"$SCRATCH/noise.bin"
	mcopy -i "$SCRATCH/fat2.img" "$SCRATCH/noise.bin" ::/
	cat >"$SCRATCH/enc.job" <<JOB
capture source=$SCRATCH/fat2.img image=$SCRATCH/enc.lbi encrypt=yes password_file=$SCRATCH/pw split=1M compress=none
shell mv $SCRATCH/enc.lbi.002 $SCRATCH/vols/
verify image=$SCRATCH/enc.lbi password_file=$SCRATCH/pw volumes=$SCRATCH/vols
restore image=$SCRATCH/enc.lbi target=$SCRATCH/fat-enc.img password_file=$SCRATCH/pw volumes=$SCRATCH/vols
JOB
	env -u LIFEBOAT_PASSWORD "$LIFEBOAT" run "$SCRATCH/enc.job" </dev/null >/dev/null
	check "encrypted split image steps: the copy equals the source" cmp "$SCRATCH/fat2.img" "$SCRATCH/fat-enc.img"
	check "the image really is encrypted" sh -c "'$LIFEBOAT' info --json '$SCRATCH/enc.lbi' --volumes '$SCRATCH/vols' | grep -q aes-256-gcm"
	check_eq "report: encrypted image steps succeeded" "success success success success" \
		"$(json "$(last_report)" '" ".join(o["result"] for o in d["operations"])')"
else
	fail "mkfs.vfat is needed for the engine steps"
fi

cat >"$SCRATCH/power.job" <<JOB
poweroff
shell touch $SCRATCH/after-poweroff
JOB
expect_fail "poweroff outside the rescue system is only a warning" 0 '^$' env -u LIFEBOAT_RESCUE_SYSTEM "$LIFEBOAT" run "$SCRATCH/power.job"
check "nothing runs after poweroff" test ! -e "$SCRATCH/after-poweroff"
check "poweroff warning" grep -q "warning: the job asks to power off; not done outside the rescue system" "$SCRATCH/err"
cat >"$SCRATCH/failed-power.job" <<JOB
shell false
poweroff
if failed then poweroff
JOB
expect_fail "a failed job still ends with 'if failed then poweroff'" 1 'failed-power.job: shell: the command exited with status 1' \
	env -u LIFEBOAT_RESCUE_SYSTEM "$LIFEBOAT" run "$SCRATCH/failed-power.job"
check "a failed job's power-off is reached" grep -q "warning: the job asks to power off" "$SCRATCH/err"
check "the failed job says it powers off" grep -q "the job is done, power off" "$SCRATCH/out"

# --- mount: a folder that only exists once an earlier step has run ---------
if command -v losetup >/dev/null && mkfs.ext4 -q -F "$SCRATCH/fs.img" 8M 2>/dev/null &&
	loop=$(losetup -f --show "$SCRATCH/fs.img" 2>/dev/null); then
	on_exit "umount '$SCRATCH/mnt/images' 2>/dev/null; losetup -d $loop"
	cat >"$SCRATCH/mount.job" <<JOB
mount device=$loop at=$SCRATCH/mnt/images
shell echo stored >$SCRATCH/mnt/images/file
if exists $SCRATCH/mnt/images/file then shell touch $SCRATCH/mount-ok
JOB
	"$LIFEBOAT" run "$SCRATCH/mount.job" >/dev/null
	check "mount step: a folder under the mount point is usable" test -e "$SCRATCH/mount-ok"
	umount "$SCRATCH/mnt/images"
	check_eq "mount step: written to the file system" "stored" "$(debugfs -R 'cat /file' "$SCRATCH/fs.img" 2>/dev/null)"
else
	fail "no loop device for the mount step test"
fi

# --- URL jobs, kernel command line, POSTed reports ----------------------------
www=$SCRATCH/www
mkdir -p "$www"
python3 "$(dirname "$0")/helpers/http_sink.py" "$www" "$SCRATCH/port" &
server=$!
on_exit "kill $server"
for _ in $(seq 100); do [ -e "$SCRATCH/port" ] && break; sleep 0.05; done
port=$(cat "$SCRATCH/port")
cat >"$www/net.job" <<JOB
report = http://127.0.0.1:$port/reports
shell touch $SCRATCH/net-ran
JOB
"$LIFEBOAT" run "http://127.0.0.1:$port/net.job" >/dev/null
check "job fetched over HTTP ran" test -e "$SCRATCH/net-ran"
check_eq "report POSTed as JSON" "application/json success" "$(cat "$www/post-1.type") $(json "$www/post-1.json" 'd["result"]')"
check_eq "POSTed report names the URL job" "http://127.0.0.1:$port/net.job" "$(json "$www/post-1.json" 'd["job"]')"
expect_fail "job URL that is not there" 1 "net-missing.job: the server answered 404" "$LIFEBOAT" run "http://127.0.0.1:$port/net-missing.job"
kill "$server"; wait "$server" 2>/dev/null || true
expect_fail "job URL that does not answer" 1 "http://127.0.0.1:$port/net.job: no answer: Connection refused" "$LIFEBOAT" run "http://127.0.0.1:$port/net.job"
expect_fail "host names are refused" 1 "give the server as an IP address" "$LIFEBOAT" run "http://example.invalid/x.job"

echo "quiet lifeboat.job=$SCRATCH/good.job console=ttyS0" >"$root/proc/cmdline"
rm -f "$SCRATCH/out-1"
JOB_GREETING=x "$LIFEBOAT" run --from-cmdline >/dev/null
check "job from the kernel command line ran" test -e "$SCRATCH/out-1"
echo "quiet" >"$root/proc/cmdline"
check_eq "no lifeboat.job= means nothing to do" "no lifeboat.job= on the kernel command line" "$("$LIFEBOAT" run --from-cmdline)"

# --- report show -----------------------------------------------------------
"$LIFEBOAT" report show >"$SCRATCH/list"
check_eq "report show lists every report" "$(ls "$logs"/lifeboat-*.json | wc -l)" "$(($(wc -l <"$SCRATCH/list") - 1))"
check "report show gives the error of a failed job" grep -q 'failed .*good.job: image ends early' "$SCRATCH/list"
check "report show FILE prints it" grep -q '"lifeboat_report": 1' <<<"$("$LIFEBOAT" report show "$(last_report)")"
expect_fail "report show of a non-report" 1 "good.job: offset 0: unexpected character" "$LIFEBOAT" report show "$SCRATCH/good.job"
expect_fail "run without a job" 2 "run: give a JOB or --from-cmdline" "$LIFEBOAT" run

finish
