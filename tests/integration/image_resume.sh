# Interrupted restores: killed with SIGKILL at random points, then run again
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

# --resume over a complete target writes nothing and stays identical
cp reference.img done.img
check "--resume over a finished restore succeeds" "$LIFEBOAT" restore --yes --resume fs.lbi done.img
check "--resume over a finished restore changes nothing" cmp reference.img done.img

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
