# lifeboat-build usb: the stick image's table (sfdisk), file system
# (fsck.vfat) and files (mtools), the signed UEFI chain and syslinux MBR
# code on it, the same bytes for the same SOURCE_DATE_EPOCH; writing to a
# block device (a loop device standing in for a stick) asks first and
# refuses a disk with a mounted file system; bad targets write nothing.
. "$TESTLIB"
need sfdisk fsck.vfat mdir mcopy mtype losetup sbverify
BUILD="$BUILD_DIR/builder/lifeboat-build"
export SOURCE_DATE_EPOCH=1700000000
"$BUILD" initramfs -o "$SCRATCH/initrd" 2>/dev/null
usb() { "$BUILD" usb --initrd "$SCRATCH/initrd" "$@" 2>/dev/null; }

check "stick image builds" usb --size 128M -o "$SCRATCH/a.img"
check "second build" usb --size 128M -o "$SCRATCH/b.img"
check_eq "same SOURCE_DATE_EPOCH, same SHA-256" "$(sha256sum <"$SCRATCH/a.img")" "$(sha256sum <"$SCRATCH/b.img")"
check_eq "image has the asked size" $((128 << 20)) "$(stat -c %s "$SCRATCH/a.img")"
check "one bootable FAT32 (LBA) partition at 1 MiB" \
	grep -Eq 'a.img1 : start= +2048, size= +260096, type=c, bootable' <<<"$(sfdisk -d "$SCRATCH/a.img")"
dd if="$SCRATCH/a.img" of="$SCRATCH/part" bs=1M skip=1 status=none
check "fsck.vfat finds the file system clean" sh -c "fsck.vfat -n '$SCRATCH/part' >/dev/null"
check "label LIFEBOAT" grep -q 'LIFEBOAT' <<<"$(blkid -o value -s LABEL "$SCRATCH/part")"
check "FAT32" grep -q 'FAT (32 bit)' <<<"$(file -s "$SCRATCH/part")"
fat="$SCRATCH/a.img@@1M"
listing=$(mdir -i "$fat" -/ -b -a ::/ 2>/dev/null)
for f in lifeboat.cfg EFI/BOOT/BOOTX64.EFI EFI/BOOT/grubx64.efi EFI/BOOT/mmx64.efi EFI/debian/grub.cfg \
	boot/grub/grub.cfg syslinux/syslinux.cfg syslinux/ldlinux.sys syslinux/menu.c32 live/vmlinuz live/initrd; do
	check "stick holds /$f" grep -qi "::/$f\$" <<<"$listing"
done
check "stick has logs/" grep -q '::/logs/$' <<<"$listing"
check "stick has images/" grep -q '::/images/$' <<<"$listing"
mcopy -i "$fat" ::/EFI/BOOT/BOOTX64.EFI "$SCRATCH/shim.efi"
mcopy -i "$fat" ::/EFI/BOOT/grubx64.efi "$SCRATCH/grub.efi"
check "BOOTX64.EFI is Debian's signed shim" cmp -s "$SCRATCH/shim.efi" /usr/lib/shim/shimx64.efi.signed
check "grubx64.efi is Debian's signed disk GRUB" cmp -s "$SCRATCH/grub.efi" /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed
check "lifeboat.cfg has the settings" grep -q '^kbd=' <<<"$(mtype -i "$fat" ::/lifeboat.cfg)"
check "EFI/debian/grub.cfg finds the stick by its tag" grep -q 'search --no-floppy --set=root --file /.disk/id/' <<<"$(mtype -i "$fat" ::/EFI/debian/grub.cfg)"
check "MBR boot code is syslinux's" cmp -s -n 440 "$SCRATCH/a.img" /usr/lib/syslinux/mbr/mbr.bin

# A block device: a loop device stands in for the stick.
truncate -s 96M "$SCRATCH/stick"
loop=$(losetup -f --show -P "$SCRATCH/stick")
on_exit "losetup -d $loop"
before=$(sha256sum <"$SCRATCH/stick")
expect_fail "device write not confirmed" 1 "left untouched: not confirmed" \
	sh -c "echo no | '$BUILD' usb --initrd '$SCRATCH/initrd' --device $loop"
check_eq "unconfirmed device unchanged" "$before" "$(sha256sum <"$SCRATCH/stick")"
check "confirmed device write" sh -c "echo yes | '$BUILD' usb --initrd '$SCRATCH/initrd' --device $loop >'$SCRATCH/prompt'"
check "prompt names the device and its size" grep -q "$loop: .*96.0 MiB" "$SCRATCH/prompt"
check "device got the stick" grep -qi '::/EFI/BOOT/BOOTX64.EFI' <<<"$(mdir -i "$SCRATCH/stick@@1M" -/ -b ::/ 2>/dev/null)"
# A file system of the host's kind on the stick's partition, mounted.
partx -u "$loop" 2>/dev/null || partprobe "$loop" 2>/dev/null || true
mkfs.ext4 -q -F "${loop}p1"
mkdir -p "$SCRATCH/mnt"
mount "${loop}p1" "$SCRATCH/mnt"
on_exit "umount '$SCRATCH/mnt' 2>/dev/null"
sync
before=$(sha256sum <"$SCRATCH/stick")
expect_fail "disk with a mounted file system refused" 1 "is in use: a file system on it is mounted at" \
	"$BUILD" usb --initrd "$SCRATCH/initrd" --device "$loop" --yes
check_eq "mounted device unchanged" "$before" "$(sha256sum <"$SCRATCH/stick")"
umount "$SCRATCH/mnt"
expect_fail "a partition is refused" 1 "is a partition; name the whole disk" \
	"$BUILD" usb --initrd "$SCRATCH/initrd" --device "${loop}p1" --yes
expect_fail "a regular file is not a device" 1 "is not a block device" \
	"$BUILD" usb --initrd "$SCRATCH/initrd" --device "$SCRATCH/a.img" --yes

mkdir -p "$SCRATCH/ro"
mount -t tmpfs -o ro,size=1m tmpfs "$SCRATCH/ro"
on_exit "umount '$SCRATCH/ro'"
expect_fail "read-only target" 1 "Read-only file system" "$BUILD" usb --initrd "$SCRATCH/initrd" -o "$SCRATCH/ro/s.img"
check "nothing written on the read-only target" test -z "$(ls -A "$SCRATCH/ro")"
expect_fail "too small a stick" 1 "at least 64 MiB" "$BUILD" usb --initrd "$SCRATCH/initrd" --size 16M -o "$SCRATCH/small.img"
check "nothing written for too small a stick" test -z "$(ls "$SCRATCH" | grep small)"
finish
