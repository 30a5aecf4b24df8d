# lifeboat disks on MBR images judged by sfdisk --json and blkid -p:
# primary, extended and logical partitions with FAT16, ext2, ext3, exfat
# and swap content; a bare file system without a table; the usage errors.
. "$TESTLIB"
. "$SOURCE_DIR/tests/integration/helpers/disks.sh"
need sfdisk blkid python3 mkfs.vfat mkfs.ext4 mkfs.ext3 mkfs.ext2 mkswap mkfs.exfat

img=$SCRATCH/mbr.img
truncate -s 96M "$img"
sfdisk -q "$img" <<'TABLE'
label: dos
label-id: 0x5eed1e55
size=16M, type=e, bootable
size=16M, type=83
type=5
size=12M, type=83
size=12M, type=7
size=8M, type=82
TABLE
starts=($(sfdisk --json "$img" | python3 -c 'import json,sys; print(*[p["start"] for p in json.load(sys.stdin)["partitiontable"]["partitions"]])'))

truncate -s 16M "$SCRATCH/p1" && mkfs.vfat -F 16 -n BOOT "$SCRATCH/p1" >/dev/null
truncate -s 16M "$SCRATCH/p2" && mkfs.ext2 -q -L plain "$SCRATCH/p2"
truncate -s 12M "$SCRATCH/p5" && mkfs.ext3 -q -L journaled "$SCRATCH/p5"
truncate -s 12M "$SCRATCH/p6" && mkfs.exfat -L Stick "$SCRATCH/p6" >/dev/null
truncate -s 8M "$SCRATCH/p7" && mkswap -L swap7 "$SCRATCH/p7" >/dev/null 2>&1
put_fs "$img" "${starts[0]}" 512 "$SCRATCH/p1"
put_fs "$img" "${starts[1]}" 512 "$SCRATCH/p2"
put_fs "$img" "${starts[3]}" 512 "$SCRATCH/p5"
put_fs "$img" "${starts[4]}" 512 "$SCRATCH/p6"
put_fs "$img" "${starts[5]}" 512 "$SCRATCH/p7"
judge mbr "$img"
check_eq "logical partitions numbered from 5" "1 2 3 5 6 7" "$(json_field mbr "' '.join(str(p['number']) for p in d['partitions'])")"
check_eq "primary, extended and logical partitions" "1P 2P 3E 5L 6L 7L" \
	"$(json_field mbr "' '.join(str(p['number']) + ('E' if p['extended'] else 'L' if p['logical'] else 'P') for p in d['partitions'])")"
check_eq "MBR partuuid built from blkid's PTUUID" "$(blkid -p -o value -s PTUUID "$img")-06" \
	"$(json_field mbr "d['partitions'][4]['partuuid']")"
check_eq "type names" "W95 FAT16 (LBA)|Linux|Extended|HPFS/NTFS/exFAT|Linux swap / Solaris" \
	"$(json_field mbr "'|'.join(p['type_name'] for p in d['partitions'] if p['number'] != 5)")"
check "human output lists the logical partitions" grep -Eq "^$img:7 .*swap +swap7" <<<"$("$LIFEBOAT" disks "$img")"

# A bare file system: no table, the content of the whole image.
truncate -s 8M "$SCRATCH/bare.img" && mkfs.ext4 -q -L bare "$SCRATCH/bare.img"
"$LIFEBOAT" disks --json "$SCRATCH/bare.img" >"$SCRATCH/bare.lifeboat.json"
check_eq "bare file system: no table" none "$(json_field bare "d['table']")"
check_eq "bare file system: judged by blkid" "$(blkid -p -o value -s UUID "$SCRATCH/bare.img") ext4 bare" \
	"$(json_field bare "d['fs']['uuid'] + ' ' + d['fs']['type'] + ' ' + d['fs']['label']")"

# The command line contract.
check "help disks" grep -q '^Usage: lifeboat disks' <<<"$("$LIFEBOAT" help disks)"
expect_fail "unknown option is a usage error" 2 "unknown option '--frob'" "$LIFEBOAT" disks --frob "$img"
expect_fail "bad sector size is a usage error" 2 "--sector-size must be 512 or 4096" "$LIFEBOAT" disks --sector-size 1000 "$img"
expect_fail "missing image" 1 "^lifeboat: $SCRATCH/nosuch.img: No such file or directory$" "$LIFEBOAT" disks "$SCRATCH/nosuch.img"

finish
