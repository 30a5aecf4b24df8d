# A boot job from the USB stick: `job=` in the stick's lifeboat.cfg names a
# job on the stick; the rescue system runs it once at boot with the
# machine's real facts (DMI serial from QEMU's SMBIOS, the NIC's MAC, a
# machine-table row), writes its output to the serial console and to
# logs/job.log and its report to logs/ on the stick, and powers off. A job
# that is not on the stick is reported on the console and the rescue app
# starts as usual. Judges: mtools (mtype, mdir) and python's json.
. "$TESTLIB"
. "$(dirname "$0")/qemu-lib.bash"
need qemu-system-x86_64 mtype mcopy mdir python3
BUILD="$BUILD_DIR/builder/lifeboat-build"
"$LIFEBOAT_STATIC" help run >/dev/null 2>&1 || { echo "skip: this lifeboat has no run command"; exit 77; }

stick=$SCRATCH/stick.img
"$BUILD" usb --timeout 1 --size 128M --app "$LIFEBOAT_STATIC" -o "$stick" 2>/dev/null
check "stick built" test -s "$stick"
fat="$stick@@1M"

# set_job NAME: job=NAME in the stick's lifeboat.cfg.
set_job() {
	mtype -i "$fat" ::/lifeboat.cfg | tr -d '\r' | sed "s|^job=.*|job=$1|" >"$SCRATCH/lifeboat.cfg"
	mcopy -o -i "$fat" "$SCRATCH/lifeboat.cfg" ::/lifeboat.cfg
}
cat >"$SCRATCH/hello.job" <<'JOB'
# runs in the stick's root folder
machine serial=LB-SERIAL-7 name=PC-42
shell echo "${MACHINE:name} ${MAC} ${SERIAL}" >logs/hello.txt
poweroff
JOB
mmd -i "$fat" ::/jobs
mcopy -i "$fat" "$SCRATCH/hello.job" ::/jobs/hello.job
set_job jobs/hello.job

boot() { # NAME: SeaBIOS, the stick as the hard disk, a NIC and a DMI serial
	echo "-drive file=$stick,format=raw,if=ide -nic user,model=e1000,mac=52:54:00:aa:bb:cc -smbios type=1,serial=LB-SERIAL-7"
}
check "the stick's job runs at boot and powers off" qemu_to_poweroff stick-job 600 $(boot)
check_eq "the job saw this machine: machine row, MAC, DMI serial" "PC-42 52:54:00:aa:bb:cc LB-SERIAL-7" \
	"$(mtype -i "$fat" ::/logs/hello.txt 2>/dev/null | tr -d '\r')"
check "job output on the serial console" grep -aq 'jobs/hello.job: 2 done, 0 failed' "$SCRATCH/stick-job.log"
check "job output in logs/job.log on the stick" grep -q 'jobs/hello.job: 2 done, 0 failed' <(mtype -i "$fat" ::/logs/job.log 2>/dev/null)
report=$(mdir -b -i "$fat" ::/logs 2>/dev/null | grep -o 'lifeboat-.*\.json$' | tail -n 1)
check "a report in logs/ on the stick" test -n "$report"
check_eq "the report: success, this machine, both steps" "success LB-SERIAL-7 shell poweroff" \
	"$(mtype -i "$fat" "::/logs/$report" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["result"], d["machine"]["serial"], *[o["what"] for o in d["operations"]])')"

set_job jobs/missing.job
check "a job that is not there: the rescue app starts" qemu_until stick-missing 300 "$RESCUE_READY" $(boot)
check "a job that is not there: the console says so" \
	grep -aq 'boot job jobs/missing.job: not found on the stick or any disk' "$SCRATCH/stick-missing.log"
finish
