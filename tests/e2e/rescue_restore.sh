# Restore a failed machine, end to end in QEMU (TCG): a source disk (GPT:
# ESP, ext4 with real files, NTFS holding a Windows with the real hives) is
# captured by the rescue ISO to a storage disk by a boot job found on that
# disk (lifeboat.job=jobs/capture.job); the host wipes the source; a second
# boot fetches its job over HTTP (QEMU user network, host 10.0.2.2) and
# restores the disk unattended, renames the Windows, gives it a new SID,
# injects viostor and powers off. Judges on the host: sfdisk --json,
# e2fsck -fn, debugfs rdump + diff -r, ntfsfix -n, ntfscat, hivexregedit
# exports (regdiff.py), samusrgrp, reglookup, python's json for the
# reports. A third boot with one byte of the image flipped fails before
# writing: the target's sha256 is unchanged and the report says why.
. "$TESTLIB"
. "$(dirname "$0")/qemu-lib.bash"
need qemu-system-x86_64 sfdisk mkfs.vfat mcopy mkfs.ext4 debugfs e2fsck mkntfs ntfs-3g ntfscat ntfsls ntfsfix \
	hivexsh hivexregedit reglookup samusrgrp python3 xz
. "$SOURCE_DIR/tests/win-fixtures.sh"
. "$SOURCE_DIR/tests/drivers_fixture.sh"
BUILD="$BUILD_DIR/builder/lifeboat-build"
"$LIFEBOAT_STATIC" help run >/dev/null 2>&1 || { echo "skip: this lifeboat has no run command"; exit 77; }

MiB=1048576
src=$SCRATCH/source.img
store=$SCRATCH/storage.img
cfg=Windows/System32/config

# --- the source disk: GPT with an ESP, an ext4 and a Windows NTFS ----------
truncate -s 128M "$src"
sfdisk -q "$src" <<'EOF'
label: gpt
start=2048, size=32768, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI system partition"
start=34816, size=65536, type=0FC63DAF-8483-4772-8E79-3D69C7D27400, name="data"
start=100352, type=EBD0A0A2-B9E5-4433-87C0-68B6B99AC7C7, name="Basic data partition"
EOF
part_start() { sfdisk --json "$src" | python3 -c "import json,sys; print(json.load(sys.stdin)['partitiontable']['partitions'][$1-1]['start'])"; }
part_size() { sfdisk --json "$src" | python3 -c "import json,sys; print(json.load(sys.stdin)['partitiontable']['partitions'][$1-1]['size'])"; }
put_part() { dd if="$2" of="$src" bs=512 seek="$(part_start "$1")" conv=notrunc,sparse status=none; }

# ESP (FAT16) with a boot loader stand-in.
truncate -s $((32768 * 512)) "$SCRATCH/esp.img"
mkfs.vfat -F 16 -n ESP "$SCRATCH/esp.img" >/dev/null
head -c 300000 /dev/urandom >"$SCRATCH/bootx64.efi"
mmd -i "$SCRATCH/esp.img" ::/EFI ::/EFI/BOOT
mcopy -i "$SCRATCH/esp.img" "$SCRATCH/bootx64.efi" ::/EFI/BOOT/BOOTX64.EFI
put_part 1 "$SCRATCH/esp.img"

# ext4 with real files: text, binaries, a deep tree, a symlink, a hole.
tree=$SCRATCH/ext4-tree
mkdir -p "$tree/etc" "$tree/usr/bin" "$tree/home/alice/deep/er/still"
cp /etc/services /etc/protocols "$tree/etc/"
cp "$(command -v sfdisk)" "$(command -v debugfs)" "$tree/usr/bin/"
head -c 3000000 /dev/urandom >"$tree/home/alice/random.bin"
seq 1 200000 >"$tree/home/alice/deep/er/still/numbers.txt"
ln -s ../../etc/services "$tree/home/alice/services-link"
truncate -s 5M "$tree/home/alice/sparse"
echo "end of the hole" >>"$tree/home/alice/sparse"
mkfs.ext4 -q -F -L data -d "$tree" "$SCRATCH/ext4.img" $(($(part_size 2) / 2))k >/dev/null
put_part 2 "$SCRATCH/ext4.img"

# NTFS: a Windows 10 x64 with the real SYSTEM, SAM and SECURITY hives.
win=$SCRATCH/win-tree
hive SYSTEM_2 "$SCRATCH/SYSTEM_2"
windows_tree "$win" "$SCRATCH/SYSTEM_2"
old_sid=$(samusrgrp -s "$win/$cfg/SAM" 2>/dev/null | tail -1)
IFS=- read -r _ _ _ _ SA SB SC <<<"$old_sid"
make_software "$win/$cfg/SOFTWARE" "$SA" "$SB" "$SC" SENSEI
make_cmd_exe "$win/Windows/System32/cmd.exe" amd64
hivexsh -w "$win/$cfg/SOFTWARE" >/dev/null <<'HIVEX'
cd Microsoft
add Windows
cd Windows
add CurrentVersion
cd CurrentVersion
setval 1
DevicePath
expandstring:%SystemRoot%\inf
commit
HIVEX
mkdir -p "$win/Windows/System32/drivers" "$win/Users/alice/Documents" "$win/Program Files/App"
head -c 5000 /dev/urandom >"$win/Windows/System32/drivers/disk.sys"
head -c 2000000 /dev/urandom >"$win/Program Files/App/app.dll"
seq 1 50000 >"$win/Users/alice/Documents/report.txt"
ntfs_image "$SCRATCH/ntfs.img" $(($(part_size 3) * 512))
ntfs_fill "$SCRATCH/ntfs.img" "$win"
put_part 3 "$SCRATCH/ntfs.img"
sfdisk --json "$src" >"$SCRATCH/table.before"

# --- the storage disk: ext4 (label LBSTORE, no partition table) holding the
# capture job, the driver to inject, and empty images/ and logs/ ------------
st=$SCRATCH/store-tree
mkdir -p "$st/jobs" "$st/images" "$st/logs" "$st/drivers"
cp -r "$TESTDATA/drivers/viostor-w10-amd64" "$st/drivers/"
cat >"$st/jobs/capture.job" <<'JOB'
# boot 1: image the machine's disk onto this disk (paths relative to its root)
capture source=/dev/vda image=images/pc.lbi comment="rescue_restore source"
poweroff
JOB
mkfs.ext4 -q -F -L LBSTORE -d "$st" "$store" 160M >/dev/null

# --- the rescue ISO for each boot job ----------------------------------------
"$BUILD" initramfs --app "$LIFEBOAT_STATIC" -o "$SCRATCH/initrd" 2>/dev/null
iso() { "$BUILD" iso --timeout 1 --initrd "$SCRATCH/initrd" --append "$2" -o "$SCRATCH/$1.iso" 2>/dev/null; }
check "ISO for the capture job built" iso capture "lifeboat.job=jobs/capture.job"

# machine NAME ISO [QEMU-ARGS...]: boots the ISO with the source disk as
# vda and the storage disk as vdb until the job powers the machine off.
machine() {
	local name=$1 image=$2; shift 2
	qemu_to_poweroff "$name" 600 -cdrom "$SCRATCH/$image.iso" -boot d \
		-drive "file=$src,format=raw,if=none,id=src" -device virtio-blk-pci,drive=src,serial=LBSOURCE \
		-drive "file=$store,format=raw,if=none,id=store" -device virtio-blk-pci,drive=store,serial=LBSTORE "$@"
}

# store_reports: the reports on the storage disk, oldest first (debugfs).
store_reports() { debugfs -R "ls -p /logs" "$store" 2>/dev/null | awk -F/ '$6 ~ /^lifeboat-.*\.json$/ {print $6}' | sort; }
store_cat() { debugfs -R "cat $1" "$store" 2>/dev/null; }
report_field() { store_cat "/logs/$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }

# --- boot 1: capture -----------------------------------------------------------
source_sum=$(sha256sum <"$src")
check "boot 1: the capture job runs and powers off" machine capture capture -nic none
check "boot 1: the job was found on the storage disk" grep -aq 'boot job found on /dev/vdb' "$SCRATCH/capture.log"
check_eq "boot 1: the source disk is unchanged (looking for the job mounts read-only)" "$source_sum" "$(sha256sum <"$src")"
check "boot 1: job output on the serial console" grep -aq 'jobs/capture.job: 2 done, 0 failed' "$SCRATCH/capture.log"
check "boot 1: job output in logs/job.log" grep -q 'jobs/capture.job: 2 done, 0 failed' <(store_cat /logs/job.log)
capture_report=$(store_reports | tail -n 1)
check_eq "boot 1: the report says success" "success capture success" \
	"$(report_field "$capture_report" 'd["result"], d["operations"][0]["what"], d["operations"][0]["result"]' | tr -d "(),'")"
check "boot 1: the image is on the storage disk" test -n "$(debugfs -R 'stat /images/pc.lbi' "$store" 2>/dev/null | grep -a 'Size: [1-9]')"

# --- the failure: the source disk is wiped -------------------------------------
dd if=/dev/zero of="$src" bs=1M count=128 conv=notrunc status=none
check "the source disk is wiped" cmp -s "$src" <(head -c $((128 * MiB)) /dev/zero)

# --- boot 2: restore, rename, new SID, inject, from a job on an HTTP server -----
www=$SCRATCH/www
mkdir -p "$www"
python3 "$SOURCE_DIR/tests/integration/helpers/http_sink.py" "$www" "$SCRATCH/port" &
server=$!
on_exit "kill $server 2>/dev/null"
for _ in $(seq 100); do [ -e "$SCRATCH/port" ] && break; sleep 0.1; done
port=$(cat "$SCRATCH/port")
cat >"$www/restore.job" <<'JOB'
# boot 2: put the machine back from the image on the storage disk
mount device=/dev/vdb at=/mnt/store
report = /mnt/store/logs
restore image=/mnt/store/images/pc.lbi target=/dev/vda verify_first=yes
rename  target=/dev/vda:3 name=RESTORED-PC
newsid  target=/dev/vda:3 force=yes
inject  target=/dev/vda:3 driver=/mnt/store/drivers/viostor-w10-amd64
poweroff
if failed then poweroff
JOB
check "ISO for the restore job built" iso restore "lifeboat.job=http://10.0.2.2:$port/restore.job"
check "boot 2: the restore job runs and powers off" machine restore restore -nic user,model=virtio-net-pci
check "boot 2: job output on the serial console" \
	grep -aq "http://10.0.2.2:$port/restore.job: 6 done, 0 failed, 0 skipped, 1 not run" "$SCRATCH/restore.log"
restore_report=$(store_reports | tail -n 1)
check_eq "boot 2: the report says success for every step" "success mount:success restore:success rename:success newsid:success inject:success poweroff:success poweroff:not run" \
	"$(report_field "$restore_report" 'd["result"], *[o["what"] + ":" + o["result"] for o in d["operations"]]' | tr -d "(),'")"
check_eq "boot 2: the report names the image the capture wrote" \
	"$(report_field "$capture_report" 'd["operations"][0]["image_id"]')" \
	"$(report_field "$restore_report" 'd["operations"][1]["image_id"]')"

# --- judges: the restored disk against the source --------------------------------
sfdisk --json "$src" >"$SCRATCH/table.after"
check "partition table equal to the source's (sfdisk --json)" cmp "$SCRATCH/table.before" "$SCRATCH/table.after"
get_part() { dd if="$src" of="$2" bs=512 skip="$(part_start "$1")" count="$(part_size "$1")" status=none; }
get_part 1 "$SCRATCH/esp.out"
get_part 2 "$SCRATCH/ext4.out"
get_part 3 "$SCRATCH/ntfs.out"

quiet() { "$@" >/dev/null 2>&1; }
check "ESP: fsck.vfat -n passes" quiet fsck.vfat -n "$SCRATCH/esp.out"
check "ESP: the boot loader file is equal" cmp "$SCRATCH/bootx64.efi" <(mtype -i "$SCRATCH/esp.out" ::/EFI/BOOT/BOOTX64.EFI)

check "ext4: e2fsck -fn passes" quiet e2fsck -fn "$SCRATCH/ext4.out"
mkdir -p "$SCRATCH/ext4-out"
debugfs -R "rdump / $SCRATCH/ext4-out" "$SCRATCH/ext4.out" >/dev/null 2>&1
check "ext4: every file compares equal (debugfs rdump, diff -r)" diff -r --no-dereference -x lost+found "$tree" "$SCRATCH/ext4-out"

check "NTFS: ntfsfix -n passes" quiet ntfsfix -n "$SCRATCH/ntfs.out"
mkdir -p "$SCRATCH/ntfs-mnt"
ntfs-3g -o ro "$SCRATCH/ntfs.out" "$SCRATCH/ntfs-mnt"
on_exit "umount '$SCRATCH/ntfs-mnt' 2>/dev/null"
# What differs from the source tree: exactly the edited hives, plus what
# the steps add (a backup of each hive per step that edits it: SYSTEM by
# rename and inject, SOFTWARE by rename, newsid and inject, SAM and SECURITY
# by newsid; Lifeboat's journal and first-boot
# runner, the staged and installed driver).
(cd "$SCRATCH" && diff -rq win-tree ntfs-mnt || true) | sed -E 's/\.lifeboat-[0-9]{8}-[0-9]{6}(-[0-9]+)?$/.lifeboat-BACKUP/' |
	LC_ALL=C sort >"$SCRATCH/ntfs.diff"
LC_ALL=C sort >"$SCRATCH/ntfs.expected" <<'EOF2'
Files win-tree/Windows/System32/config/SAM and ntfs-mnt/Windows/System32/config/SAM differ
Files win-tree/Windows/System32/config/SECURITY and ntfs-mnt/Windows/System32/config/SECURITY differ
Files win-tree/Windows/System32/config/SOFTWARE and ntfs-mnt/Windows/System32/config/SOFTWARE differ
Files win-tree/Windows/System32/config/SYSTEM and ntfs-mnt/Windows/System32/config/SYSTEM differ
Only in ntfs-mnt/Windows: Lifeboat
Only in ntfs-mnt/Windows/System32/config: SAM.lifeboat-BACKUP
Only in ntfs-mnt/Windows/System32/config: SECURITY.lifeboat-BACKUP
Only in ntfs-mnt/Windows/System32/config: SOFTWARE.lifeboat-BACKUP
Only in ntfs-mnt/Windows/System32/config: SOFTWARE.lifeboat-BACKUP
Only in ntfs-mnt/Windows/System32/config: SOFTWARE.lifeboat-BACKUP
Only in ntfs-mnt/Windows/System32/config: SYSTEM.lifeboat-BACKUP
Only in ntfs-mnt/Windows/System32/config: SYSTEM.lifeboat-BACKUP
Only in ntfs-mnt/Windows/System32/drivers: viostor.sys
EOF2
check "NTFS: every file equal except the edited hives; only the steps' files added" diff "$SCRATCH/ntfs.expected" "$SCRATCH/ntfs.diff"
umount "$SCRATCH/ntfs-mnt"
check "NTFS: viostor.sys installed byte for byte (ntfscat)" \
	cmp "$TESTDATA/drivers/viostor-w10-amd64/viostor.sys" <(ntfscat "$SCRATCH/ntfs.out" Windows/System32/drivers/viostor.sys)

# The hives: the change set of each is exactly the requested one. SID swap:
# the source's export with the old machine SIDs (SAM's and SECURITY's, which
# disagree in these real hives, hence force=yes) replaced by the new one (as
# text, UTF-16 text and binary), then regdiff.py against the change table.
for h in SYSTEM SOFTWARE SAM SECURITY; do
	ntfscat "$SCRATCH/ntfs.out" "$cfg/$h" >"$SCRATCH/$h.after"
	hivexregedit --export "$win/$cfg/$h" '\' >"$SCRATCH/$h.before.reg"
	hivexregedit --export "$SCRATCH/$h.after" '\' >"$SCRATCH/$h.after.reg"
done
old_sec_sid=$(python3 -c '
import struct, sys
raw = bytes.fromhex(sys.stdin.read().split("hex(0):", 1)[1].split()[0].replace(",", ""))
print("S-1-5-" + "-".join(str(x) for x in struct.unpack("<%dI" % raw[1], raw[8:])))' \
	< <(grep -A1 -i '^\[\\Policy\\PolAcDmS\]' "$SCRATCH/SECURITY.before.reg"))
new_sid=$(samusrgrp -s "$SCRATCH/SAM.after" 2>/dev/null | tail -1)
check "newsid: samusrgrp reads a machine SID" grep -Eq '^S-1-5-21-[0-9]+-[0-9]+-[0-9]+$' <<<"$new_sid"
check "newsid: the machine SID is a different one" test "$new_sid" != "$old_sid"
sid_swap() {
	python3 - "$1" "$new_sid" "$old_sid" "$old_sec_sid" <<'PY'
import struct, sys
path, new, olds = sys.argv[1], sys.argv[2], sys.argv[3:]
def binary(sid):  # from the authority on: any sub-authority count, any RID after
    subs = [int(x) for x in sid.split("-")[3:]]
    return (bytes([0, 0, 0, 0, 0, 5]) + b"".join(struct.pack("<I", s) for s in subs)).hex(",")
def utf16(text):
    return text.encode("utf-16-le").hex(",")
text = open(path, encoding="utf-8", errors="surrogateescape").read()
for old in olds:
    for a, b in ((binary(old), binary(new)), (utf16(old), utf16(new)), (old, new)):
        text = text.replace(a, b)
sys.stdout.write(text)
PY
}
# rename: NetBIOS and DNS names in SYSTEM, Winlogon's domain name in SOFTWARE.
{
	viostor_w10_table
	printf '%s\t%s\t%s\tsz\t%s\n' \
		+val 'ControlSet001\Control\ComputerName\ComputerName' ComputerName RESTORED-PC \
		-val 'ControlSet001\Control\ComputerName\ComputerName' ComputerName SENSEI \
		+val 'ControlSet001\Services\Tcpip\Parameters' Hostname RESTORED-PC \
		-val 'ControlSet001\Services\Tcpip\Parameters' Hostname sensei \
		+val 'ControlSet001\Services\Tcpip\Parameters' 'NV Hostname' RESTORED-PC \
		-val 'ControlSet001\Services\Tcpip\Parameters' 'NV Hostname' sensei
} >"$SCRATCH/SYSTEM.table"
printf '%s\t%s\t%s\tsz\t%s\n' \
	+val 'Microsoft\Windows NT\CurrentVersion\Winlogon' DefaultDomainName RESTORED-PC \
	-val 'Microsoft\Windows NT\CurrentVersion\Winlogon' DefaultDomainName SENSEI >"$SCRATCH/SOFTWARE.table"
printf '%s\t%s\t%s\texpand\t%s\n' \
	+val 'Microsoft\Windows\CurrentVersion' DevicePath '%SystemRoot%\inf;%SystemRoot%\Lifeboat\Drivers\viostor' \
	-val 'Microsoft\Windows\CurrentVersion' DevicePath '%SystemRoot%\inf' >>"$SCRATCH/SOFTWARE.table"
: >"$SCRATCH/SAM.table"
: >"$SCRATCH/SECURITY.table"
for h in SYSTEM SOFTWARE SAM SECURITY; do
	sid_swap "$SCRATCH/$h.before.reg" >"$SCRATCH/$h.swapped.reg"
	check "$h: the changes are exactly the requested ones (hivexregedit, regdiff)" \
		python3 "$SOURCE_DIR/tests/regdiff.py" "$SCRATCH/$h.swapped.reg" "$SCRATCH/$h.after.reg" "$SCRATCH/$h.table"
done
check_eq "reglookup: the new computer name" "RESTORED-PC" \
	"$(reglookup -H -p /ControlSet001/Control/ComputerName/ComputerName/ComputerName "$SCRATCH/SYSTEM.after" | cut -d, -f3)"
check_eq "reglookup: the viostor service starts at boot" "0x00000000" \
	"$(reglookup -H -p /ControlSet001/Services/viostor/Start "$SCRATCH/SYSTEM.after" | cut -d, -f3)"

# --- boot 3: the same job with one byte of the image flipped -------------------
# The byte in the middle of the image file lies in a chunk's data (header
# and metadata come first, the index and trailer last); debugfs bmap gives
# its block on the storage disk.
block_size=$(debugfs -R stats "$store" 2>/dev/null | awk '/^Block size:/ {print $3}')
image_size=$(debugfs -R 'stat /images/pc.lbi' "$store" 2>/dev/null | grep -ao 'Size: [0-9]*' | head -n 1 | cut -d' ' -f2)
middle=$((image_size / 2))
image_sum=$(store_cat /images/pc.lbi | sha256sum)
block=$(debugfs -R "bmap /images/pc.lbi $((middle / block_size))" "$store" 2>/dev/null)
python3 - "$store" $((block * block_size + middle % block_size)) <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    b = f.read(1)
    f.seek(int(sys.argv[2]))
    f.write(bytes([b[0] ^ 0xFF]))
PY
check "the image on the storage disk is damaged" test "$(store_cat /images/pc.lbi | sha256sum)" != "$image_sum"
before=$(sha256sum <"$src")
check "boot 3: the job with the damaged image ends and powers off" machine damaged restore -nic user,model=virtio-net-pci
check_eq "boot 3: the target disk is unchanged (sha256)" "$before" "$(sha256sum <"$src")"
damaged_report=$(store_reports | tail -n 1)
check "boot 3: a new report" test "$damaged_report" != "$restore_report"
check_eq "boot 3: the report says failed, restore failed, nothing after it ran" \
	"failed restore:failed rename:not run newsid:not run inject:not run poweroff:not run poweroff:success" \
	"$(report_field "$damaged_report" 'd["result"], *[o["what"] + ":" + o["result"] for o in d["operations"][1:]]' | tr -d "(),'")"
check "boot 3: the report says why (a damaged chunk)" grep -Eq 'chunk [0-9]+ .*damaged|checksum' <<<"$(report_field "$damaged_report" 'd["error"]')"
check "boot 3: the console says why" grep -aEq 'FAILED: .*(damaged|checksum)' "$SCRATCH/damaged.log"
finish
