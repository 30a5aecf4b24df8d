# The USB stick image boots to the rescue system under SeaBIOS (as a hard
# disk) and under OVMF with Secure Boot (as a USB stick), and the boot log
# the rescue system writes to the stick's logs/ folder is readable with
# mtools afterwards.
. "$TESTLIB"
. "$(dirname "$0")/qemu-lib.bash"
need qemu-system-x86_64 mtype
BUILD="$BUILD_DIR/builder/lifeboat-build"

"$BUILD" usb --timeout 1 --size 128M -o "$SCRATCH/stick.img" 2>/dev/null
check "stick built" test -s "$SCRATCH/stick.img"
cp "$SCRATCH/stick.img" "$SCRATCH/bios.img"
check "SeaBIOS, stick as hard disk: rescue app on serial" \
	qemu_until usb-bios 180 "$RESCUE_READY" -drive "file=$SCRATCH/bios.img,format=raw,if=ide"
check "syslinux menu shown on serial" grep -aq 'Lifeboat (safe graphics)' "$SCRATCH/usb-bios.log"
check "boot log written to logs/ (SeaBIOS)" grep -q 'rescue media /dev/sda1' <<<"$(mtype -i "$SCRATCH/bios.img@@1M" ::/logs/boot.log 2>/dev/null)"

mv "$SCRATCH/stick.img" "$SCRATCH/uefi.img"
check "OVMF Secure Boot, stick on USB: rescue app on serial" \
	qemu_until usb-sb 240 "$RESCUE_READY" $(ovmf_sb_args usb-sb) -device qemu-xhci \
	-drive "file=$SCRATCH/uefi.img,format=raw,if=none,id=stick" -device usb-storage,drive=stick
check "kernel reports Secure Boot enabled" grep -aq 'secureboot: Secure boot enabled' "$SCRATCH/usb-sb.log"
check "boot log written to logs/ (UEFI)" grep -q 'Secure boot enabled' <<<"$(mtype -i "$SCRATCH/uefi.img@@1M" ::/logs/boot.log 2>/dev/null)"
finish
