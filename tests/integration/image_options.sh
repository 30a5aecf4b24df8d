# Restore and capture options, judged by cmp/sha, python3 (json, the .lbi
# chunk layout of FORMAT.md), e2fsck, blkid and cryptsetup: --verify-first
# writes nothing from a damaged image and refuses a pipe; --progress=json
# lines are JSON, one stage, rising to done == total; --sector-by-sector,
# LUKS and BitLocker volumes are copied whole; a damaged chunk of a
# whole-disk image names its partition range and every byte before it is
# right; a confirmation answered "no" on a terminal writes nothing.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need mkfs.ext4 e2fsck sfdisk blkid cryptsetup script python3 cmp

cd "$SCRATCH"
make_tree tree

# flip IMAGE MIN-OFFSET: inverts one byte in the middle of the stored data of
# the middle chunk whose runs start at or after MIN-OFFSET of the source;
# prints that image offset. Walks the chunk records as FORMAT.md lays them out.
flip() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
path, lo = sys.argv[1], int(sys.argv[2])
d = open(path, "rb").read()
pos = 512 + struct.unpack_from("<Q", d, 152)[0]
hits = []
while d[pos:pos + 4] == b"LBCK":
    n, seq, codec, stored, raw = struct.unpack_from("<IQIII", d, pos + 4)
    data = pos + 48 + 16 * n
    if struct.unpack_from("<Q", d, pos + 48)[0] >= lo and stored >= 2:
        hits.append(data + stored // 2)
    pos = data + stored
if d[pos:pos + 4] != b"LBIX" or not hits:
    sys.exit("no chunk to damage")
off = hits[len(hits) // 2]
with open(path, "r+b") as f:
    f.seek(off)
    f.write(bytes([d[off] ^ 0xFF]))
print(off)
PY
}
# json FILE EXPR: EXPR of the JSON document in FILE (as d)
json() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
# trickle [FILE|-]: copies to stdout in 256 KiB steps, 50 ms apart, so
# progress has time to report more than once
cat >trickle.py <<'PY'
import sys, time
src = sys.stdin.buffer if sys.argv[1] == "-" else open(sys.argv[1], "rb")
while True:
    b = src.read(256 * 1024)
    if not b:
        break
    sys.stdout.buffer.write(b)
    sys.stdout.buffer.flush()
    time.sleep(0.05)
PY
trickle() { python3 trickle.py "$1"; }
# progress_ok FILE STAGE: every line is JSON of STAGE, done never falls,
# the last has done == total > 0; more than one line
progress_ok() {
	python3 - "$1" "$2" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
recs = [json.loads(l) for l in lines]
assert len(recs) > 1, "only %d progress line(s)" % len(recs)
assert all(r["stage"] == sys.argv[2] for r in recs), [r["stage"] for r in recs]
done = [r["done"] for r in recs]
assert done == sorted(done), done
assert recs[-1]["total"] > 0 and recs[-1]["done"] == recs[-1]["total"], recs[-1]
assert all(r["total"] == recs[-1]["total"] for r in recs), "total changed"
PY
}

# 1. --verify-first
mkfs.ext4 -q -F -d tree fs.img 32M >/dev/null
"$LIFEBOAT" capture --progress=none --chunk-size 64K fs.img fs.lbi
cp fs.lbi flipped.lbi
flip flipped.lbi 0 >/dev/null
check_eq "exactly one byte of the copy was changed" 1 "$(cmp -l fs.lbi flipped.lbi | wc -l)"
fill_junk junk.img 32M
cp junk.img ref.img
cp junk.img target.img
"$LIFEBOAT" restore --yes fs.lbi ref.img
before=$(sha target.img)
expect_fail "--verify-first stops at the damaged chunk" 1 "chunk [0-9]+ \(image byte [0-9]+\) is damaged" \
	"$LIFEBOAT" restore --yes --verify-first flipped.lbi target.img
check_eq "--verify-first: target untouched" "$before" "$(sha target.img)"
expect_fail "--verify-first from a pipe is refused" 1 "^lifeboat: --verify-first needs an image file, not a pipe$" \
	sh -c 'cat "$1" | "$2" restore --yes --verify-first - "$3"' sh fs.lbi "$LIFEBOAT" target.img
check_eq "--verify-first from a pipe: target untouched" "$before" "$(sha target.img)"
cp target.img plain.img
"$LIFEBOAT" restore --yes flipped.lbi plain.img 2>/dev/null || true
check "without --verify-first the same image writes its good chunks (control)" test "$(sha plain.img)" != "$before"
check "--verify-first of the good image restores" "$LIFEBOAT" restore --yes --verify-first fs.lbi target.img
check "--verify-first restore equals the plain restore" cmp ref.img target.img

# 2. --progress=json (pipes slowed down so the 0.5 s throttle lets several lines out)
cp junk.img prog.img
trickle fs.lbi | "$LIFEBOAT" restore --yes --progress=json - prog.img 2>restore.err
check "restore --progress=json: JSON lines of stage restore, done rising to total" progress_ok restore.err restore
check "restore with --progress=json restores the same bytes" cmp ref.img prog.img
"$LIFEBOAT" info --json fs.lbi >fs.json
check_eq "restore progress total is the image's used bytes" "$(json fs.json 'd["used_bytes"]')" \
	"$(tail -n1 restore.err | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])')"
"$LIFEBOAT" capture --progress=json --chunk-size 64K fs.img - 2>capture.err | trickle - >prog.lbi
check "capture --progress=json: JSON lines of stage capture, done rising to total" progress_ok capture.err capture
cp junk.img prog.img
"$LIFEBOAT" restore --yes prog.lbi prog.img
check "the image captured with --progress=json restores the same bytes" cmp ref.img prog.img

# 3. --sector-by-sector over dirty free space
fill_junk sbs.img 32M
mkfs.ext4 -q -F -E nodiscard -d tree sbs.img >/dev/null
"$LIFEBOAT" capture --sector-by-sector sbs.img sbs.lbi
"$LIFEBOAT" info --json sbs.lbi >sbs.json
check_eq "--sector-by-sector: info marks it" True "$(json sbs.json 'd["partitions"][0]["sector_by_sector"]')"
check_eq "--sector-by-sector: used_bytes is the file size" "$(stat -c %s sbs.img)" "$(json sbs.json 'd["used_bytes"]')"
fill_junk sbs-r.img 32M
"$LIFEBOAT" restore --yes sbs.lbi sbs-r.img
check "--sector-by-sector restore equals the source, free space included" cmp sbs.img sbs-r.img

# 4. LUKS and BitLocker volumes are copied whole
truncate -s 32M luks.img
printf secret >key
cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file key luks.img
"$LIFEBOAT" capture luks.img luks.lbi
"$LIFEBOAT" info --json luks.lbi >luks.json
check_eq "LUKS: copied whole (used_bytes)" "$(stat -c %s luks.img)" "$(json luks.json 'd["used_bytes"]')"
check_eq "LUKS: marked sector by sector" True "$(json luks.json 'd["partitions"][0]["sector_by_sector"]')"
fill_junk luks-r.img 32M
"$LIFEBOAT" restore --yes luks.lbi luks-r.img
check "LUKS restore equals the source" cmp luks.img luks-r.img
check_eq "blkid sees LUKS on the restore" crypto_LUKS "$(blkid -p -s TYPE -o value luks-r.img)"
check "the key still opens the restored LUKS" cryptsetup open --test-passphrase --key-file key luks-r.img

fill_junk bl.img 16M
printf -- '-FVE-FS-' | dd of=bl.img bs=1 seek=3 conv=notrunc status=none
"$LIFEBOAT" disks --json bl.img >bl-disks.json
check_eq "lifeboat takes the volume for BitLocker" BitLocker "$(json bl-disks.json 'd["disks"][0]["fs"]["type"]')"
"$LIFEBOAT" capture bl.img bl.lbi
"$LIFEBOAT" info --json bl.lbi >bl.json
check_eq "BitLocker: copied whole (used_bytes)" "$(stat -c %s bl.img)" "$(json bl.json 'd["used_bytes"]')"
check_eq "BitLocker: info fs raw, sector by sector" "raw True" \
	"$(json bl.json 'd["partitions"][0]["fs"] + " " + str(d["partitions"][0]["sector_by_sector"])')"
fill_junk bl-r.img 16M
"$LIFEBOAT" restore --yes bl.lbi bl-r.img
check "BitLocker restore equals the source" cmp bl.img bl-r.img

# 5. a damaged chunk in partition 2 of a whole-disk image
fill_junk disk.img 64M
printf 'label: gpt\nstart=2048, size=40960\nstart=43008, size=81920\n' | sfdisk -q disk.img
mkfs.ext4 -q -F -E offset=$((2048 * 512)),nodiscard -d tree/licenses disk.img 20M >/dev/null
mkfs.ext4 -q -F -E offset=$((43008 * 512)),nodiscard -d tree disk.img 40M >/dev/null
p2=$(sfdisk --json disk.img | python3 -c 'import json, sys; t = json.load(sys.stdin)["partitiontable"]; print(t["partitions"][1]["start"] * t.get("sectorsize", 512))')
"$LIFEBOAT" capture --chunk-size 64K disk.img disk.lbi
cp disk.lbi dflip.lbi
flip dflip.lbi "$p2" >/dev/null
check_eq "exactly one byte of the disk image copy was changed" 1 "$(cmp -l disk.lbi dflip.lbi | wc -l)"
fill_junk dref.img 64M
cp dref.img dbad.img
"$LIFEBOAT" restore --yes disk.lbi dref.img
expect_fail "damaged chunk: one line naming partition 2's range" 1 \
	"is damaged: checksum mismatch; not restored: partition 2 bytes [0-9]+-41943039 and everything after it$" \
	"$LIFEBOAT" restore --yes dflip.lbi dbad.img
from=$(sed -n 's/.*not restored: partition 2 bytes \([0-9]*\)-.*/\1/p' "$SCRATCH/err")
check "the reported range starts inside partition 2 (${from:-none})" test "${from:-0}" -gt 0 -a "${from:-0}" -lt 41943040
check "every byte before partition 2 byte $from equals a good restore" cmp -n $((p2 + ${from:-0})) dref.img dbad.img
check "the restore did stop (the damaged target differs after it)" test "$(sha dref.img)" != "$(sha dbad.img)"
dd if=dbad.img of=dbad-p1.img bs=512 skip=2048 count=40960 status=none
check "partition 1 of the stopped restore passes e2fsck -fn" e2fsck -fn dbad-p1.img

# 6. the confirmation on a terminal (script gives a pty; the answer goes through it)
cp junk.img ask.img
before=$(sha ask.img)
rc=0
printf 'no\n' | script -qec "'$LIFEBOAT' restore fs.lbi ask.img" /dev/null >ask.out 2>&1 || rc=$?
check_eq "answered no: exit 1" 1 "$rc"
check "answered no: the prompt was shown" grep -q "Type 'yes' to continue" ask.out
check "answered no: cancelled, nothing written" grep -q "restore cancelled; nothing was written" ask.out
check_eq "answered no: target untouched" "$before" "$(sha ask.img)"
printf 'yes\n' | script -qec "'$LIFEBOAT' restore --progress=none fs.lbi ask.img" /dev/null >ask.out 2>&1 || true
check "answered yes through the same pty: restored (control)" cmp ref.img ask.img

finish
