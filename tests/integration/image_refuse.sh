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
umount pmnt
losetup -d "$busy"
check_eq "its backing file untouched" "$before" "$(sha busy.img)"

expect_fail "--partition on a file-system image is refused" 1 "no partition 2" \
	"$LIFEBOAT" restore --yes --partition 2 fs.lbi target.img
expect_fail "unknown codec is a usage error" 2 "unknown compression" "$LIFEBOAT" capture --compress lzma fs.img x.lbi
check "a failed capture leaves no image behind" test ! -e x.lbi

finish
