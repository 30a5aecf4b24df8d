# `lifeboat win mir DISK:2` on an MBR disk whose signature changed: sfdisk
# lays out the real Windows 10 layout of SYSTEM_2 (an active NTFS "System
# Reserved" at 1 MiB holding Boot/BCD, Windows at byte 368050176) under a
# new disk signature. MountedDevices (SYSTEM_2 as it is) and the BCD (the
# sample turned into MBR device records of the old disk) must get the new
# signature, offsets kept; the BCD lives on another partition than the
# journal, so its backup sits beside the journal and undo reopens DISK:1.
# Judges: sfdisk, hivexregedit --export diffs (regdiff.py), the device
# blobs decoded from the export, ntfscat, ntfsfix -n, cmp.
. "$TESTLIB"
need sfdisk mkntfs ntfs-3g ntfscat ntfsfix hivexsh hivexregedit python3 xz
. "$SOURCE_DIR/tests/drivers_fixture.sh"

old_sig=fe4c3e27   # 0x273E4CFE, as SYSTEM_2's MountedDevices stores it
new_sig=d4c3b2a1   # 0xA1B2C3D4
reserved=$((1024 * 1024)) windows=368050176

xz -dc "$TESTDATA/hives/SYSTEM_2.xz" >"$SCRATCH/SYSTEM"
make_software_hive "$SCRATCH/SOFTWARE" 10 0 19045 6.3
make_windows_volume "$SCRATCH/win.img" "$SCRATCH/SYSTEM" "$SCRATCH/SOFTWARE" amd64
add_driver_files "$SCRATCH/win.img" partmgr EhStorClass

# The sample BCD with MBR records: the boot manager on System Reserved, the
# loader and resume objects on Windows, all on the old disk.
xz -dc "$TESTDATA/hives/BCD.xz" >"$SCRATCH/BCD"
hivexregedit --export "$SCRATCH/BCD" '\' >"$SCRATCH/bcd.gpt.reg"
python3 - "$SCRATCH/bcd.gpt.reg" "$SCRATCH/mbr.reg" "$old_sig" "$reserved" "$windows" <<'PY'
import struct, sys
src, out, sig, reserved, windows = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
targets = {
    "{9dea862c-5cdd-4e70-acc1-f32b344d4795}": (reserved, ["11000001"]),
    "{733b62e5-f608-11eb-825c-c112f60133ab}": (windows, ["11000001", "21000001"]),
    "{733b62e4-f608-11eb-825c-c112f60133ab}": (windows, ["11000001", "21000001"]),
}
key, blobs = None, {}
for line in open(src):
    line = line.rstrip("\n")
    if line.startswith("["):
        key = line[1:-1]
    elif line.startswith('"Element"=hex(3):'):
        blobs[key] = bytes.fromhex(line.split(":", 1)[1].replace(",", ""))
with open(out, "w") as f:
    f.write("Windows Registry Editor Version 5.00\n\n")
    for obj, (offset, elements) in targets.items():
        for e in elements:
            k = "\\Objects\\%s\\Elements\\%s" % (obj, e)
            b = bytearray(blobs[k])
            b[0x20:0x30] = struct.pack("<Q", offset) + bytes(8)
            b[0x34:0x38] = struct.pack("<I", 1)
            b[0x38:0x48] = sig + bytes(12)
            f.write('[%s]\n"Element"=hex(3):%s\n\n' % (k, b.hex(",")))
PY
hivexregedit --merge "$SCRATCH/BCD" "$SCRATCH/mbr.reg"
truncate -s 40M "$SCRATCH/reserved.img"
mkntfs -F -q -Q -L "System Reserved" "$SCRATCH/reserved.img" >/dev/null 2>&1
put_file "$SCRATCH/reserved.img" "$SCRATCH/BCD" Boot/BCD

disk=$SCRATCH/disk.img
truncate -s $((windows + 41 * 1024 * 1024)) "$disk"
printf 'label: dos\nlabel-id: 0x%s\nstart=2048, size=81920, type=7, bootable\nstart=%d, size=81920, type=7\n' \
	"$(echo $new_sig | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')" $((windows / 512)) | sfdisk -q "$disk"
dd if="$SCRATCH/reserved.img" of="$disk" bs=512 seek=2048 conv=notrunc status=none
dd if="$SCRATCH/win.img" of="$disk" bs=512 seek=$((windows / 512)) conv=notrunc status=none
check_eq "sfdisk: the new disk signature" "Disk identifier: 0xa1b2c3d4" "$(sfdisk -l "$disk" | grep '^Disk identifier')"

# part N PATH: a file of partition N, read with ntfscat from a copy of the partition.
part() {
	local start=$([ "$1" = 1 ] && echo 2048 || echo $((windows / 512)))
	dd if="$disk" of="$SCRATCH/p$1.img" bs=512 skip="$start" count=81920 status=none && ntfscat "$SCRATCH/p$1.img" "$2"
}
export_system() { part 2 Windows/System32/config/SYSTEM >"$SCRATCH/hive.tmp" && hivexregedit --export "$SCRATCH/hive.tmp" '\' >"$1"; }
export_system "$SCRATCH/sys0.reg"
hivexregedit --export "$SCRATCH/BCD" '\' >"$SCRATCH/bcd0.reg"

printf 'cpu GenuineIntel\n' >"$SCRATCH/hardware"
out=$("$LIFEBOAT" win mir "$disk:2" --hardware "$SCRATCH/hardware" 2>"$SCRATCH/err")
echo "$out"
check "report: MountedDevices named the old disk signature" grep -q "^disk identity: MountedDevices \\\\DosDevices\\\\C: names MBR disk signature 273E4CFE, partition at byte $windows: the disk identity changed" <<<"$out"
check "report: the loader on System Reserved's BCD" grep -q "^disk identity: partition 1: Boot/BCD: loader {733b62e5-f608-11eb-825c-c112f60133ab} osdevice: MBR disk signature 273E4CFE, partition at byte $windows -> MBR disk signature A1B2C3D4, partition at byte $windows$" <<<"$out"

{
	for name in '\\DosDevices\\C:' '\\??\\Volume{a08efec3-a076-11e5-824f-806e6f6e6963}' '\\??\\Volume{a08efec2-a076-11e5-824f-806e6f6e6963}'; do
		offset=$([[ $name == *c2* ]] && echo $reserved || echo $windows)
		le=$(python3 -c "import struct,sys; print(struct.pack('<Q', int(sys.argv[1])).hex())" "$offset")
		printf -- '-val\tMountedDevices\t%s\tbinary\t%s%s\n+val\tMountedDevices\t%s\tbinary\t%s%s\n' "$name" $old_sig "$le" "$name" $new_sig "$le"
	done
	printf -- '-val\tControlSet001\\Services\\AmdPPM\tStart\tdword\t3\n+val\tControlSet001\\Services\\AmdPPM\tStart\tdword\t4\n'
	printf -- '-val\tControlSet001\\Control\\CrashControl\tAutoReboot\tdword\t1\n+val\tControlSet001\\Control\\CrashControl\tAutoReboot\tdword\t0\n'
} >"$SCRATCH/sys.table"
export_system "$SCRATCH/sys1.reg"
check "SYSTEM export diff: C:, its volume GUID and System Reserved's get the new signature, nothing else" \
	python3 "$SOURCE_DIR/tests/regdiff.py" "$SCRATCH/sys0.reg" "$SCRATCH/sys1.reg" "$SCRATCH/sys.table"

part 1 Boot/BCD >"$SCRATCH/BCD.after"
hivexregedit --export "$SCRATCH/BCD.after" '\' >"$SCRATCH/bcd1.reg"
check "System Reserved BCD: the five records carry the new signature, offsets and all else kept" \
	python3 - "$SCRATCH/bcd0.reg" "$SCRATCH/bcd1.reg" "$new_sig" <<'PY'
import os, sys
sys.path.insert(0, os.environ["SOURCE_DIR"] + "/tests")
from regexport import values
a, b, sig = values(sys.argv[1]), values(sys.argv[2]), bytes.fromhex(sys.argv[3])
changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
ok = len(changed) == 5 and all(n == '"Element"' for _, n in changed)
for k in changed:
    old, new = a[k], b[k]
    ok &= new[0x38:0x3C] == sig and new[:0x38] == old[:0x38] and new[0x3C:] == old[0x3C:]
if not ok:
    print("changed:", changed, file=sys.stderr)
sys.exit(0 if ok else 1)
PY
part 2 Windows/Lifeboat/journal >"$SCRATCH/journal"
check "journal: the BCD on DISK:1 is backed up beside the journal" \
	grep -q "^backup	Boot/BCD	Windows/Lifeboat/BCD.lifeboat-[0-9-]*	Boot/BCD	$disk:1$" "$SCRATCH/journal"
check "ntfsfix -n: System Reserved is consistent after M.I.R." ntfsfix -n "$SCRATCH/p1.img"

check "undo reverts M.I.R." grep -q '^undone: mir: adapt to new hardware$' <<<"$("$LIFEBOAT" win undo "$disk:2")"
export_system "$SCRATCH/sys2.reg"
check "undo: SYSTEM as before" cmp "$SCRATCH/sys0.reg" "$SCRATCH/sys2.reg"
part 1 Boot/BCD >"$SCRATCH/BCD.undone"
check "undo: System Reserved's BCD byte-identical to before" cmp "$SCRATCH/BCD" "$SCRATCH/BCD.undone"
check "ntfsfix -n: System Reserved is consistent after undo" ntfsfix -n "$SCRATCH/p1.img"

finish
