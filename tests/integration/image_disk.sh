# Whole-disk images: GPT and MBR (with logical partitions) disks holding
# boot code, data in the gaps, a BIOS-boot area, FAT32 and ext4. Judged by
# sfdisk --json, sgdisk -v, cmp of boot code and gaps, fsck of each file
# system; one partition restored alone; larger and smaller targets.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need sfdisk sgdisk mkfs.ext4 e2fsck mkfs.vfat fsck.vfat mcopy

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
get_part gpt-r.img 4096 131072 esp-r.img
get_part gpt-r.img 135168 196608 root-r.img
check "restored ESP passes fsck.vfat -n" fsck.vfat -n esp-r.img
check "restored root passes e2fsck -fn" e2fsck -fn root-r.img
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
truncate -s 200M new.img
"$LIFEBOAT" restore --yes --new-identity gpt.lbi new.img
check "--new-identity: sgdisk -v finds no problem" sh -c "sgdisk -v new.img | grep -q 'No problems found'"
check "--new-identity: a new disk GUID" test "$(sfdisk --disk-id gpt.img)" != "$(sfdisk --disk-id new.img)"
check "--new-identity: a new partition GUID" test "$(sfdisk --part-uuid gpt.img 3)" != "$(sfdisk --part-uuid new.img 3)"

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

finish
