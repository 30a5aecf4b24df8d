# Interrupted restores: killed with SIGKILL at random points (reading a pipe,
# and writing from an image file), then run again
# with --resume, the target ends byte-identical to an uninterrupted restore;
# SIGINT stops cleanly and says how to resume.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need mkfs.ext4 cmp

cd "$SCRATCH"
make_tree tree
fill_junk fs.img 48M
mkfs.ext4 -q -F -E nodiscard -d tree fs.img
"$LIFEBOAT" capture --chunk-size 128K fs.img fs.lbi
fill_junk base.img 48M
cp base.img reference.img
"$LIFEBOAT" restore --yes fs.lbi reference.img
size=$(stat -c %s fs.lbi)

# start_stalled TARGET CUT: a restore fed the first CUT bytes of the image,
# then nothing for 5 s; its pid goes to $pid.
start_stalled() {
	(head -c "$2" fs.lbi; sleep 5) | "$LIFEBOAT" restore --yes - "$1" 2>"$SCRATCH/stalled.err" &
	pid=$!
}

for i in 1 2 3; do
	cp base.img "t$i.img"
	cut=$(( (RANDOM * 32768 + RANDOM) % (size - 4096) + 2048 ))
	start_stalled "t$i.img" "$cut"
	sleep 1
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
	check "run $i: --resume after SIGKILL at image byte $cut" "$LIFEBOAT" restore --yes --resume --progress=none fs.lbi "t$i.img"
	check "run $i: resumed target is byte-identical" cmp reference.img "t$i.img"
done

# killed while writing from an image file, then resumed from the file: 24
# MiB of base64 text in bzip2 chunks on one thread take about a second to
# restore, so a kill after 0.2-0.7 s lands mid-write
mkdir slowtree
head -c 18M /dev/urandom | base64 >slowtree/text.b64
fill_junk slowfs.img 64M
mkfs.ext4 -q -F -E nodiscard -d slowtree slowfs.img
"$LIFEBOAT" capture --chunk-size 128K --compress bzip2 slowfs.img slow.lbi
fill_junk slowbase.img 64M
cp slowbase.img slowref.img
"$LIFEBOAT" restore --yes --progress=none slow.lbi slowref.img
for i in 1 2 3; do
	cp slowbase.img "k$i.img"
	"$LIFEBOAT" restore --yes --threads 1 --progress=none slow.lbi "k$i.img" &
	pid=$!
	sleep "0.$((RANDOM % 6 + 2))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
	check "file run $i: the kill cut the restore short" test "$(sha "k$i.img")" != "$(sha slowref.img)"
	check "file run $i: --resume after SIGKILL" "$LIFEBOAT" restore --yes --resume --progress=none slow.lbi "k$i.img"
	check "file run $i: resumed target is byte-identical" cmp slowref.img "k$i.img"
done

# --resume over a complete target writes nothing (its mtime stays) and stays identical
cp reference.img done.img
touch -d @1 done.img
check "--resume over a finished restore succeeds" "$LIFEBOAT" restore --yes --resume fs.lbi done.img
check "--resume over a finished restore changes nothing" cmp reference.img done.img
check_eq "--resume over a finished restore wrote nothing (mtime kept)" 1 "$(stat -c %Y done.img)"

# SIGINT: a clean stop with the way to continue
cp base.img int.img
start_stalled int.img $((size / 2))
sleep 1
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
check_eq "SIGINT exits 1" 1 "$rc"
check "SIGINT says how to resume" grep -q -- "--resume to continue" "$SCRATCH/stalled.err"
check "resume after SIGINT" "$LIFEBOAT" restore --yes --resume fs.lbi int.img
check "resumed after SIGINT is byte-identical" cmp reference.img int.img

finish
