# lifeboat disks on block devices: a loop device with partitions (sector
# size and partition nodes from the kernel), a loop device with 4096-byte
# sectors, and the listing of /sys/block without arguments, which leaves
# out unused loop devices and zram.
. "$TESTLIB"
. "$SOURCE_DIR/tests/integration/helpers/disks.sh"
need sfdisk blkid losetup python3 mkfs.ext4

img=$SCRATCH/disk.img
truncate -s 48M "$img"
printf 'label: gpt\nsize=16M, type=linux, name=one\nsize=16M, type=swap, name=two\n' | sfdisk -q "$img"
start=$(sfdisk --json "$img" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["partitions"][0]["start"])')
truncate -s 16M "$SCRATCH/p1" && mkfs.ext4 -q -L onblock "$SCRATCH/p1"
put_fs "$img" "$start" 512 "$SCRATCH/p1"
loop=$(losetup -f --show "$img")
on_exit "losetup -d $loop"

judge block "$loop"
check_eq "kind" "block device" "$(json_field block "d['kind']")"
check_eq "partition nodes as the kernel names them" "${loop}p1 ${loop}p2" \
	"$(json_field block "' '.join(p['node'] for p in d['partitions'])")"

big=$SCRATCH/4k.img
truncate -s 32M "$big"
loop4k=$(losetup --sector-size 4096 -f --show "$big")
on_exit "losetup -d $loop4k"
printf 'label: dos\nsize=8M, type=83\n' | sfdisk -q --no-reread --no-tell-kernel "$loop4k"
judge block4k "$loop4k"
check_eq "sector size from the kernel" 4096 "$(json_field block4k "d['sector_size']")"

# No arguments: /sys/block. Other devices may be unreadable here (one
# warning line each, the listing goes on); ours must be listed, unused
# loops must not, and the listing succeeds since some disks were read.
check "listing succeeds when some disks are readable" \
	bash -c '"$1" disks --json >"$2/all.json" 2>"$2/all.err"' _ "$LIFEBOAT" "$SCRATCH"
listed=$(python3 -c 'import json,sys; print(*[d["path"] for d in json.load(open(sys.argv[1]))["disks"]])' "$SCRATCH/all.json")
check "our loop devices are listed" grep -qw -- "$loop" <<<"$listed"
check "no zram or RAM disk listed" bash -c '! grep -Eq "/dev/(zram|ram)[0-9]" <<<"$1"' _ "$listed"
unused=$(losetup -f)
check "an unused loop device is not listed" bash -c '! grep -qw -- "$1" <<<"$2"' _ "$unused" "$listed"
check "one warning line per unreadable device" bash -c '! grep -v "^lifeboat: warning: /dev/.*; skipped$" "$1"' _ "$SCRATCH/all.err"

finish
