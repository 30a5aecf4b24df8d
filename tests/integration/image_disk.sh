# Whole-disk images: GPT and MBR (with logical partitions) disks holding
# boot code, data in the gaps, a BIOS-boot area, FAT32 and ext4. Judged by
# sfdisk --json, sgdisk -v, cmp of boot code and gaps, fsck of each file
# system; one partition restored alone; larger and smaller targets.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need sfdisk sgdisk mkfs.ext4 e2fsck debugfs dumpe2fs mkfs.vfat fsck.vfat mcopy mkntfs ntfsfix ntfsinfo ntfs-3g python3

cd "$SCRATCH"
make_tree tree
truncate -s 64M esp.img
mkfs.vfat -F 32 esp.img >/dev/null
mcopy -i esp.img -s tree/licenses ::/
mkfs.ext4 -q -F -E nodiscard -d tree root.img 96M

# put_part DISK FILE START-SECTOR
put_part() { dd if="$2" of="$1" bs=512 seek="$3" conv=notrunc status=none; }
# get_part DISK START-SECTOR SECTORS OUT
get_part() { dd if="$1" of="$4" bs=512 skip="$2" count="$3" status=none; }
# same_table A B: sfdisk --json of both, device names aside
same_table() { diff <(sfdisk --json "$1" | sed "s#$1#DISK#g") <(sfdisk --json "$2" | sed "s#$2#DISK#g"); }

fill_junk gpt.img 200M
sfdisk -q gpt.img <<'TABLE'
label: gpt
start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649, name="bios"
start=4096, size=131072, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI system"
start=135168, size=196608, type=0FC63DAF-8483-4772-8E69-3D69E4C7E0CE, name="root"
TABLE
put_part gpt.img esp.img 4096
put_part gpt.img root.img 135168

check "capture a GPT disk" "$LIFEBOAT" capture gpt.img gpt.lbi
info=$("$LIFEBOAT" info --json gpt.lbi)
check "info: whole disk with a GPT" grep -q '"table": "gpt"' <<<"$info"
check "info: the ext4 partition" grep -q '"fs": "ext4"' <<<"$info"
check "whole-disk image keeps only used blocks" test "$(stat -c %s gpt.lbi)" -lt 80000000
fill_junk gpt-r.img 200M
check "restore the GPT disk" "$LIFEBOAT" restore --yes gpt.lbi gpt-r.img
check "partition table equal (sfdisk --json, identities kept)" same_table gpt.img gpt-r.img
check "boot code, GPT, bios-boot area and gaps equal" cmp -n $((4096 * 512)) gpt.img gpt-r.img
check "the 38 MiB after the last partition (junk, backup GPT) equal" cmp -i $((331776 * 512)) gpt.img gpt-r.img
get_part gpt-r.img 4096 131072 esp-r.img
get_part gpt-r.img 135168 196608 root-r.img
check "restored ESP passes fsck.vfat -n" fsck.vfat -n esp-r.img
check "restored root passes e2fsck -fn" e2fsck -fn root-r.img
mkdir rootout && debugfs -R "rdump / rootout" root-r.img 2>/dev/null
check "restored root files equal (debugfs rdump)" diff -r -x lost+found tree rootout
mkdir fatout && mcopy -s -i esp-r.img '::/*' fatout/
check "restored ESP files equal" diff -r tree/licenses fatout/licenses

# one partition of the whole-disk image onto a partition (here a file)
check "restore partition 3 alone" "$LIFEBOAT" restore --yes --partition 3 gpt.lbi part3.img
check "partition 3 alone equals the source file system" cmp root.img part3.img
cat gpt.lbi | "$LIFEBOAT" restore --yes --partition 2 - part2.img
check "partition 2 from a pipe equals the source ESP" cmp esp.img part2.img

cp gpt-r.img into.img
"$LIFEBOAT" restore --yes --partition 3 gpt.lbi part3.img
check "partition 3 onto partition 3 of another disk image (DISK:N)" \
	"$LIFEBOAT" restore --yes --partition 3 --fill-free gpt.lbi into.img:3
get_part into.img 135168 196608 into3.img
check "DISK:N restore equals the source file system" cmp root.img into3.img
check "DISK:N capture of one partition" "$LIFEBOAT" capture gpt.img:3 p3.lbi
"$LIFEBOAT" restore --yes p3.lbi p3.img
check "DISK:N capture restores the file system" cmp root.img p3.img

# larger disk: backup GPT at the new end, identities kept; --grow-last
truncate -s 300M big.img
check "restore onto a larger disk" "$LIFEBOAT" restore --yes gpt.lbi big.img
check "larger disk: sgdisk -v finds no problem" sh -c "sgdisk -v big.img | grep -q 'No problems found'"
check_eq "larger disk: disk GUID kept" "$(sfdisk --disk-id gpt.img)" "$(sfdisk --disk-id big.img)"
truncate -s 300M grow.img
"$LIFEBOAT" restore --yes --grow-last gpt.lbi grow.img
check "--grow-last: sgdisk -v finds no problem" sh -c "sgdisk -v grow.img | grep -q 'No problems found'"
last_size=$(sfdisk -d grow.img | sed -n 's/.*start= *135168, size= *\([0-9]*\).*/\1/p')
check "--grow-last: root reaches the end of the disk" test "$((135168 + ${last_size:-0}))" -ge $((300 * 2048 - 40))
get_part grow.img 135168 "${last_size:-0}" grown-root.img
check "--grow-last: the grown ext4 passes e2fsck -fn" e2fsck -fn grown-root.img
blocks=$(dumpe2fs -h grown-root.img 2>/dev/null | sed -n 's/^Block count: *//p')
bsize=$(dumpe2fs -h grown-root.img 2>/dev/null | sed -n 's/^Block size: *//p')
check "--grow-last: the ext4 fills its partition (dumpe2fs: $((blocks * bsize)) bytes)" \
	test $((blocks * bsize)) -gt $(((last_size - 2048) * 512))
mkdir grownout && debugfs -R "rdump / grownout" grown-root.img 2>/dev/null
# the same onto a block device: the file system is grown on a loop device over a loop device
truncate -s 300M growdev.img
dev=$(losetup -f --show growdev.img)
on_exit "losetup -d $dev 2>/dev/null"
check "--grow-last onto a block device" "$LIFEBOAT" restore --yes --grow-last gpt.lbi "$dev"
losetup -d "$dev"
check "--grow-last onto a block device: the same table as onto a file" same_table grow.img growdev.img
get_part growdev.img 135168 "${last_size:-0}" growdev-root.img
check "--grow-last onto a block device: its ext4 passes e2fsck -fn" e2fsck -fn growdev-root.img
check_eq "--grow-last onto a block device: grown as far (dumpe2fs block count)" "$blocks" \
	"$(dumpe2fs -h growdev-root.img 2>/dev/null | sed -n 's/^Block count: *//p')"
check "--grow-last: the grown ext4 holds the same files" diff -r -x lost+found tree grownout
truncate -s 200M new.img
"$LIFEBOAT" restore --yes --new-identity gpt.lbi new.img
check "--new-identity: sgdisk -v finds no problem" sh -c "sgdisk -v new.img | grep -q 'No problems found'"
check "--new-identity: a new disk GUID" test "$(sfdisk --disk-id gpt.img)" != "$(sfdisk --disk-id new.img)"
check "--new-identity: a new partition GUID" test "$(sfdisk --part-uuid gpt.img 3)" != "$(sfdisk --part-uuid new.img 3)"

# --partitions: only the ESP's data; the bios-boot and root partitions are
# left out, and a restore leaves their bytes on the target alone
check "capture --partitions 2" "$LIFEBOAT" capture --partitions 2 gpt.img esp-only.lbi
info=$("$LIFEBOAT" info --json esp-only.lbi)
check_eq "info: partitions 1 and 3 not captured, 2 captured" "1 False 2 True 3 False" "$(python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join("%d %s" % (p["number"], p["captured"]) for p in d["partitions"]))' <<<"$info")"
check_eq "it holds the full image's data less partitions 1 and 3" "True" "$(python3 -c '
import json, sys
full, part = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
left = sum(p["used_bytes"] for p in full["partitions"] if p["number"] != 2)
print(part["used_bytes"] == full["used_bytes"] - left and left > 10000000)' <("$LIFEBOAT" info --json gpt.lbi) <(cat <<<"$info"))"
fill_junk keep.img 200M
root_before=$(dd if=keep.img bs=512 skip=135168 count=196608 status=none | sha256sum)
check "restore it with --fill-free" "$LIFEBOAT" restore --yes --fill-free esp-only.lbi keep.img
check "the table is the source's" same_table gpt.img keep.img
check "boot code, GPT and gaps equal the source's" cmp -n $((2048 * 512)) gpt.img keep.img
check "the ESP equals the source's" cmp -i $((4096 * 512)):$((4096 * 512)) -n $((131072 * 512)) gpt.img keep.img
check_eq "the left-out root partition kept the target's bytes, even with --fill-free" "$root_before" \
	"$(dd if=keep.img bs=512 skip=135168 count=196608 status=none | sha256sum)"
expect_fail "--partition of a left-out partition is refused" 1 "partition 3 was left out" \
	"$LIFEBOAT" restore --yes --partition 3 esp-only.lbi lo.img
expect_fail "--partitions naming a partition the disk lacks is refused" 1 "has no partition 7" \
	"$LIFEBOAT" capture --partitions 2,7 gpt.img bad.lbi
check "and leaves no image" test ! -e bad.lbi

# smaller disk: fits when the partitions fit, refused with the shortfall otherwise
truncate -s 170M smaller.img
check "restore onto a smaller disk the partitions fit" "$LIFEBOAT" restore --yes gpt.lbi smaller.img
check "smaller disk: sgdisk -v finds no problem" sh -c "sgdisk -v smaller.img | grep -q 'No problems found'"
fill_junk tiny.img 150M
before=$(sha tiny.img)
expect_fail "a disk too small is refused with the shortfall" 1 "MiB too small.*partition 3 were shrunk" \
	"$LIFEBOAT" restore --yes gpt.lbi tiny.img
check_eq "too-small disk untouched" "$before" "$(sha tiny.img)"

# MBR with boot code, an extended partition and logical partitions
fill_junk mbr.img 160M
sfdisk -q mbr.img <<'TABLE'
label: dos
start=2048, size=131072, type=c, bootable
start=133120, size=172032, type=5
start=135168, size=40960, type=83
start=178176, size=126976, type=83
TABLE
put_part mbr.img esp.img 2048
mkfs.ext4 -q -F -E nodiscard -d tree/licenses logical.img 20M
put_part mbr.img logical.img 135168
"$LIFEBOAT" capture mbr.img mbr.lbi
fill_junk mbr-r.img 160M
check "restore the MBR disk" "$LIFEBOAT" restore --yes mbr.lbi mbr-r.img
check "MBR table equal (sfdisk --json, signature kept)" same_table mbr.img mbr-r.img
check "boot code and post-MBR gap equal" cmp -n $((2048 * 512)) mbr.img mbr-r.img
check "EBR sectors equal" cmp -i $((133120 * 512)):$((133120 * 512)) -n $((2048 * 512)) mbr.img mbr-r.img
get_part mbr-r.img 135168 40960 logical-r.img
check "logical partition 5 passes e2fsck -fn" e2fsck -fn logical-r.img
check "partition 6 (unformatted) copied whole" cmp -i $((178176 * 512)):$((178176 * 512)) -n $((126976 * 512)) mbr.img mbr-r.img
fill_junk mbr-big.img 200M
before=$(sha mbr-big.img)
expect_fail "--grow-last with the extended partition last is refused before writing" 1 \
	"cannot grow an extended partition" "$LIFEBOAT" restore --yes --grow-last mbr.lbi mbr-big.img
check_eq "refused: the larger disk is untouched" "$before" "$(sha mbr-big.img)"

# an empty extended partition last: nothing to grow, and the restore says so
fill_junk mbr3.img 40M
printf 'label: dos\nstart=2048, size=20480, type=83\nstart=22528, type=5\n' | sfdisk -q mbr3.img
"$LIFEBOAT" capture mbr3.img mbr3.lbi
truncate -s 60M mbr3-r.img
expect_fail "--grow-last with an empty extended partition last warns" 0 '^$' \
	"$LIFEBOAT" restore --yes --grow-last mbr3.lbi mbr3-r.img
check "the warning names it" grep -q "empty extended partition; nothing was grown" "$SCRATCH/err"
check_eq "and the table is the source's" "$(sfdisk -d mbr3.img | grep -v '^device')" \
	"$(sfdisk -d mbr3-r.img | grep -v '^device' | sed 's/mbr3-r.img/mbr3.img/')"

# MBR without an extended partition, NTFS last: --grow-last and --new-identity
fill_junk mbr2.img $((133120 * 512 + 40960 * 512))
sfdisk -q mbr2.img <<'TABLE'
label: dos
start=2048, size=131072, type=c, bootable
start=133120, size=40960, type=7
TABLE
put_part mbr2.img esp.img 2048
truncate -s 20M ntfs.img && mkntfs -Q -F -q ntfs.img 2>/dev/null
mkdir -p nmnt && ntfs-3g ntfs.img nmnt && cp -r tree/licenses nmnt/ && umount nmnt
put_part mbr2.img ntfs.img 133120
"$LIFEBOAT" capture mbr2.img mbr2.lbi
fill_junk mbr2-r.img 120M
check "MBR --grow-last --new-identity restore" "$LIFEBOAT" restore --yes --grow-last --new-identity mbr2.lbi mbr2-r.img
check "--new-identity: a new MBR signature" test "$(sfdisk --disk-id mbr2.img)" != "$(sfdisk --disk-id mbr2-r.img)"
check_eq "--grow-last: the last primary reaches the end of the disk" $((120 * 2048 - 133120)) \
	"$(sfdisk -d mbr2-r.img | sed -n 's/.*start= *133120, size= *\([0-9]*\).*/\1/p')"
get_part mbr2-r.img 133120 $((120 * 2048 - 133120)) mbr2-p2.img
check "--grow-last: its NTFS passes ntfsfix -n" ntfsfix -n mbr2-p2.img
vol=$(ntfsinfo -m -f mbr2-p2.img 2>/dev/null | awk '/Volume Size in Clusters/ {n=$NF} /Cluster Size/ {c=$NF} END {print n * c}')
check "--grow-last: the NTFS fills its partition (ntfsinfo: $vol bytes)" test "${vol:-0}" -gt $(((120 * 2048 - 133120 - 2048) * 512))
ntfs-3g -o ro mbr2-p2.img nmnt
check "--grow-last: the grown NTFS holds the same files" diff -r tree/licenses nmnt/licenses
umount nmnt

finish
