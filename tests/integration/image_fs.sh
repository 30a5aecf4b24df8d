# Image round trips of single file systems made by the real tools (ext4,
# FAT12/16/32, exFAT, NTFS, swap), judged by e2fsck / fsck.vfat / fsck.exfat /
# ntfsfix and a file-by-file compare; every codec; streaming from a pipe;
# split volumes.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need mkfs.ext4 e2fsck debugfs dumpe2fs mkfs.vfat fsck.vfat mcopy mkfs.exfat fsck.exfat mount.exfat-fuse mkswap blkid mkntfs \
	ntfs-3g ntfsfix python3 losetup

cd "$SCRATCH"
make_tree tree

# ext4 over dirty space, with a deleted file leaving used-looking free blocks
fill_junk ext4.img 96M
mkfs.ext4 -q -F -E nodiscard -d tree ext4.img
debugfs -w -R "rm /media/random-6m.bin" ext4.img 2>/dev/null
rm tree/media/random-6m.bin
check "capture ext4" "$LIFEBOAT" capture --progress=none ext4.img ext4.lbi
check "verify ext4 image" "$LIFEBOAT" verify ext4.lbi
info=$("$LIFEBOAT" info --json ext4.lbi)
check "info names ext4" grep -q '"fs": "ext4"' <<<"$info"
check "info counts chunks" grep -q '"chunks": [1-9]' <<<"$info"
size=$(stat -c %s ext4.lbi)
check "only used blocks are stored (image $size bytes < 40 MB)" test "$size" -lt 40000000
fill_junk target.img 96M
check "restore ext4 onto a dirty target" "$LIFEBOAT" restore --yes ext4.lbi target.img
check "e2fsck -fn passes on the restored ext4" e2fsck -fn target.img
mkdir -p mnt
mount -o ro,loop target.img mnt && on_exit "umount $SCRATCH/mnt 2>/dev/null"
check "restored ext4 files equal the source tree" diff -r -x lost+found tree mnt
umount mnt

# streaming equals the file restore
fill_junk target2.img 96M
cp target2.img target3.img
"$LIFEBOAT" restore --yes ext4.lbi target2.img
cat ext4.lbi | "$LIFEBOAT" restore --yes - target3.img
check "restore from a pipe equals restore from the file" cmp target2.img target3.img

# every codec restores the same bytes
"$LIFEBOAT" restore --yes ext4.lbi zstd.img
check "e2fsck -fn passes on the reference restore" e2fsck -fn zstd.img
for codec in zlib:6 bzip2 none zstd:1; do
	"$LIFEBOAT" capture --compress "$codec" ext4.img "c-$codec.lbi"
	check "$codec image verifies" "$LIFEBOAT" verify "c-$codec.lbi"
	"$LIFEBOAT" restore --yes "c-$codec.lbi" "c-$codec.img"
	check "$codec restore equals the zstd restore" cmp zstd.img "c-$codec.img"
done

# --fill-free zeroes free space; --discard punches it out of an image file
fill_junk filled.img 96M
"$LIFEBOAT" restore --yes --fill-free ext4.lbi filled.img
check "--fill-free restore equals restore into a zeroed file" cmp zstd.img filled.img
# judged by dumpe2fs: every free block reads zero, every used one as in the source
dumpe2fs ext4.img 2>/dev/null >ext4.dump
check "--fill-free: dumpe2fs's free blocks are zero, the others as in the source" python3 - ext4.dump ext4.img filled.img <<'PY'
import re, sys
dump, src, dst = sys.argv[1:]
text = open(dump).read()
bs = int(re.search(r"^Block size:\s+(\d+)", text, re.M).group(1))
count = int(re.search(r"^Block count:\s+(\d+)", text, re.M).group(1))
free = set()
for line in re.findall(r"^\s+Free blocks: (.*)$", text, re.M):
    for part in filter(None, (p.strip() for p in line.split(","))):
        a, _, b = part.partition("-")
        free.update(range(int(a), int(b or a) + 1))
with open(src, "rb") as s, open(dst, "rb") as d:
    for blk in range(count):
        want = bytes(bs) if blk in free else s.read(bs)
        if blk in free:
            s.seek(bs, 1)
        if d.read(bs) != want:
            sys.exit("block %d differs" % blk)
PY
fill_junk trimmed.img 96M
"$LIFEBOAT" restore --yes --discard ext4.lbi trimmed.img
check "--discard restore equals restore into a zeroed file" cmp zstd.img trimmed.img
check "--discard leaves free space unallocated" test "$(du -k trimmed.img | cut -f1)" -lt 40000
# onto a block device: BLKDISCARD on a loop device punches its backing file
fill_junk trimdev.img 96M
dev=$(losetup -f --show trimdev.img)
on_exit "losetup -d $dev 2>/dev/null"
check "--discard restore onto a loop device" "$LIFEBOAT" restore --yes --discard ext4.lbi "$dev"
losetup -d "$dev"
check "--discard onto the device equals restore into a zeroed file" cmp zstd.img trimdev.img
check "--discard onto the device gave the free space back (backing file sparse)" \
	test "$(du -k trimdev.img | cut -f1)" -lt 40000

# split volumes
"$LIFEBOAT" capture --split 4M ext4.img split.lbi
check "split volumes were written" test -f split.lbi.002
check "no volume is larger than the split size" test "$(stat -c %s split.lbi)" -eq 4194304
check "split image verifies" "$LIFEBOAT" verify split.lbi
"$LIFEBOAT" restore --yes split.lbi split.img
check "split image restores the same bytes" cmp zstd.img split.img
cat split.lbi split.lbi.[0-9]* | "$LIFEBOAT" restore --yes - splitpipe.img
check "concatenated volumes restore from a pipe" cmp zstd.img splitpipe.img

# FAT12, FAT16, FAT32
for bits in 12 16 32; do
	case $bits in 12) sz=4M ;; 16) sz=32M ;; 32) sz=64M ;; esac
	fill_junk "fat$bits.img" $sz
	mkfs.vfat -F $bits "fat$bits.img" >/dev/null
	if [ $bits = 12 ]; then mcopy -i fat12.img -s tree/licenses ::/; else mcopy -i "fat$bits.img" -s tree/* ::/; fi
	"$LIFEBOAT" capture "fat$bits.img" "fat$bits.lbi"
	fill_junk "fat$bits-r.img" $sz
	"$LIFEBOAT" restore --yes "fat$bits.lbi" "fat$bits-r.img"
	check "fsck.vfat -n passes on restored FAT$bits" fsck.vfat -n "fat$bits-r.img"
	rm -rf out && mkdir out && mcopy -s -i "fat$bits-r.img" '::/*' out/
	if [ $bits = 12 ]; then
		check "restored FAT12 files equal the source" diff -r tree/licenses out/licenses
	else
		check "restored FAT$bits files equal the source" diff -r tree out
	fi
done

# exFAT, filled through the FUSE driver
fill_junk exfat.img 64M
mkfs.exfat exfat.img >/dev/null
mkdir -p emnt
loop=$(losetup -f --show exfat.img)
on_exit "losetup -d $loop 2>/dev/null"
mount.exfat-fuse "$loop" emnt >/dev/null 2>&1
cp -r tree/* emnt/
umount emnt
losetup -d "$loop"
"$LIFEBOAT" capture exfat.img exfat.lbi
check "exFAT image stores only used clusters" test "$(stat -c %s exfat.lbi)" -lt 20000000
fill_junk exfat-r.img 64M
"$LIFEBOAT" restore --yes exfat.lbi exfat-r.img
check "fsck.exfat -n passes on the restored exFAT" fsck.exfat -n exfat-r.img
loop=$(losetup -f --show -r exfat-r.img)
on_exit "losetup -d $loop 2>/dev/null"
mount.exfat-fuse -o ro "$loop" emnt >/dev/null 2>&1
check "restored exFAT files equal the source" diff -r tree emnt
umount emnt
losetup -d "$loop"

# NTFS (filled through ntfs-3g): pagefile.sys, hiberfil.sys and swapfile.sys
# stay, their data is not copied
used_of() { "$LIFEBOAT" info --json "$1" | sed -n 's/^  "used_bytes": \([0-9]*\),/\1/p'; }
fill_junk ntfs.img 96M
mkntfs -Q -F -q ntfs.img 2>/dev/null
mkdir -p nmnt
ntfs-3g ntfs.img nmnt
cp -r tree/* nmnt/
umount nmnt
"$LIFEBOAT" capture ntfs.img ntfs-nopage.lbi
ntfs-3g ntfs.img nmnt
for f in pagefile hiberfil swapfile; do head -c 4M /dev/urandom >"nmnt/$f.sys"; cp "nmnt/$f.sys" "$f.orig"; done
umount nmnt
"$LIFEBOAT" capture ntfs.img ntfs.lbi
grew=$(($(used_of ntfs.lbi) - $(used_of ntfs-nopage.lbi)))
check "NTFS: 12 MiB of pagefile/hiberfil/swapfile add only their MFT records ($grew bytes < 64 KiB)" test "$grew" -lt 65536
fill_junk ntfs-r.img 96M
"$LIFEBOAT" restore --yes ntfs.lbi ntfs-r.img
check "ntfsfix -n passes on the restored NTFS" ntfsfix -n ntfs-r.img
ntfs-3g -o ro ntfs-r.img nmnt
check "restored NTFS files equal the source" diff -r -x pagefile.sys -x hiberfil.sys -x swapfile.sys tree nmnt
for f in pagefile hiberfil swapfile; do
	check_eq "$f.sys is still there, same size" 4194304 "$(stat -c %s "nmnt/$f.sys")"
	check "$f.sys's contents were not copied" test "$(sha "$f.orig")" != "$(sha "nmnt/$f.sys")"
done
umount nmnt

# ext4 with meta_bg and uninitialised groups: the descriptor blocks in the
# first, second and last group of every meta group are kept (each block
# dumpe2fs names as superblock or descriptors compares equal)
mkfs.ext4 -q -F -b 1024 -O meta_bg,^resize_inode -d tree metabg.img 300M
"$LIFEBOAT" capture metabg.img metabg.lbi
fill_junk metabg-r.img 300M
"$LIFEBOAT" restore --yes metabg.lbi metabg-r.img
check "e2fsck -fn passes on the restored meta_bg ext4" e2fsck -fn metabg-r.img
bad=$(dumpe2fs metabg.img 2>/dev/null | grep -oE "(superblock|descriptors?) at [0-9]+(-[0-9]+)?" | awk '{print $NF}' |
	while IFS=- read -r a b; do
		n=$((${b:-$a} - a + 1))
		cmp -s <(dd if=metabg.img bs=1024 skip="$a" count="$n" 2>/dev/null) \
			<(dd if=metabg-r.img bs=1024 skip="$a" count="$n" 2>/dev/null) || echo "$a"
	done)
check_eq "every superblock and descriptor block of the meta_bg ext4 was restored" "" "$bad"

# swap keeps only its header
fill_junk swap.img 16M
mkswap -L lbswap swap.img >/dev/null
"$LIFEBOAT" capture swap.img swap.lbi
check_eq "swap stores one page" 4096 "$("$LIFEBOAT" info --json swap.lbi | sed -n 's/^  "used_bytes": \([0-9]*\),/\1/p')"
"$LIFEBOAT" restore --yes swap.lbi swap-r.img
check_eq "restored swap keeps its UUID" "$(blkid -s UUID -o value swap.img)" "$(blkid -s UUID -o value swap-r.img)"

finish
