# Fixtures for the builder tests (sourced, not a test).
#   windows_disk IMG TOTAL-MIB FREE(yes|no): a disk image laid out as
#     Windows installs itself on a GPT disk — ESP (FAT32 with a boot manager
#     file), MSR, an NTFS "C:" holding data — with or without unallocated
#     space after it.
#   partition_sums IMG: "START SHA-256" of every partition, read through
#     sfdisk's table, one line each.
#   signed_efi_dir DIR: Debian's signed shim, MokManager and GRUBs under
#     the names --efi-dir expects.
#   patch_bytes SRC DEST OLD NEW: DEST is SRC with the bytes OLD replaced by
#     NEW (same length, so a PE keeps its layout and signature table).

windows_disk() {
	local img=$1 total=$2 free=$3 c_size="size=300M"
	[ "$free" = no ] && c_size=""
	rm -f "$img"
	truncate -s "${total}M" "$img"
	sfdisk -q "$img" <<-TABLE
	label: gpt
	size=100M, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI system partition"
	size=16M, type=E3C9E316-0B5C-4DB8-817D-F92DF00215AE, name="Microsoft reserved partition"
	$c_size type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="Basic data partition"
	TABLE
	mkfs.vfat -F 32 -s 1 -n SYSTEM --offset 2048 --mbr=n "$img" 102400 >/dev/null 2>&1
	head -c 200000 /dev/urandom >"$img.bootmgfw"
	mmd -i "$img@@1M" ::/EFI ::/EFI/Microsoft ::/EFI/Microsoft/Boot
	mcopy -i "$img@@1M" "$img.bootmgfw" ::/EFI/Microsoft/Boot/bootmgfw.efi
	local start size
	read -r start size < <(sfdisk -d "$img" | awk -F'[=,]' '/img3 :/{gsub(/ /,""); print $2, $4}')
	truncate -s $((size * 512)) "$img.c"
	mkntfs -F -Q -q -L Windows -p "$start" -H 255 -S 63 "$img.c" >/dev/null 2>&1
	head -c 3000000 /dev/urandom >"$img.data"
	ntfscp -q "$img.c" "$img.data" /pagefile-like.bin
	echo "Lifeboat test volume" >"$img.txt"
	ntfscp -q "$img.c" "$img.txt" /readme.txt
	dd if="$img.c" of="$img" bs=512 seek="$start" conv=notrunc,sparse status=none
	rm -f "$img.c" "$img.data" "$img.txt" "$img.bootmgfw"
}

partition_sums() {
	sfdisk -d "$1" | awk -F'[=,]' '/ : start=/{gsub(/ /,""); print $2, $4}' | while read -r start size; do
		echo "$start $(dd if="$1" bs=512 skip="$start" count="$size" status=none | sha256sum | cut -c1-64)"
	done
}

signed_efi_dir() {
	mkdir -p "$1"
	cp /usr/lib/shim/shimx64.efi.signed "$1/shimx64.efi"
	cp /usr/lib/shim/mmx64.efi.signed "$1/mmx64.efi"
	cp /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed "$1/grubx64.efi"
	cp /usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed "$1/gcdx64.efi"
}

patch_bytes() {
	python3 - "$@" <<'PY'
import sys
src, dest, old, new = sys.argv[1:5]
data = open(src, "rb").read()
assert len(old) == len(new) and old.encode() in data
open(dest, "wb").write(data.replace(old.encode(), new.encode()))
PY
}
