# `lifeboat win mir DISK:2` after a restore that gave the disk new GUIDs: a
# GPT disk image made with sgdisk (FAT32 ESP with the real UEFI BCD and a
# non-empty BCD.LOG1, written with mtools; NTFS Windows partition holding
# Windows 10's SYSTEM and the same BCD at Boot/BCD) whose MountedDevices and
# BCD stores still name the partitions of the disk the BCD sample came
# from. M.I.R. must make all of them name the new partitions. Judges:
# sgdisk (the new GUIDs), hivexregedit --export diffs (regdiff.py: nothing
# else changed), the device blobs decoded from the exports, reglookup,
# mcopy and fsck.fat -n for the ESP, cmp for idempotence and undo.
. "$TESTLIB"
need sgdisk mkntfs mkfs.vfat mcopy fsck.fat ntfs-3g ntfscat hivexsh hivexregedit reglookup getfattr setfattr python3 xz
. "$SOURCE_DIR/tests/drivers_fixture.sh"

# Identities of the disk the BCD sample was made on (windows-offline.md §4.3).
old_disk=0b2394a9-095e-487d-8d48-719ecd4d78ca
old_win=8e0f2c38-e4ea-47ba-b7fc-9d8c74dccf0b
old_esp=36be3955-63bf-4068-a6ab-00195cca3a22
# The disk it was restored to.
new_disk=5e1f0c2a-7d44-4b8e-9c3a-1f2e3d4c5b6a
new_esp=a1b2c3d4-1111-4222-8333-944455556666
new_win=c0ffee00-2222-4333-8444-955566667777
le() { python3 -c 'import sys,uuid; print(uuid.UUID(sys.argv[1]).bytes_le.hex())' "$1"; }
dmio() { printf '444d494f3a49443a%s' "$(le "$1")"; }

# SYSTEM_2 with a GPT MountedDevices: C: and its volume GUID on the old
# Windows partition, another volume GUID on the old ESP.
xz -dc "$TESTDATA/hives/SYSTEM_2.xz" >"$SCRATCH/SYSTEM"
comma() { sed 's/../&,/g; s/,$//'; }
cat >"$SCRATCH/md.reg" <<REG
Windows Registry Editor Version 5.00

[\\MountedDevices]
"\\\\DosDevices\\\\C:"=hex(3):$(dmio $old_win | comma)
"\\\\??\\\\Volume{a08efec3-a076-11e5-824f-806e6f6e6963}"=hex(3):$(dmio $old_win | comma)
"\\\\??\\\\Volume{a08efec2-a076-11e5-824f-806e6f6e6963}"=hex(3):$(dmio $old_esp | comma)
REG
hivexregedit --merge "$SCRATCH/SYSTEM" "$SCRATCH/md.reg"
make_software_hive "$SCRATCH/SOFTWARE" 10 0 19045 6.3
make_windows_volume "$SCRATCH/win.img" "$SCRATCH/SYSTEM" "$SCRATCH/SOFTWARE" amd64
add_driver_files "$SCRATCH/win.img" partmgr EhStorClass
xz -dc "$TESTDATA/hives/BCD.xz" >"$SCRATCH/BCD"
put_file "$SCRATCH/win.img" "$SCRATCH/BCD" Boot/BCD

# make_disk IMG DISK-GUID ESP-GUID WINDOWS-GUID [FAT-BITS]: 1 MiB, ESP 33 MiB
# (FAT32 unless told, the BCD and a non-empty BCD.LOG1), Windows 40 MiB (win.img).
make_disk() {
	truncate -s 80M "$1"
	sgdisk -U "$2" -n 1:2048:+33M -t 1:ef00 -u 1:"$3" -n 2:0:+40M -t 2:0700 -u 2:"$4" "$1" >/dev/null 2>&1
	mkfs.vfat -F "${5:-32}" --offset=2048 "$1" $((33 * 1024)) >/dev/null 2>&1
	mmd -i "$1@@$((2048 * 512))" ::/EFI ::/EFI/Microsoft ::/EFI/Microsoft/Boot
	mcopy -i "$1@@$((2048 * 512))" "$SCRATCH/BCD" "$SCRATCH/BCD.LOG1" ::/EFI/Microsoft/Boot/
	dd if="$SCRATCH/win.img" of="$1" bs=512 seek=$(((2048 + 33 * 2048))) conv=notrunc status=none
}
head -c 8192 /dev/urandom >"$SCRATCH/BCD.LOG1"
disk=$SCRATCH/disk.img
make_disk "$disk" $new_disk $new_esp $new_win
esp_start=$(sgdisk -i 1 "$disk" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
win_start=$(sgdisk -i 2 "$disk" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
check_eq "sgdisk: the Windows partition has the new GUID" "${new_win^^}" \
	"$(sgdisk -i 2 "$disk" | sed -n 's/^Partition unique GUID: //p')"
# esp_cat NAME: a file of the ESP's EFI/Microsoft/Boot, read with mtools.
esp_cat() { mcopy -n -i "$disk@@$((esp_start * 512))" "::/EFI/Microsoft/Boot/$1" "$SCRATCH/esp.out" && cat "$SCRATCH/esp.out"; }
esp_fsck() { dd if="$disk" of="$SCRATCH/esp.img" bs=512 skip="$esp_start" count=$((33 * 2048)) status=none && fsck.fat -n "$SCRATCH/esp.img" >"$SCRATCH/fsck.out" 2>&1; }

# win_cat PATH: a file of the Windows partition, through a copy of the partition.
win_cat() { dd if="$disk" of="$SCRATCH/p2.img" bs=512 skip="$win_start" count=$((40 * 2048)) status=none && ntfscat "$SCRATCH/p2.img" "$1"; }
export_system() { win_cat Windows/System32/config/SYSTEM >"$SCRATCH/hive.tmp" && hivexregedit --export "$SCRATCH/hive.tmp" '\' >"$1"; }
export_bcd() { win_cat Boot/BCD >"$2" && hivexregedit --export "$2" '\' >"$1"; }
export_system "$SCRATCH/sys0.reg"
cp "$disk" "$SCRATCH/disk.orig"

printf 'cpu GenuineIntel\n' >"$SCRATCH/hardware"
out=$("$LIFEBOAT" win mir "$disk:2" --hardware "$SCRATCH/hardware" 2>"$SCRATCH/err")
echo "$out"
check "report: where Windows lives now" grep -qi "^disk identity: Windows lives on partition 2 of $disk: GPT partition {$new_win} of disk {$new_disk}$" <<<"$out"
check "report: MountedDevices named the old partition" grep -qi "^disk identity: MountedDevices \\\\DosDevices\\\\C: names GPT partition {$old_win}: the disk identity changed" <<<"$out"
check "report: loader osdevice rewritten" grep -qi "^disk identity: Boot/BCD: loader {733b62e5-f608-11eb-825c-c112f60133ab} osdevice: GPT partition {$old_win} of disk {$old_disk} -> GPT partition {$new_win} of disk {$new_disk}$" <<<"$out"
check "report: boot manager device now the new ESP" grep -qi "^disk identity: Boot/BCD: boot manager {9dea862c-5cdd-4e70-acc1-f32b344d4795} device: GPT partition {$old_esp} of disk {$old_disk} -> GPT partition {$new_esp} of disk {$new_disk}$" <<<"$out"

# SYSTEM: MountedDevices C: and the volume GUID of the same partition, plus
# the M.I.R. changes any run makes (AutoReboot, the other vendor's CPU driver).
{
	for name in '\\DosDevices\\C:' '\\??\\Volume{a08efec3-a076-11e5-824f-806e6f6e6963}'; do
		printf -- '-val\tMountedDevices\t%s\tbinary\t%s\n+val\tMountedDevices\t%s\tbinary\t%s\n' "$name" "$(dmio $old_win)" "$name" "$(dmio $new_win)"
	done
	printf -- '-val\tControlSet001\\Services\\AmdPPM\tStart\tdword\t3\n+val\tControlSet001\\Services\\AmdPPM\tStart\tdword\t4\n'
	printf -- '-val\tControlSet001\\Control\\CrashControl\tAutoReboot\tdword\t1\n+val\tControlSet001\\Control\\CrashControl\tAutoReboot\tdword\t0\n'
} >"$SCRATCH/sys.table"
export_system "$SCRATCH/sys1.reg"
check "SYSTEM export diff: MountedDevices entries of the partition, nothing else" \
	python3 "$SOURCE_DIR/tests/regdiff.py" "$SCRATCH/sys0.reg" "$SCRATCH/sys1.reg" "$SCRATCH/sys.table"
win_cat Windows/System32/config/SYSTEM >"$SCRATCH/SYSTEM.after"
check_eq "reglookup: \\DosDevices\\C: is DMIO:ID: + the new partition GUID" "$(dmio $new_win)" \
	"$(reglookup -H -p '/MountedDevices/\DosDevices\C:' "$SCRATCH/SYSTEM.after" | cut -d, -f3 | python3 -c '
import sys, urllib.parse; print(urllib.parse.unquote_to_bytes(sys.stdin.read().strip()).hex())')"

# BCD: exactly the device elements of the boot manager, the loader and the
# resume object changed, and each now decodes to the new identities.
hivexregedit --export "$SCRATCH/BCD" '\' >"$SCRATCH/bcd0.reg"
export_bcd "$SCRATCH/bcd1.reg" "$SCRATCH/BCD.after"
# bcd_judge BEFORE.reg AFTER.reg: exactly the five partition device elements
# of the boot manager, loader and resume objects changed, each to the new
# disk and partition (the boot manager to the new ESP), every other byte kept.
bcd_judge() {
	python3 - "$1" "$2" "$(le $new_disk)" "$(le $new_win)" "$(le $new_esp)" <<'PY'
import os, sys
sys.path.insert(0, os.environ["SOURCE_DIR"] + "/tests")
from regexport import values
a, b = values(sys.argv[1]), values(sys.argv[2])
disk, win, esp = (bytes.fromhex(x) for x in sys.argv[3:6])
changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
want = {
    ("Objects\\{9dea862c-5cdd-4e70-acc1-f32b344d4795}\\Elements\\11000001", esp),
    ("Objects\\{733b62e5-f608-11eb-825c-c112f60133ab}\\Elements\\11000001", win),
    ("Objects\\{733b62e5-f608-11eb-825c-c112f60133ab}\\Elements\\21000001", win),
    ("Objects\\{733b62e4-f608-11eb-825c-c112f60133ab}\\Elements\\11000001", win),
    ("Objects\\{733b62e4-f608-11eb-825c-c112f60133ab}\\Elements\\21000001", win),
}
ok = sorted(k for k, _ in want) == sorted(k for k, _ in changed) and all(n == '"Element"' for _, n in changed)
for key, part in want:
    blob, old = b[(key, '"Element"')], a[(key, '"Element"')]
    ok &= blob[0x20:0x30] == part and blob[0x38:0x48] == disk and blob[0x34:0x38] == bytes(4)
    ok &= blob[:0x20] == old[:0x20] and blob[0x30:0x34] == old[0x30:0x34] and blob[0x48:] == old[0x48:]
if not ok:
    print("changed:", changed, file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}
check "Boot/BCD: only the five partition device elements changed, to the new disk" bcd_judge "$SCRATCH/bcd0.reg" "$SCRATCH/bcd1.reg"
esp_cat BCD >"$SCRATCH/BCD.esp"
hivexregedit --export "$SCRATCH/BCD.esp" '\' >"$SCRATCH/bcd1esp.reg"
check "ESP BCD (read with mcopy): the same five elements changed" bcd_judge "$SCRATCH/bcd0.reg" "$SCRATCH/bcd1esp.reg"
check "report: the ESP's loader rewritten" grep -qi "^disk identity: partition 1: EFI/Microsoft/Boot/BCD: loader {733b62e5-f608-11eb-825c-c112f60133ab} osdevice: GPT partition {$old_win} of disk {$old_disk} -> GPT partition {$new_win}" <<<"$out"
check_eq "ESP: the committed BCD's stale log is emptied" 0 "$(esp_cat BCD.LOG1 | wc -c)"
check "fsck.fat -n: the ESP is consistent after M.I.R." esp_fsck

cp "$disk" "$SCRATCH/disk.once"
out=$("$LIFEBOAT" win mir "$disk:2" --hardware "$SCRATCH/hardware" 2>/dev/null)
check "second run: MountedDevices already names this partition" grep -q '^disk identity: MountedDevices \\DosDevices\\C: already names this partition$' <<<"$out"
check "second run: nothing to change" grep -q '^nothing to change: Windows is already adapted to this hardware$' <<<"$out"
check "second run leaves the disk byte-identical" cmp "$disk" "$SCRATCH/disk.once"

check "undo reverts M.I.R." grep -q '^undone: mir: adapt to new hardware$' <<<"$("$LIFEBOAT" win undo "$disk:2")"
export_system "$SCRATCH/sys2.reg"
check "undo: SYSTEM as before" cmp "$SCRATCH/sys0.reg" "$SCRATCH/sys2.reg"
win_cat Boot/BCD >"$SCRATCH/BCD.undone"
check "undo: BCD byte-identical to before" cmp "$SCRATCH/BCD" "$SCRATCH/BCD.undone"
esp_cat BCD >"$SCRATCH/BCD.esp.undone"
check "undo: the ESP's BCD byte-identical to before" cmp "$SCRATCH/BCD" "$SCRATCH/BCD.esp.undone"
esp_cat BCD.LOG1 >"$SCRATCH/LOG1.undone"
check "undo: the ESP's BCD.LOG1 is back" cmp "$SCRATCH/BCD.LOG1" "$SCRATCH/LOG1.undone"
check "fsck.fat -n: the ESP is consistent after undo" esp_fsck

# A partition image (no disk around it): identities are left alone, and said so.
cp "$SCRATCH/win.img" "$SCRATCH/part.img"
out=$("$LIFEBOAT" win mir "$SCRATCH/part.img" --hardware "$SCRATCH/hardware" 2>/dev/null)
check "partition image: identities left as they are" grep -q "^disk identity: $SCRATCH/part.img is not a partition of a disk that can be read" <<<"$out"
ntfscat "$SCRATCH/part.img" Windows/System32/config/SYSTEM >"$SCRATCH/SYSTEM.part"
check_eq "partition image: MountedDevices C: unchanged" "$(dmio $old_win)" \
	"$(reglookup -H -p '/MountedDevices/\DosDevices\C:' "$SCRATCH/SYSTEM.part" | cut -d, -f3 | python3 -c '
import sys, urllib.parse; print(urllib.parse.unquote_to_bytes(sys.stdin.read().strip()).hex())')"

# The same with a FAT16 ESP (what mkfs.vfat makes on small partitions).
disk=$SCRATCH/disk16.img
make_disk "$disk" $new_disk $new_esp $new_win 16
check "the second ESP is FAT16" bash -c "dd if='$disk' bs=512 skip=2048 count=1 status=none | grep -q 'FAT16'"
"$LIFEBOAT" win mir "$disk:2" --hardware "$SCRATCH/hardware" >/dev/null 2>&1
esp_cat BCD >"$SCRATCH/BCD.esp16"
hivexregedit --export "$SCRATCH/BCD.esp16" '\' >"$SCRATCH/bcd16.reg"
check "FAT16 ESP: the BCD's five elements changed" bcd_judge "$SCRATCH/bcd0.reg" "$SCRATCH/bcd16.reg"
check "fsck.fat -n: the FAT16 ESP is consistent after M.I.R." esp_fsck
"$LIFEBOAT" win undo "$disk:2" >/dev/null
esp_cat BCD >"$SCRATCH/BCD.esp16.undone"
check "FAT16 ESP: undo brings the BCD back" cmp "$SCRATCH/BCD" "$SCRATCH/BCD.esp16.undone"
check "fsck.fat -n: the FAT16 ESP is consistent after undo" esp_fsck

# A damaged ESP: the BCD's cluster chain loops. M.I.R. says so and leaves the ESP alone.
disk=$SCRATCH/damaged.img
make_disk "$disk" $new_disk $new_esp $new_win
python3 - "$disk" <<'PY'
import struct, sys
f = open(sys.argv[1], "r+b")
esp = 2048 * 512
f.seek(esp); b = f.read(512)
bps, spc, reserved, nfats = struct.unpack_from("<HBHB", b, 11)
fat_size = struct.unpack_from("<I", b, 36)[0]
f.seek(esp); data = f.read(33 * 1024 * 1024)
i = data.find(b"BCD        \x20")
cluster = struct.unpack_from("<H", data, i + 20)[0] << 16 | struct.unpack_from("<H", data, i + 26)[0]
for c in range(nfats):
    f.seek(esp + (reserved + c * fat_size) * bps + 4 * cluster)
    f.write(struct.pack("<I", cluster))
PY
sum=$(dd if="$disk" bs=512 skip=2048 count=$((33 * 2048)) status=none | sha256sum)
out=$("$LIFEBOAT" win mir "$disk:2" --hardware "$SCRATCH/hardware" 2>/dev/null)
check "damaged ESP: the BCD there is said unreadable" grep -q '^disk identity: partition 1: EFI/Microsoft/Boot/BCD: cannot be read (.*damaged FAT chain' <<<"$out"
check_eq "damaged ESP: not a byte of it changed" "$sum" "$(dd if="$disk" bs=512 skip=2048 count=$((33 * 2048)) status=none | sha256sum)"

# The real workflow: the disk as it was (identities matching), captured,
# restored with --new-identity, then M.I.R. on the copy.
make_disk "$SCRATCH/orig.img" $old_disk $old_esp $old_win
out=$("$LIFEBOAT" win mir "$SCRATCH/orig.img:2" --hardware "$SCRATCH/hardware" 2>/dev/null)
check "original disk: MountedDevices already names its partition" grep -q '^disk identity: MountedDevices \\DosDevices\\C: already names this partition$' <<<"$out"
"$LIFEBOAT" capture "$SCRATCH/orig.img" "$SCRATCH/orig.lbi" >/dev/null 2>&1
truncate -s 80M "$SCRATCH/restored.img"
"$LIFEBOAT" restore --yes --new-identity "$SCRATCH/orig.lbi" "$SCRATCH/restored.img" >/dev/null 2>&1
restored_win=$(sgdisk -i 2 "$SCRATCH/restored.img" | sed -n 's/^Partition unique GUID: //p')
check "restore --new-identity gave the Windows partition another GUID" test "${restored_win,,}" != "$old_win"
out=$("$LIFEBOAT" win mir "$SCRATCH/restored.img:2" --hardware "$SCRATCH/hardware" 2>/dev/null)
check "M.I.R. after the restore names the restored partition" grep -qi "^disk identity: partition 1: EFI/Microsoft/Boot/BCD: loader {733b62e5-f608-11eb-825c-c112f60133ab} osdevice: GPT partition {$old_win} of disk {$old_disk} -> GPT partition {$restored_win}" <<<"$out"
dd if="$SCRATCH/restored.img" of="$SCRATCH/rp2.img" bs=512 skip="$win_start" count=$((40 * 2048)) status=none
ntfscat "$SCRATCH/rp2.img" Windows/System32/config/SYSTEM >"$SCRATCH/SYSTEM.restored"
check_eq "reglookup: after the restore \\DosDevices\\C: names the restored partition (sgdisk's GUID)" "$(dmio "${restored_win,,}")" \
	"$(reglookup -H -p '/MountedDevices/\DosDevices\C:' "$SCRATCH/SYSTEM.restored" | cut -d, -f3 | python3 -c '
import sys, urllib.parse; print(urllib.parse.unquote_to_bytes(sys.stdin.read().strip()).hex())')"

finish
