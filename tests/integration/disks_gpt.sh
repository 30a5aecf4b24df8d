# lifeboat disks on GPT images judged by sfdisk --json and blkid -p: real
# file systems (vfat, ext4, swap, exfat, ntfs), an NTFS partition holding
# a Windows SYSTEM hive in odd letter case, a destroyed primary GPT, a
# hybrid MBR, and a 4Kn image.
. "$TESTLIB"
. "$SOURCE_DIR/tests/integration/helpers/disks.sh"
need sfdisk sgdisk blkid python3 mkfs.vfat mkfs.ext4 mkswap mkfs.exfat mkntfs ntfs-3g

img=$SCRATCH/gpt.img
truncate -s 160M "$img"
sfdisk -q "$img" <<'TABLE'
label: gpt
start=2048, size=20M, type=uefi, name="EFI system"
size=30M, type=linux, name=root
size=8M, type=swap
size=20M, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name=Windows, attrs="RequiredPartition GUID:63"
size=20M, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name=data
size=20M, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name=exchange
TABLE
starts=($(sfdisk --json "$img" | python3 -c 'import json,sys; print(*[p["start"] for p in json.load(sys.stdin)["partitiontable"]["partitions"]])'))

truncate -s 20M "$SCRATCH/p1" && mkfs.vfat -F 32 -n EFI "$SCRATCH/p1" >/dev/null 2>&1
truncate -s 30M "$SCRATCH/p2" && mkfs.ext4 -q -L rootfs "$SCRATCH/p2"
truncate -s 8M "$SCRATCH/p3" && mkswap -L swap0 "$SCRATCH/p3" >/dev/null 2>&1
truncate -s 20M "$SCRATCH/p4" && mkntfs -F -Q -L Windows "$SCRATCH/p4" >/dev/null 2>&1
truncate -s 20M "$SCRATCH/p5" && mkntfs -F -Q -L Data "$SCRATCH/p5" >/dev/null 2>&1
truncate -s 20M "$SCRATCH/p6" && mkfs.exfat -L Exchange "$SCRATCH/p6" >/dev/null

# A Windows installation's SYSTEM hive, written by ntfs-3g (the judge's
# driver), in a letter case Windows would also accept.
mkdir "$SCRATCH/mnt"
ntfs-3g "$SCRATCH/p4" "$SCRATCH/mnt"
on_exit "umount '$SCRATCH/mnt' 2>/dev/null"
mkdir -p "$SCRATCH/mnt/WINDOWS/system32/Config"
echo regf >"$SCRATCH/mnt/WINDOWS/system32/Config/system"
umount "$SCRATCH/mnt"
# The data partition has the folders but no hive: not a Windows installation.
ntfs-3g "$SCRATCH/p5" "$SCRATCH/mnt"
mkdir -p "$SCRATCH/mnt/Windows/System32/config/SYSTEM"
umount "$SCRATCH/mnt"

for i in 1 2 3 4 5 6; do put_fs "$img" "${starts[$((i - 1))]}" 512 "$SCRATCH/p$i"; done
judge gpt "$img"
check_eq "NTFS with WINDOWS/system32/Config/system is a Windows installation" True \
	"$(json_field gpt "d['partitions'][3]['fs']['windows_present']")"
check_eq "NTFS with a SYSTEM folder is not" False "$(json_field gpt "d['partitions'][4]['fs']['windows_present']")"
check_eq "FAT32 version" FAT32 "$(json_field gpt "d['partitions'][0]['fs']['version']")"
check_eq "type names" "EFI System|Linux filesystem|Linux swap|Microsoft basic data" \
	"$(json_field gpt "'|'.join(p['type_name'] for p in d['partitions'][:4])")"
check_eq "no warnings for a sound image" 0 "$(json_field gpt "len(d['warnings'])")"
check "human table names the Windows partition" grep -Eq "^$img:4 .* ntfs +Windows .*Windows$" \
	<<<"$("$LIFEBOAT" disks "$img")"
"$LIFEBOAT" disks --json "$img:4" >"$SCRATCH/part4.lifeboat.json"
check_eq "IMAGE:N opens one partition" "none ntfs Windows True" \
	"$(json_field part4 "' '.join(str(x) for x in (d['table'], d['fs']['type'], d['fs']['label'], d['fs']['windows_present']))")"

# The static rescue app reads the same image where there is no /lib.
mkdir "$SCRATCH/root"
cp "$LIFEBOAT_STATIC" "$SCRATCH/root/lifeboat"
ln "$img" "$SCRATCH/root/gpt.img"
chroot "$SCRATCH/root" /lifeboat disks --json /gpt.img:4 >"$SCRATCH/chroot.lifeboat.json"
check_eq "static app in an empty chroot finds the Windows partition" True \
	"$(json_field chroot "d['fs']['windows_present']")"

# Destroyed primary GPT (header and entries): the backup gives the same table.
cp --sparse=always "$img" "$SCRATCH/damaged.img"
dd if=/dev/zero of="$SCRATCH/damaged.img" bs=512 seek=1 count=33 conv=notrunc status=none
judge damaged "$SCRATCH/damaged.img"
check "destroyed primary GPT is reported" grep -q 'primary GPT header damaged, using the backup' "$SCRATCH/damaged.err"
check_eq "backup flagged in JSON" True "$(json_field damaged "d['gpt_backup_used']")"
check_eq "same partitions as before the damage" \
	"$(json_field gpt "[(p['start'], p['end'], p['partuuid']) for p in d['partitions']]")" \
	"$(json_field damaged "[(p['start'], p['end'], p['partuuid']) for p in d['partitions']]")"

# Hybrid MBR: sgdisk mirrors partition 4 into the MBR beside the 0xEE entry.
cp --sparse=always "$img" "$SCRATCH/hybrid.img"
sgdisk -h 4 "$SCRATCH/hybrid.img" >/dev/null
judge hybrid "$SCRATCH/hybrid.img"
check_eq "hybrid MBR flagged" True "$(json_field hybrid "d['hybrid_mbr']")"

# 4Kn: 4096-byte logical sectors, told by where the GPT header sits. The
# table is written through a loop device with 4096-byte sectors.
k4=$SCRATCH/4kn.img
truncate -s 64M "$k4"
loop=$(losetup --sector-size 4096 -f --show "$k4")
on_exit "losetup -d $loop"
sfdisk -q --no-reread --no-tell-kernel "$loop" <<'TABLE'
label: gpt
start=256, size=24M, type=linux, name=four-k
size=24M, type=swap
TABLE
truncate -s 24M "$SCRATCH/k1" && mkfs.ext4 -q -b 4096 -L fourk "$SCRATCH/k1"
truncate -s 24M "$SCRATCH/k2" && mkswap -p 4096 -L kswap "$SCRATCH/k2" >/dev/null 2>&1
put_fs "$k4" 256 4096 "$SCRATCH/k1"
put_fs "$k4" "$(sfdisk --json "$loop" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["partitions"][1]["start"])')" 4096 "$SCRATCH/k2"
judge 4kn "$k4" "$loop"
check_eq "4Kn sector size" 4096 "$(json_field 4kn "d['sector_size']")"

finish
