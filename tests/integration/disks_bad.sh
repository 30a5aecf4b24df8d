# Broken disk images: each gets one line "lifeboat: IMAGE: what is wrong",
# exit status 1, no made-up table, and the image stays byte-for-byte as it
# was.
. "$TESTLIB"
need sfdisk sgdisk python3 sha256sum

# patch IMAGE OFFSET HEX-BYTES: overwrites bytes in place.
patch_bytes() {
	python3 -c 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2])); f.write(bytes.fromhex(sys.argv[3]))' "$@"
}

# mbr_entry SLOT TYPE START SECTORS: the 16 bytes of an MBR/EBR slot, in hex.
mbr_entry() {
	python3 -c 'import struct,sys
print(struct.pack("<B3sB3sII", 0, b"\0\0\0", int(sys.argv[1], 16), b"\0\0\0", int(sys.argv[2]), int(sys.argv[3])).hex())' "$@"
}

# bad NAME IMAGE MESSAGE-REGEX: lifeboat disks must refuse IMAGE and leave it alone.
bad() {
	local name=$1 image=$2 message=$3 before
	before=$(sha256sum <"$image")
	expect_fail "$name" 1 "^lifeboat: $image: $message" "$LIFEBOAT" disks --json "$image"
	check "$name: nothing printed on stdout but an empty list" \
		python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["disks"] == []' "$SCRATCH/out"
	check_eq "$name: image unchanged" "$before" "$(sha256sum <"$image")"
}

truncate -s 32M "$SCRATCH/gpt.img"
sgdisk -o -n 1:2048:+8M -n 2:0:+8M "$SCRATCH/gpt.img" >/dev/null
truncate -s 32M "$SCRATCH/mbr.img"
printf 'label: dos\nsize=8M, type=83\ntype=5\nsize=4M, type=83\nsize=4M, type=83\n' | sfdisk -q "$SCRATCH/mbr.img"

head -c 300 "$SCRATCH/gpt.img" >"$SCRATCH/tiny.img"
bad "file shorter than a sector" "$SCRATCH/tiny.img" \
	'too small to hold a partition table \(300 bytes\): the image is truncated$'

head -c 1536 "$SCRATCH/gpt.img" >"$SCRATCH/cut.img"
bad "GPT cut after its header" "$SCRATCH/cut.img" \
	'the GPT partition entries \(sectors 2-33\) lie past the end of the disk \(3 sectors\): the image is truncated$'

cp "$SCRATCH/gpt.img" "$SCRATCH/small-gpt.img" && truncate -s 12M "$SCRATCH/small-gpt.img"
bad "GPT disk smaller than its table" "$SCRATCH/small-gpt.img" \
	'the disk is smaller than its partition table claims \(the GPT spans 65536 sectors, the disk has 24576\)$'

cp "$SCRATCH/mbr.img" "$SCRATCH/small-mbr.img" && truncate -s 4M "$SCRATCH/small-mbr.img"
bad "MBR disk smaller than its table" "$SCRATCH/small-mbr.img" \
	'partition 1 \(sectors 2048-18431\) ends beyond the end of the disk \(8192 sectors\): the disk is smaller than its partition table claims$'

cp "$SCRATCH/mbr.img" "$SCRATCH/overlap.img"
patch_bytes "$SCRATCH/overlap.img" $((446 + 48)) "$(mbr_entry 83 10000 4096)"
bad "overlapping partitions" "$SCRATCH/overlap.img" \
	'partitions 1 and 4 overlap \(sectors 2048-18431 and 10000-14095\)$'

cp "$SCRATCH/gpt.img" "$SCRATCH/crc.img"
patch_bytes "$SCRATCH/crc.img" $((512 + 56)) ff            # primary header: disk GUID byte
patch_bytes "$SCRATCH/crc.img" $((32 * 1048576 - 512 + 56)) ff   # backup header
bad "GPT with bad CRCs in both copies" "$SCRATCH/crc.img" \
	'both GPT copies are damaged \(primary: header CRC mismatch; backup: header CRC mismatch\)$'

# The second EBR's link points back at the first: a loop.
cp "$SCRATCH/mbr.img" "$SCRATCH/loop.img"
ext_start=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(512); print(struct.unpack_from("<I", d, 446+16+8)[0])' "$SCRATCH/loop.img")
second_ebr=$(python3 -c 'import struct,sys
f=open(sys.argv[1],"rb"); f.seek(int(sys.argv[2])*512); d=f.read(512)
print(int(sys.argv[2]) + struct.unpack_from("<I", d, 446+16+8)[0])' "$SCRATCH/loop.img" "$ext_start")
patch_bytes "$SCRATCH/loop.img" $((second_ebr * 512 + 446 + 16)) "$(mbr_entry 5 0 4096)"
bad "loop in the extended partition chain" "$SCRATCH/loop.img" \
	"loop in the extended partition chain \\(the EBR at sector $ext_start is linked twice\\)$"

# A bad image among good ones: the good ones are listed, the exit says 1.
rc=0
"$LIFEBOAT" disks --json "$SCRATCH/mbr.img" "$SCRATCH/loop.img" "$SCRATCH/gpt.img" >"$SCRATCH/mixed.json" 2>"$SCRATCH/mixed.err" || rc=$?
check_eq "mixed good and bad images exit 1" 1 "$rc"
check_eq "the good images are still listed" "dos gpt" \
	"$(python3 -c 'import json,sys; print(*[d["table"] for d in json.load(open(sys.argv[1]))["disks"]])' "$SCRATCH/mixed.json")"
check_eq "one error line for the bad one" 1 "$(wc -l <"$SCRATCH/mixed.err")"

finish
