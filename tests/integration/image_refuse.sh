# Restore refusals leave the target byte-identical: target too small, the
# disk holding the image, a mounted target, a disk image on a loop device
# (losetup -P) with one partition mounted, no confirmation; --dry-run
# writes nothing either.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need mkfs.ext4 losetup setsid sfdisk partx

cd "$SCRATCH"
mkfs.ext4 -q -F fs.img 32M
"$LIFEBOAT" capture fs.img fs.lbi

fill_junk small.img 31M
before=$(sha small.img)
expect_fail "a target too small is refused" 1 "too small for this image" "$LIFEBOAT" restore --yes fs.lbi small.img
check_eq "too small: target untouched" "$before" "$(sha small.img)"

fill_junk target.img 32M
before=$(sha target.img)
expect_fail "no --yes without a terminal is refused" 1 "without --yes" \
	setsid -w "$LIFEBOAT" restore fs.lbi target.img
check_eq "no confirmation: target untouched" "$before" "$(sha target.img)"
out=$("$LIFEBOAT" restore --dry-run fs.lbi target.img)
check "--dry-run prints the plan" grep -q "Nothing was written" <<<"$out"
check "--dry-run names image and target" grep -q "^Would restore fs.lbi onto target.img" <<<"$out"
check "--dry-run says how much data would be written" grep -Eq "^  [0-9.]+ [KMG]i?B of data would be written" <<<"$out"
check_eq "--dry-run: target untouched" "$before" "$(sha target.img)"

# a mounted target, and the disk the image itself lies on
mkdir -p hold mnt
cp fs.lbi hold/
mkfs.ext4 -q -F -d hold holder.img 64M
loop=$(losetup -f --show holder.img)
on_exit "losetup -d $loop"
mount -o ro "$loop" mnt
on_exit "umount $SCRATCH/mnt"
before=$(sha "$loop")
expect_fail "the disk holding the image is refused" 1 "disk that holds the image" \
	"$LIFEBOAT" restore --yes mnt/fs.lbi "$loop"
expect_fail "a mounted target is refused" 1 "mounted" "$LIFEBOAT" restore --yes fs.lbi "$loop"
check_eq "refused device targets untouched" "$before" "$(sha "$loop")"

# a whole-disk restore onto a loop device whose partition is mounted
truncate -s 64M disk.img
printf 'label: gpt\nstart=2048, size=40960\nstart=43008, size=40960\n' | sfdisk -q disk.img
mkfs.ext4 -q -F -E offset=$((2048 * 512)) disk.img 20M
"$LIFEBOAT" capture disk.img disk.lbi
fill_junk busy.img 64M
printf 'label: gpt\nstart=2048, size=40960\nstart=43008, size=40960\n' | sfdisk -q busy.img
mkfs.ext4 -q -F -E offset=$((43008 * 512)) busy.img 20M
busy=$(losetup -P -f --show busy.img)
on_exit "losetup -d $busy"
mkdir -p pmnt
# the kernel's scan at attach can miss a table written just before; partx asks again
udevadm settle 2>/dev/null || true
[ -b "${busy}p2" ] || partx -a "$busy" 2>/dev/null || true
check "the loop device shows partition 2" test -b "${busy}p2"
mount -o ro "${busy}p2" pmnt
on_exit "umount $SCRATCH/pmnt"
before=$(sha "$busy")
expect_fail "a whole-disk restore onto a loop disk with a mounted partition is refused" 1 \
	"^lifeboat: $busy: refusing to restore onto a mounted file system" \
	"$LIFEBOAT" restore --yes disk.lbi "$busy"
expect_fail "the same with --resume is refused" 1 "mounted file system" \
	"$LIFEBOAT" restore --yes --resume disk.lbi "$busy"
check_eq "refused loop disk untouched" "$before" "$(sha "$busy")"
expect_fail "the file behind that loop disk is refused too" 1 \
	"^lifeboat: busy.img: refusing to restore onto a file that $busy serves to a mounted file system" \
	"$LIFEBOAT" restore --yes disk.lbi busy.img
check_eq "refused backing file untouched" "$before" "$(sha busy.img)"
umount pmnt
losetup -d "$busy"
check_eq "its backing file untouched" "$before" "$(sha busy.img)"

# an image onto itself or its own volume; a typo'd device or DISK:N is not made a file
cp fs.lbi self.lbi
before=$(sha self.lbi)
expect_fail "an image onto itself is refused" 1 "restore an image onto itself" \
	"$LIFEBOAT" restore --yes self.lbi self.lbi
check_eq "the image is untouched" "$before" "$(sha self.lbi)"
"$LIFEBOAT" capture --compress none --split 1M fs.img vol.lbi
before=$(sha vol.lbi.002)
expect_fail "an image onto its own second volume is refused" 1 "restore an image onto itself" \
	"$LIFEBOAT" restore --yes vol.lbi vol.lbi.002
check_eq "the volume is untouched" "$before" "$(sha vol.lbi.002)"
expect_fail "a missing device is not created" 1 "/dev/lifeboat-none: no such disk, partition or file" \
	"$LIFEBOAT" restore --yes fs.lbi /dev/lifeboat-none
check "nothing appeared in /dev" test ! -e /dev/lifeboat-none
expect_fail "a missing DISK:N is not created" 1 "missing.img: no such disk, partition or file" \
	"$LIFEBOAT" restore --yes fs.lbi missing.img:3
check "no file appeared" test ! -e missing.img -a ! -e missing.img:3
expect_fail "a new file that cannot hold the image is removed again" 1 "no partition 7" \
	"$LIFEBOAT" restore --yes --partition 7 disk.lbi fresh.img
check "the new file was removed" test ! -e fresh.img

# --discard onto a file on ramfs, which (like FAT) cannot punch holes:
# refused before writing
mkdir -p fmnt
check "mount a ramfs" mount -t ramfs none fmnt
on_exit "umount $SCRATCH/fmnt 2>/dev/null"
fill_junk fmnt/target.img 32M
before=$(sha fmnt/target.img)
expect_fail "--discard onto a file that cannot punch holes is refused" 1 "cannot discard.*--fill-free" \
	"$LIFEBOAT" restore --yes --discard fs.lbi fmnt/target.img
check_eq "refused: that target is untouched" "$before" "$(sha fmnt/target.img)"
umount fmnt

expect_fail "--partition on a file-system image is refused" 1 "no partition 2" \
	"$LIFEBOAT" restore --yes --partition 2 fs.lbi target.img
expect_fail "unknown codec is a usage error" 2 "unknown compression" "$LIFEBOAT" capture --compress lzma fs.img x.lbi
check "a failed capture leaves no image behind" test ! -e x.lbi

finish
