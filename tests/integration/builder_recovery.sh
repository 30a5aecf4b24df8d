# lifeboat-build recovery and verify on a Windows-like GPT disk image (ESP,
# MSR, NTFS C: with data, free space after it), judged by sfdisk, sgdisk,
# fsck.vfat, mtools, sbverify and cmp: every existing partition keeps its
# SHA-256, the new one is a FAT32 Windows RE partition with
# RequiredPartition + no drive letter holding Debian's signed chain;
# --update keeps images/; --remove gives back the original table (and, in an
# image, every original byte); an MBR disk gets type 0x27. Refusals write
# nothing: no free space, read-only image and device, missing or unsigned
# signed binaries. On a loop device with a mounted partition and a stand-in
# efibootmgr: the boot entry is created outside BootOrder, --reboot-into
# sets BootNext, --remove deletes the entry.
. "$TESTLIB"
. "$SOURCE_DIR/tests/builder_fixtures.sh"
need sfdisk sgdisk mkntfs ntfscp mcopy mdir mtype fsck.vfat sbverify sbattach losetup partx python3
BUILD="$BUILD_DIR/builder/lifeboat-build"
"$BUILD" initramfs -o "$SCRATCH/initrd" 2>/dev/null
rec() { "$BUILD" recovery --initrd "$SCRATCH/initrd" "$@"; }
sums3() { partition_sums "$1" | head -n 3; }

windows_disk "$SCRATCH/orig.img" 800 yes
cp --sparse=always "$SCRATCH/orig.img" "$SCRATCH/disk.img"
before=$(sums3 "$SCRATCH/orig.img")
check_eq "fixture has three partitions" 3 "$(wc -l <<<"$before")"

check "recovery partition added" sh -c "'$BUILD' recovery --initrd '$SCRATCH/initrd' --disk '$SCRATCH/disk.img' --size 256M >'$SCRATCH/add.out'"
check "says there is no boot entry for an image file" grep -q 'boot entry: none (.*an image file)' "$SCRATCH/add.out"
check_eq "ESP, MSR and C: byte-identical (SHA-256)" "$before" "$(sums3 "$SCRATCH/disk.img")"
info=$(sgdisk -i 4 "$SCRATCH/disk.img")
check "sgdisk: type Windows RE" grep -q 'Partition GUID code: DE94BBA4-06D1-4D40-A16A-BFD50179D6AC (Windows RE)' <<<"$info"
check "sgdisk: attributes RequiredPartition + no drive letter" grep -q 'Attribute flags: 8000000000000001' <<<"$info"
check "sgdisk: name Lifeboat" grep -q "Partition name: 'Lifeboat'" <<<"$info"
check "sgdisk: 256 MiB" grep -q 'Partition size: 524288 sectors' <<<"$info"
check "sgdisk -v finds no problems" grep -q 'No problems found' <<<"$(sgdisk -v "$SCRATCH/disk.img")"
dump=$(sfdisk -d "$SCRATCH/disk.img")
check "sfdisk: attrs RequiredPartition GUID:63" grep -q 'disk.img4 : .*type=DE94BBA4-06D1-4D40-A16A-BFD50179D6AC.*attrs="RequiredPartition GUID:63"' <<<"$dump"
start=$(sfdisk -d "$SCRATCH/disk.img" | awk -F'[=,]' '/img4 :/{gsub(/ /,""); print $2}')
check_eq "placed at the end of the free space, MiB-aligned" $(((1638366 + 1) / 2048 * 2048 - 524288)) "$start"
fat="$SCRATCH/disk.img@@$((start * 512))"
dd if="$SCRATCH/disk.img" of="$SCRATCH/p4" bs=1M skip=$((start / 2048)) count=256 status=none
check "fsck.vfat finds the file system clean" sh -c "fsck.vfat -n '$SCRATCH/p4' >/dev/null"
check "FAT32 labelled LIFEBOAT" grep -q 'FAT (32 bit).*LIFEBOAT' <<<"$(file -s "$SCRATCH/p4")"
listing=$(mdir -i "$fat" -/ -b -a ::/ 2>/dev/null)
for f in EFI/lifeboat/shimx64.efi EFI/lifeboat/grubx64.efi EFI/lifeboat/mmx64.efi EFI/debian/grub.cfg \
	boot/grub/grub.cfg live/vmlinuz live/initrd lifeboat.cfg lifeboat/table.bak; do
	check "partition holds /$f" grep -qi "::/$f\$" <<<"$listing"
done
check "room for images: images/" grep -q '::/images/$' <<<"$listing"
check "logs/ for the rescue system" grep -q '::/logs/$' <<<"$listing"
mcopy -i "$fat" ::/EFI/lifeboat/shimx64.efi "$SCRATCH/shim.efi"
mcopy -i "$fat" ::/EFI/lifeboat/grubx64.efi "$SCRATCH/grub.efi"
check "shim is Debian's signed shim" cmp -s "$SCRATCH/shim.efi" /usr/lib/shim/shimx64.efi.signed
check "GRUB is Debian's signed disk GRUB" cmp -s "$SCRATCH/grub.efi" /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed
check "sbverify: GRUB signed by Debian" grep -q 'Debian Secure Boot Signer 2022 - grub2' <<<"$(sbverify --list "$SCRATCH/grub.efi")"
check "only the ESP has a Windows boot manager" grep -q bootmgfw <<<"$(mdir -i "$SCRATCH/disk.img@@1M" -/ -b ::/)"
expect_fail "second add refused" 1 "already has a Lifeboat partition \(4\); use --update or --remove" \
	rec --disk "$SCRATCH/disk.img" --size 64M

out=$("$BUILD" verify "$SCRATCH/disk.img" 2>&1) && rc=0 || rc=$?
check_eq "verify (recovery disk) exits 0" 0 "$rc"
check "verify: firmware starts \\EFI\\lifeboat\\shimx64.efi, signed by Microsoft" \
	grep -q 'shim /EFI/lifeboat/shimx64.efi' <<<"$out"
check "verify: shim's Microsoft signature" grep -q 'Microsoft Windows UEFI Driver Publisher' <<<"$out"
check "verify: GRUB's signer" grep -q 'Debian Secure Boot Signer 2022 - grub2' <<<"$out"
check "verify: GRUB's SBAT line" grep -q 'SBAT: grub,5,' <<<"$out"
check "verify: kernel's signer" grep -q 'Debian Secure Boot Signer 2022 - linux' <<<"$out"
check "verify: GRUB reads its config and boots kernel and initrd" grep -q 'boots /live/vmlinuz with /live/initrd' <<<"$out"

echo "marker image" >"$SCRATCH/marker"
mcopy -i "$fat" "$SCRATCH/marker" ::/images/keep.lbi
check "--update" rec --disk "$SCRATCH/disk.img" --update --append lifeboat.updated >/dev/null
check "update rewrote the menu" grep -q 'lifeboat.updated' <<<"$(mtype -i "$fat" ::/boot/grub/grub.cfg)"
check "update kept images/" grep -q 'marker image' <<<"$(mtype -i "$fat" ::/images/keep.lbi)"
check_eq "ESP, MSR and C: still identical after --update" "$before" "$(sums3 "$SCRATCH/disk.img")"

check "--remove" rec --disk "$SCRATCH/disk.img" --remove >/dev/null
check_eq "sfdisk --dump equals the original" "$(sfdisk -d "$SCRATCH/orig.img")" \
	"$(sfdisk -d "$SCRATCH/disk.img" | sed 's/disk\.img/orig.img/')"
check "first MiB equal" cmp -s -n $((1 << 20)) "$SCRATCH/orig.img" "$SCRATCH/disk.img"
size=$(stat -c %s "$SCRATCH/orig.img")
check "last MiB equal" cmp -s -i $((size - (1 << 20))) "$SCRATCH/orig.img" "$SCRATCH/disk.img"
check "the whole image equals the original" cmp -s "$SCRATCH/orig.img" "$SCRATCH/disk.img"
expect_fail "--remove without a Lifeboat partition" 1 "has no Lifeboat recovery partition" \
	rec --disk "$SCRATCH/disk.img" --remove
expect_fail "--reboot-into on an image file" 1 "--reboot-into works on the disk of the running machine" \
	rec --disk "$SCRATCH/disk.img" --reboot-into

# Refusals: each leaves the disk's bytes as they were.
refused() {
	local what=$1 msg=$2 img=$3; shift 3
	local sum; sum=$(sha256sum <"$img")
	expect_fail "$what" 1 "$msg" "$@"
	check_eq "$what: nothing written" "$sum" "$(sha256sum <"$img")"
}
windows_disk "$SCRATCH/full.img" 600 no
mkdir -p "$SCRATCH/empty"
refused "no free space" "no unallocated space of 256 MiB .*Shrink Volume" "$SCRATCH/full.img" \
	rec --disk "$SCRATCH/full.img" --size 256M
refused "missing signed package" "signed boot file .*/empty/shimx64.efi is missing \(Debian package shim-signed\)" \
	"$SCRATCH/orig.img" rec --disk "$SCRATCH/orig.img" --efi-dir "$SCRATCH/empty"
signed_efi_dir "$SCRATCH/efi"
sbattach --remove "$SCRATCH/efi/grubx64.efi" 2>/dev/null
refused "unsigned GRUB in --efi-dir fails the build" "grubx64.efi is not signed" \
	"$SCRATCH/orig.img" rec --disk "$SCRATCH/orig.img" --efi-dir "$SCRATCH/efi"
# A signed GRUB whose .sbat says grub,3 (bytes changed in place, so the
# signature table stays): below the minimum table and shim's SbatLevel.
signed_efi_dir "$SCRATCH/old"
patch_bytes "$SCRATCH/old/grubx64.efi" "$SCRATCH/old/grubx64.efi" "grub,5,Free" "grub,3,Free"
refused "GRUB below the SBAT level fails the build" "grubx64.efi: SBAT generation grub,3 is revoked \(current level grub,5\)" \
	"$SCRATCH/orig.img" rec --disk "$SCRATCH/orig.img" --efi-dir "$SCRATCH/old"
# A signed GRUB with one changed byte outside .sbat: still "signed", but
# its hash no longer matches the signature (sbverify --cert against the
# Debian CA in shim's .vendor_cert).
signed_efi_dir "$SCRATCH/tampered"
patch_bytes "$SCRATCH/tampered/grubx64.efi" "$SCRATCH/tampered/grubx64.efi" "Welcome to GRUB" "Welcome to GRUX"
refused "tampered GRUB fails the build" "grubx64.efi: its signature does not verify against Debian Secure Boot CA \(shim's vendor certificate\) \(sbverify failed: Image fails hash check\)" \
	"$SCRATCH/orig.img" rec --disk "$SCRATCH/orig.img" --efi-dir "$SCRATCH/tampered"
if chattr +i "$SCRATCH/orig.img" 2>/dev/null; then
	on_exit "chattr -i '$SCRATCH/orig.img'"
	refused "immutable image (chattr +i)" "orig.img is read-only \(Operation not permitted\): nothing written" \
		"$SCRATCH/orig.img" rec --disk "$SCRATCH/orig.img"
	chattr -i "$SCRATCH/orig.img"
fi
roloop=$(losetup -r -f --show "$SCRATCH/orig.img")
on_exit "losetup -d $roloop"
refused "read-only loop device" "$roloop is a read-only device: nothing written" "$SCRATCH/orig.img" \
	rec --disk "$roloop" --yes

# An MBR disk: type 0x27 in a free primary slot, removed again.
truncate -s 300M "$SCRATCH/mbr.img"
printf 'label: dos\nsize=150M, type=7, bootable\n' | sfdisk -q "$SCRATCH/mbr.img"
cp --sparse=always "$SCRATCH/mbr.img" "$SCRATCH/mbr-orig.img"
check "MBR disk: partition added" sh -c "'$BUILD' recovery --initrd '$SCRATCH/initrd' --disk '$SCRATCH/mbr.img' --size 100M >/dev/null"
check "MBR disk: type 27" grep -q 'mbr.img2 : .*type=27$' <<<"$(sfdisk -d "$SCRATCH/mbr.img")"
check "MBR disk: verify" sh -c "'$BUILD' verify '$SCRATCH/mbr.img' >/dev/null"
check "MBR disk: removed" rec --disk "$SCRATCH/mbr.img" --remove >/dev/null
check "MBR disk: image as it was" cmp -s "$SCRATCH/mbr-orig.img" "$SCRATCH/mbr.img"

# A live machine: a loop device with a mounted partition, UEFI variables
# (LIFEBOAT_SYSROOT) and a stand-in efibootmgr.
cp --sparse=always "$SCRATCH/orig.img" "$SCRATCH/live.img"
loop=$(losetup -f --show -P "$SCRATCH/live.img")
on_exit "losetup -d $loop"
partx -u "$loop" 2>/dev/null || true
mkfs.ext4 -q -F "${loop}p2"
mkdir -p "$SCRATCH/mnt" "$SCRATCH/root/sys/firmware/efi/efivars" "$SCRATCH/bin"
mount -o ro "${loop}p2" "$SCRATCH/mnt"
on_exit "umount '$SCRATCH/mnt'"
ln -s "$SOURCE_DIR/tests/integration/helpers/fake_efibootmgr.sh" "$SCRATCH/bin/efibootmgr"
export FAKE_EFI_STATE="$SCRATCH/efivars" LIFEBOAT_SYSROOT="$SCRATCH/root"
live_before=$(sums3 "$loop")
check "live disk with a mounted partition: added" sh -c "PATH='$SCRATCH/bin:$PATH' '$BUILD' recovery --initrd '$SCRATCH/initrd' --disk $loop --size 128M --yes >'$SCRATCH/live.out'"
check "boot entry reported" grep -q 'boot entry: Boot0005 "Lifeboat" -> \\EFI\\lifeboat\\shimx64.efi (BootOrder unchanged' "$SCRATCH/live.out"
check "efibootmgr -C (outside BootOrder) on partition 4" grep -qx -- "-q -C -d $loop -p 4 -L Lifeboat -l \\\\EFI\\\\lifeboat\\\\shimx64.efi" "$FAKE_EFI_STATE.calls"
check "BootOrder unchanged" grep -qx 'BootOrder: 0000,0001' "$FAKE_EFI_STATE"
check "the kernel sees partition 4" test -b "${loop}p4"
check_eq "live disk: ESP, MSR and C: identical" "$live_before" "$(sums3 "$loop")"
check "--reboot-into" sh -c "PATH='$SCRATCH/bin:$PATH' '$BUILD' recovery --disk $loop --reboot-into >/dev/null"
check "BootNext set to the entry" grep -qx 'BootNext: 0005' "$FAKE_EFI_STATE"
check "live --remove" sh -c "PATH='$SCRATCH/bin:$PATH' '$BUILD' recovery --disk $loop --remove --yes >/dev/null"
check "boot entry deleted" test -z "$(grep '^Boot0005' "$FAKE_EFI_STATE")"
table() { sfdisk -d "$1" | sed -e '/^device:/d' -e 's/^[^ ]* :/P :/'; }
check_eq "live disk: sfdisk --dump as before" "$(table "$SCRATCH/orig.img")" "$(table "$loop")"
check "the kernel dropped partition 4" test ! -e "${loop}p4"
finish
