# Damaged images: a flipped byte in a chunk, an image cut short, a corrupt
# index. verify reports each; restore stops before the bad chunk, names the
# range not restored, exits 1, and every byte it wrote is correct.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need mkfs.ext4

cd "$SCRATCH"
make_tree tree
mkfs.ext4 -q -F -d tree fs.img 48M
"$LIFEBOAT" capture --chunk-size 64K fs.img good.lbi
"$LIFEBOAT" restore --yes good.lbi clean.img
fill_junk junk.img 48M
size=$(stat -c %s good.lbi)

# first_missing FILE: the first byte named in "not restored: file system bytes A-B"
first_missing() { sed -n 's/.*not restored: file system bytes \([0-9]*\)-.*/\1/p' "$1"; }

# written_prefix_correct TARGET A: bytes before A equal the clean restore,
# bytes from A on were left as they were (junk).
written_prefix_correct() {
	cmp -n "$2" "$1" clean.img && cmp <(tail -c +$(($2 + 1)) "$1") <(tail -c +$(($2 + 1)) junk.img)
}

# a flipped byte in the middle of the image (inside some chunk)
cp good.lbi flipped.lbi
printf '\xff' | dd of=flipped.lbi bs=1 seek=$((size / 2)) conv=notrunc status=none
expect_fail "verify reports the damaged chunk" 1 "chunk [0-9]+.*damaged|chunk (head|runs)" "$LIFEBOAT" verify flipped.lbi
cp junk.img t1.img
expect_fail "restore stops at the damaged chunk" 1 "not restored: file system bytes [0-9]+-50331647" \
	"$LIFEBOAT" restore --yes flipped.lbi t1.img
a=$(first_missing "$SCRATCH/err")
check "a damaged chunk leaves a non-empty restored prefix" test "${a:-0}" -gt 0
check "bytes before the bad chunk are correct, none after it written" written_prefix_correct t1.img "$a"
cp junk.img t2.img
expect_fail "streamed restore stops at the damaged chunk" 1 "not restored: file system bytes" \
	sh -c "cat flipped.lbi | '$LIFEBOAT' restore --yes - t2.img"
check "streamed restore: written bytes are correct" written_prefix_correct t2.img "$(first_missing "$SCRATCH/err")"

# cut short
head -c $((size * 6 / 10)) good.lbi >cut.lbi
expect_fail "verify reports a truncated image" 1 "trailer missing|cut short" "$LIFEBOAT" verify cut.lbi
cp junk.img t3.img
expect_fail "restore of a truncated file refuses before writing" 1 "trailer missing" \
	"$LIFEBOAT" restore --yes cut.lbi t3.img
check_eq "truncated image: target untouched" "$(sha junk.img)" "$(sha t3.img)"
cp junk.img t4.img
expect_fail "streamed truncated image stops and names the range" 1 "ends early.*not restored: file system bytes" \
	sh -c "cat cut.lbi | '$LIFEBOAT' restore --yes - t4.img"
check "streamed truncated image: written bytes are correct" written_prefix_correct t4.img "$(first_missing "$SCRATCH/err")"

# corrupt index (the bytes just before the 64-byte trailer)
cp good.lbi badindex.lbi
printf '\x55' | dd of=badindex.lbi bs=1 seek=$((size - 64 - 30)) conv=notrunc status=none
expect_fail "verify reports a corrupt index" 1 "index is damaged" "$LIFEBOAT" verify badindex.lbi
cp junk.img t5.img
expect_fail "restore refuses an image with a corrupt index" 1 "index is damaged" \
	"$LIFEBOAT" restore --yes badindex.lbi t5.img
check_eq "corrupt index: target untouched" "$(sha junk.img)" "$(sha t5.img)"

# damaged header and a file that is no image at all
cp good.lbi badhead.lbi
printf 'X' | dd of=badhead.lbi bs=1 seek=200 conv=notrunc status=none
expect_fail "a damaged header is refused" 1 "header is damaged" "$LIFEBOAT" info badhead.lbi
expect_fail "random bytes are not an image" 1 "not a Lifeboat image" "$LIFEBOAT" verify junk.img

finish
