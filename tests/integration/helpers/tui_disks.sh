# Disk image files for the TUI wizard tests: a GPT disk with an ESP and an
# ext4 partition holding files, and judges that use only sfdisk, e2fsck and
# debugfs. Sourced after $TESTLIB, inside $SCRATCH.

# make_disk FILE SIZE TREE: GPT, 16 MiB ESP (vfat "ESP") then ext4 "data"
# built from the folder TREE over the rest.
make_disk() {
	local file=$1 size=$2 tree=$3
	truncate -s "$size" "$file"
	printf 'label: gpt\n,16M,U\n,,L\n' | sfdisk -q "$file"
	mkfs.vfat -n ESP -C "$file.esp" 16384 >/dev/null
	dd if="$file.esp" of="$file" bs=1M seek=1 conv=notrunc status=none
	rm -f "$file.esp"
	local start sectors
	read -r start sectors < <(part_range "$file" 2)
	truncate -s $((sectors * 512)) "$file.p2"
	mkfs.ext4 -q -F -L data -d "$tree" "$file.p2"
	dd if="$file.p2" of="$file" bs=512 seek="$start" conv=notrunc status=none
	rm -f "$file.p2"
}

# part_range FILE N: start and size (sectors) of partition N, from sfdisk.
part_range() {
	sfdisk -d "$1" | awk -v n="$1$2" -F'[=,]' '$1 ~ "^"n" *:" { gsub(/ /, ""); print $2, $4 }'
}

quiet() { "$@" >/dev/null 2>&1; }

# table FILE: the sfdisk dump without the file's name.
table() { sfdisk -d "$1" | grep -v '^device:' | sed "s#^$1##"; }

# judge_restore WHAT SOURCE TARGET TREE: the target's partition table equals
# the source's, its ext4 passes e2fsck -fn, and every file of TREE reads back equal.
judge_restore() {
	local what=$1 src=$2 dst=$3 tree=$4 start sectors f
	check_eq "$what: partition table equals the source (sfdisk)" "$(table "$src")" "$(table "$dst")"
	read -r start sectors < <(part_range "$dst" 2)
	dd if="$dst" of="$dst.p2" bs=512 skip="$start" count="$sectors" status=none
	check "$what: ext4 passes e2fsck -fn" quiet e2fsck -fn "$dst.p2"
	for f in $(cd "$tree" && find . -type f | sed 's#^\./##'); do
		debugfs -R "dump /$f $dst.out" "$dst.p2" 2>/dev/null
		check "$what: $f reads back equal (debugfs)" cmp -s "$tree/$f" "$dst.out"
	done
	rm -f "$dst.p2" "$dst.out"
}
