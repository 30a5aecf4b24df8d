# restore --partition N --into-free-space: one partition of a whole-disk
# image becomes a new partition in the first free region of a GPT or MBR
# disk (an MBR logical one in its extended partition when no primary will
# do), judged by sfdisk --json/--verify, sgdisk -v, e2fsck and a file compare; the
# partitions already there keep every byte; the saved table sectors put the
# old table back; a disk without room is refused, saying how much is needed.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need sfdisk sgdisk mkfs.ext4 e2fsck debugfs losetup partx

cd "$SCRATCH"
make_tree tree
truncate -s 100M src.img
printf 'label: gpt\nstart=2048, size=40960, name="data"\nstart=43008, size=40960, name="other"\n' | sfdisk -q src.img
mkfs.ext4 -q -F -E offset=$((2048 * 512)) -d tree src.img 20M
"$LIFEBOAT" capture src.img src.lbi

# jq-free field reader: partition N's FIELD from sfdisk --json
part_field() { sfdisk --json "$1" | tr -d ' \n' | sed 's/},{/}\n{/g' | grep "\"node\":\"$1$2\"" |
	sed -n "s/.*\"$3\":\"\{0,1\}\([^,\"}]*\).*/\1/p"; }
# region_sha FILE START-SECTOR SECTORS
region_sha() { dd if="$1" bs=512 skip="$2" count="$3" status=none | sha256sum | cut -d' ' -f1; }
# files_equal DISK START-SECTOR: the ext4 at START holds the tree
files_equal() {
	dd if="$1" of=part.img bs=512 skip="$2" count=40960 status=none
	rm -rf restored && mkdir restored && debugfs -R "rdump / restored" part.img 2>/dev/null
	diff -r -x lost+found tree restored
}

# GPT: a 30 MiB partition at 1 MiB, then free space
fill_junk gpt.img 120M
printf 'label: gpt\nstart=2048, size=61440, name="keep"\n' | sfdisk -q gpt.img
sfdisk --json gpt.img >gpt-before.json
keep=$(region_sha gpt.img 2048 61440)
out=$("$LIFEBOAT" restore --dry-run --partition 1 --into-free-space src.lbi gpt.img)
check "--dry-run names the new partition" grep -q "new partition 2, sectors 63488-104447" <<<"$out"
check_eq "--dry-run changed nothing" "$(cat gpt-before.json)" "$(sfdisk --json gpt.img)"
check "restore partition 1 into free space of a GPT disk" \
	"$LIFEBOAT" restore --yes --partition 1 --into-free-space --table-backup gpt-table.bin src.lbi gpt.img
check_eq "sfdisk: new partition 2 starts at the first free MiB" 63488 "$(part_field gpt.img 2 start)"
check_eq "sfdisk: it is as large as the image's partition" 40960 "$(part_field gpt.img 2 size)"
check_eq "sfdisk: its type is the source's" 0FC63DAF-8483-4772-8E79-3D69D8477DE4 "$(part_field gpt.img 2 type)"
check_eq "sfdisk: its name is the source's" data "$(part_field gpt.img 2 name)"
check "sgdisk -v finds no problem" sh -c "sgdisk -v gpt.img | grep -q 'No problems found'"
check_eq "partition 1 kept every byte" "$keep" "$(region_sha gpt.img 2048 61440)"
check "e2fsck -fn passes on the new partition" sh -c "dd if=gpt.img bs=512 skip=63488 count=40960 status=none >p2.img && e2fsck -fn p2.img"
check "its files equal the source tree" files_equal gpt.img 63488
# the backup: sector 0 up to the end of the primary entries, then the backup entries and header
cp gpt.img undo.img
dd if=gpt-table.bin of=undo.img bs=512 count=34 conv=notrunc status=none
dd if=gpt-table.bin of=undo.img bs=512 skip=34 seek=$((120 * 2048 - 33)) conv=notrunc status=none
check_eq "the saved sectors put the old table back" "$(sed 's/gpt.img/undo.img/g' gpt-before.json)" \
	"$(sfdisk --json undo.img)"

# MBR: a new primary entry of type 83
fill_junk mbr.img 120M
printf 'label: dos\nstart=2048, size=61440, type=c\n' | sfdisk -q mbr.img
keep=$(region_sha mbr.img 2048 61440)
old0=$(region_sha mbr.img 0 1)
check "restore partition 1 into free space of an MBR disk" \
	"$LIFEBOAT" restore --yes --partition 1 --into-free-space --table-backup mbr-table.bin src.lbi mbr.img
check_eq "sfdisk: new partition 2 at the first free MiB" 63488 "$(part_field mbr.img 2 start)"
check_eq "sfdisk: type 83 (Linux) for an ext4" 83 "$(part_field mbr.img 2 type)"
check_eq "MBR: partition 1 kept every byte" "$keep" "$(region_sha mbr.img 2048 61440)"
check "MBR: its files equal the source tree" files_equal mbr.img 63488
check_eq "the MBR backup is the old sector 0" "$old0" "$(region_sha mbr-table.bin 0 1)"
check_eq "and nothing more" 512 "$(stat -c %s mbr-table.bin)"

# a gap before the first partition that is too small, a fitting one after it
fill_junk gaps.img 120M
printf 'label: gpt\nstart=22528, size=20480\n' | sfdisk -q gaps.img
"$LIFEBOAT" restore --yes --partition 1 --into-free-space --table-backup gaps-table.bin src.lbi gaps.img
check_eq "the 10 MiB gap is skipped for the first one that holds 20 MiB" 43008 "$(part_field gaps.img 2 start)"

# no room: refused, nothing written, no backup left behind
fill_junk full.img 60M
printf 'label: gpt\nstart=2048, size=81920\n' | sfdisk -q full.img
before=$(sha full.img)
expect_fail "a disk without a fitting free region is refused" 1 \
	"no free region for partition 1: it needs 20.0 MiB \(20971520 bytes\), the largest free region holds [0-9.]+ MiB" \
	"$LIFEBOAT" restore --yes --partition 1 --into-free-space --table-backup full-table.bin src.lbi full.img
check_eq "refused: the disk is untouched" "$before" "$(sha full.img)"
check "refused: no table backup written" test ! -e full-table.bin
expect_fail "--into-free-space without --partition is a usage error" 2 "give --partition N" \
	"$LIFEBOAT" restore --yes --into-free-space src.lbi full.img

# MBR with its free space inside the extended partition: a new logical
# partition at the end of the EBR chain, its EBR 1 MiB before it
fill_junk ext.img 120M
printf 'label: dos\nstart=2048, size=20480, type=c\nstart=22528, type=5\nstart=24576, size=20480, type=83\n' |
	sfdisk -q ext.img
sfdisk --json ext.img >ext-before.json
keep5=$(region_sha ext.img 24576 20480)
out=$("$LIFEBOAT" restore --dry-run --partition 1 --into-free-space src.lbi ext.img)
check "--dry-run names a new logical partition 6" grep -q "new logical partition 6, sectors 47104-88063" <<<"$out"
check "restore into the extended partition's free space" \
	"$LIFEBOAT" restore --yes --partition 1 --into-free-space --table-backup ext-table.bin src.lbi ext.img
check_eq "sfdisk: logical partition 6 starts 1 MiB after its EBR" 47104 "$(part_field ext.img 6 start)"
check_eq "sfdisk: its size" 40960 "$(part_field ext.img 6 size)"
check_eq "sfdisk: type 83" 83 "$(part_field ext.img 6 type)"
check "sfdisk --verify is content with the chain" sfdisk --verify ext.img
check_eq "sfdisk: logical 5 unchanged" "24576 20480" "$(part_field ext.img 5 start) $(part_field ext.img 5 size)"
check_eq "logical 5 kept every byte" "$keep5" "$(region_sha ext.img 24576 20480)"
check "its files equal the source tree" files_equal ext.img 47104
check_eq "the backup: sector 0 and the EBR that now links on" 1024 "$(stat -c %s ext-table.bin)"
cp ext.img ext-undo.img
dd if=ext-table.bin of=ext-undo.img bs=512 count=1 conv=notrunc status=none
dd if=ext-table.bin of=ext-undo.img bs=512 skip=1 seek=$((24576 - 2048)) count=1 conv=notrunc status=none
check_eq "the saved sectors put the old table back" "$(sed 's/ext.img/ext-undo.img/g' ext-before.json)" \
	"$(sfdisk --json ext-undo.img)"

# an empty extended partition holding all free space: logical partition 5
fill_junk empty-ext.img 120M
printf 'label: dos\nstart=2048, size=20480, type=c\nstart=22528, type=5\n' | sfdisk -q empty-ext.img
check "restore into an empty extended partition" \
	"$LIFEBOAT" restore --yes --partition 1 --into-free-space --table-backup empty-table.bin src.lbi empty-ext.img
check_eq "sfdisk: logical partition 5 at the first MiB of the extended one" 24576 "$(part_field empty-ext.img 5 start)"
check "its files equal the source tree" files_equal empty-ext.img 24576
check "sfdisk --verify is content" sfdisk --verify empty-ext.img

# a loop device: the kernel learns of the new partition
truncate -s 120M loop.img
printf 'label: gpt\nstart=2048, size=61440\n' | sfdisk -q loop.img
dev=$(losetup -f --show loop.img)
on_exit "losetup -d $dev"
check "restore into free space of a loop device" \
	"$LIFEBOAT" restore --yes --partition 1 --into-free-space --table-backup loop-table.bin src.lbi "$dev"
check "the kernel shows the new partition" test -b "${dev}p2"
check_eq "blkid sees the ext4 on it" ext4 "$(blkid -p -o value -s TYPE "${dev}p2")"

finish
