# Content probes against blkid -p on what real tools write: LUKS1 and LUKS2
# (cryptsetup), FAT12 (mkfs.vfat), ISO 9660 with Joliet (xorriso), inside
# MBR partitions and as a bare image.
. "$TESTLIB"
. "$SOURCE_DIR/tests/integration/helpers/disks.sh"
need sfdisk blkid python3 cryptsetup xorriso mkfs.vfat

img=$SCRATCH/content.img
truncate -s 64M "$img"
sfdisk -q "$img" <<'TABLE'
label: dos
size=20M, type=83
size=20M, type=83
size=4M, type=1
size=8M, type=83
TABLE
starts=($(sfdisk --json "$img" | python3 -c 'import json,sys; print(*[p["start"] for p in json.load(sys.stdin)["partitiontable"]["partitions"]])'))

luks() { # FILE TYPE [LABEL]: a LUKS header with a cheap key derivation
	truncate -s 20M "$1"
	printf secret | cryptsetup luksFormat -q --type "$2" ${3:+--label "$3"} \
		--pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file - "$1"
}
luks "$SCRATCH/p1" luks2 vault
luks "$SCRATCH/p2" luks1
truncate -s 4M "$SCRATCH/p3" && mkfs.vfat -n SMALL "$SCRATCH/p3" >/dev/null
mkdir "$SCRATCH/tree" && echo rescue >"$SCRATCH/tree/README.TXT"
xorriso -as mkisofs -quiet -V "Lifeboat Media" -J -o "$SCRATCH/p4" "$SCRATCH/tree" 2>/dev/null
for i in 1 2 3 4; do put_fs "$img" "${starts[$((i - 1))]}" 512 "$SCRATCH/p$i"; done
judge content "$img"
check_eq "FAT12 told apart" FAT12 "$(json_field content "d['partitions'][2]['fs']['version']")"

"$LIFEBOAT" disks --json "$SCRATCH/p4" >"$SCRATCH/iso.lifeboat.json"
check_eq "bare ISO 9660 as blkid sees it" \
	"$(blkid -p -o value -s TYPE "$SCRATCH/p4")|$(blkid -p -o value -s LABEL "$SCRATCH/p4")|$(blkid -p -o value -s UUID "$SCRATCH/p4")" \
	"$(json_field iso "'|'.join((d['fs']['type'], d['fs']['label'], d['fs']['uuid']))")"

finish
