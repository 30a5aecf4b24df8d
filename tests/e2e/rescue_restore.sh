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
mkfs.ext4 -q -F -L data -d "$tree" "$SCRATCH/ext4.img" $(($(part_size 2) / 2))k
put_part 2 "$SCRATCH/ext4.img"

# NTFS: a Windows 10 x64 with the real SYSTEM, SAM and SECURITY hives.
win=$SCRATCH/win-tree
hive SYSTEM_2 "$SCRATCH/SYSTEM_2"
windows_tree "$win" "$SCRATCH/SYSTEM_2"
old_sid=$(samusrgrp -s "$win/$cfg/SAM" 2>/dev/null | tail -1)
IFS=- read -r _ _ _ _ SA SB SC <<<"$old_sid"
make_software "$win/$cfg/SOFTWARE" "$SA" "$SB" "$SC" SOURCE-PC
make_cmd_exe "$win/Windows/System32/cmd.exe" amd64
mkdir -p "$win/Windows/System32/drivers" "$win/Users/alice/Documents" "$win/Program Files/App"
head -c 5000 /dev/urandom >"$win/Windows/System32/drivers/disk.sys"
head -c 2000000 /dev/urandom >"$win/Program Files/App/app.dll"
seq 1 50000 >"$win/Users/alice/Documents/report.txt"
ntfs_image "$SCRATCH/ntfs.img" $(($(part_size 3) * 512))
ntfs_fill "$SCRATCH/ntfs.img" "$win"
put_part 3 "$SCRATCH/ntfs.img"
sfdisk --json "$src" >"$SCRATCH/table.before"
