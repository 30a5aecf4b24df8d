# Split images whose volumes are not all next to the first one: found in
# --volumes folders, asked for on a terminal (again while the folder is
# wrong), refused without a terminal with a message naming the missing
# volume; a volume of another image or with another number is never used.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need mkfs.ext4 e2fsck script setsid

cd "$SCRATCH"
make_tree tree
mkfs.ext4 -q -F -d tree fs.img 48M
"$LIFEBOAT" capture --split 2M fs.img split.lbi
"$LIFEBOAT" capture --split 2M fs.img other.lbi
n=$(ls split.lbi* | wc -l)
check "the image has at least four volumes ($n)" test "$n" -ge 4
check "volume 2 starts with a volume mark" test "$(head -c 8 split.lbi.002)" = LBVOLUME
"$LIFEBOAT" restore --yes split.lbi whole.img
check "all volumes together restore the file system" cmp fs.img whole.img

# volumes 2.. moved to another folder
mkdir -p moved stick2 stick3
mv split.lbi.0* moved/
fill_junk target.img 48M
before=$(sha target.img)
expect_fail "without a terminal a missing volume is refused and named" 1 \
	"^lifeboat: split.lbi.002: volume 2 of the image is missing .*--volumes DIR" \
	setsid -w "$LIFEBOAT" restore --yes split.lbi target.img
check_eq "refused: target untouched" "$before" "$(sha target.img)"
check "restore with --volumes finds them" "$LIFEBOAT" restore --yes --fill-free --volumes moved split.lbi target.img
check "restored through --volumes equals the source" cmp fs.img target.img
check "verify with --volumes" "$LIFEBOAT" verify --volumes moved split.lbi

# volumes on several sticks: 2 next to the first, 3 on one, the rest on another
mv moved/split.lbi.002 .
mv moved/split.lbi.003 stick2/
mv moved/split.lbi.0* stick3/
check "volumes spread over folders" "$LIFEBOAT" verify --volumes stick2 --volumes stick3 split.lbi

# on a terminal: the first folder typed is wrong, the second right
rm -f prompted.img
printf 'nowhere\n%s\n' "$SCRATCH/stick3" >answers
script -qec "'$LIFEBOAT' restore --yes --volumes stick2 split.lbi prompted.img" /dev/null <answers >dialogue 2>&1 || true
check "asked for the folder of volume 4" grep -q "Volume 4 of the image, split.lbi.004, was not found" dialogue
check "asked again after a wrong folder" grep -q "nowhere/split.lbi.004 does not exist" dialogue
check "the restore through the typed folder equals the source" cmp fs.img prompted.img

# a volume of another image, and a volume with another number, are never used
mv stick3/split.lbi.0* stick2/
mv stick2/split.lbi.003 keep3
cp other.lbi.003 stick2/split.lbi.003
fill_junk target2.img 48M
before=$(sha target2.img)
expect_fail "a volume of another image is refused" 1 "split.lbi.003 belongs to another image" \
	setsid -w "$LIFEBOAT" restore --yes --volumes stick2 split.lbi target2.img
cp stick2/split.lbi.004 stick2/split.lbi.003
expect_fail "a volume with another number is refused" 1 "is volume 4 of this image, not volume 3" \
	setsid -w "$LIFEBOAT" restore --yes --volumes stick2 split.lbi target2.img
check_eq "wrong volumes: target untouched" "$before" "$(sha target2.img)"
mv keep3 stick2/split.lbi.003
check "with the right volume back it verifies" "$LIFEBOAT" verify --volumes stick2 split.lbi

# concatenated volumes in a pipe: the marks are checked too
cat split.lbi split.lbi.002 stick2/split.lbi.0* >joined.lbi
check "concatenated volumes verify from a pipe" sh -c "'$LIFEBOAT' verify - <joined.lbi"
cat split.lbi other.lbi.002 stick2/split.lbi.0* >mixed.lbi
expect_fail "a volume of another image in a pipe is refused" 1 "volume 2 belongs to another image" \
	sh -c "'$LIFEBOAT' verify - <mixed.lbi"

finish
