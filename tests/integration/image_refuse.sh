# Restore refusals leave the target byte-identical: target too small, the
# disk holding the image, a mounted target, no confirmation; --dry-run
# writes nothing either.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need mkfs.ext4 losetup setsid

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

expect_fail "--partition on a file-system image is refused" 1 "no partition 2" \
	"$LIFEBOAT" restore --yes --partition 2 fs.lbi target.img
expect_fail "unknown codec is a usage error" 2 "unknown compression" "$LIFEBOAT" capture --compress lzma fs.img x.lbi
check "a failed capture leaves no image behind" test ! -e x.lbi

finish
