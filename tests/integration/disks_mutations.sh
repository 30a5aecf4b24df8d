# Damaged images never crash lifeboat disks: copies of real GPT and MBR
# images (with FAT, NTFS, exFAT and ext4 inside) get random bytes in their
# tables and headers, or are cut short; each run must end in a listing or
# one error line (under ASan/UBSan in the test build).
. "$TESTLIB"
. "$SOURCE_DIR/tests/integration/helpers/disks.sh"
need sfdisk python3 mkfs.vfat mkfs.ext4 mkfs.exfat mkntfs

gpt=$SCRATCH/gpt.img
truncate -s 12M "$gpt"
printf 'label: gpt\nsize=4M\nsize=4M\nsize=2M\n' | sfdisk -q "$gpt"
truncate -s 4M "$SCRATCH/ntfs" && mkntfs -F -Q -L N "$SCRATCH/ntfs" >/dev/null 2>&1
truncate -s 4M "$SCRATCH/ext4" && mkfs.ext4 -q -L E "$SCRATCH/ext4"
truncate -s 2M "$SCRATCH/fat" && mkfs.vfat -n F "$SCRATCH/fat" >/dev/null
put_fs "$gpt" 2048 512 "$SCRATCH/ntfs"
put_fs "$gpt" 10240 512 "$SCRATCH/ext4"
put_fs "$gpt" 18432 512 "$SCRATCH/fat"

mbr=$SCRATCH/mbr.img
truncate -s 12M "$mbr"
printf 'label: dos\nsize=3M, type=7\ntype=5\nsize=2M, type=7\nsize=1M, type=c\n' | sfdisk -q "$mbr"
starts=($(sfdisk --json "$mbr" | python3 -c 'import json,sys; print(*[p["start"] for p in json.load(sys.stdin)["partitiontable"]["partitions"]])'))
truncate -s 3M "$SCRATCH/exfat" && mkfs.exfat -L X "$SCRATCH/exfat" >/dev/null
truncate -s 2M "$SCRATCH/ntfs2" && mkntfs -F -Q -L M "$SCRATCH/ntfs2" >/dev/null 2>&1
truncate -s 1M "$SCRATCH/fat12" && mkfs.vfat -n T "$SCRATCH/fat12" >/dev/null
put_fs "$mbr" "${starts[0]}" 512 "$SCRATCH/exfat"
put_fs "$mbr" "${starts[2]}" 512 "$SCRATCH/ntfs2"
put_fs "$mbr" "${starts[3]}" 512 "$SCRATCH/fat12"

check "damaged copies are refused or listed, never a crash" \
	python3 "$SOURCE_DIR/tests/integration/helpers/mutate.py" "$LIFEBOAT" "$SCRATCH" 160 20261122 "$gpt" "$mbr"

finish
