# The default hybrid ISO boots to the rescue system's first screen on the
# serial console: as a CD and as a hard disk under SeaBIOS, as a CD and as
# a USB stick under OVMF with Secure Boot (the kernel must report Secure
# Boot enabled). Negative controls under Secure Boot: the firmware refuses
# an unsigned GRUB (grub-mkrescue), and GRUB refuses a kernel whose
# signature was stripped.
. "$TESTLIB"
. "$(dirname "$0")/qemu-lib.bash"
need qemu-system-x86_64 xorriso sbattach grub-mkrescue

rescue_iso "$SCRATCH/lifeboat.iso"
iso="$SCRATCH/lifeboat.iso"

check "SeaBIOS, ISO as CD: rescue app on serial" \
	qemu_until bios-cd 180 "$RESCUE_READY" -cdrom "$iso"
check "isolinux menu shown on serial" grep -aq 'Boot from first hard disk' "$SCRATCH/bios-cd.log"
check "SeaBIOS, ISO as hard disk: rescue app on serial" \
	qemu_until bios-hdd 180 "$RESCUE_READY" -drive "file=$iso,format=raw,if=ide,snapshot=on"

check "OVMF Secure Boot, ISO as CD: rescue app on serial" \
	qemu_until sb-cd 240 "$RESCUE_READY" $(ovmf_sb_args sb-cd) \
	-drive "file=$iso,format=raw,if=none,id=cd,media=cdrom,readonly=on" -device ide-cd,drive=cd,bus=ide.1
check "kernel reports Secure Boot enabled (CD)" grep -aq 'secureboot: Secure boot enabled' "$SCRATCH/sb-cd.log"
check "kernel locked down (CD)" grep -aq 'Kernel is locked down from EFI Secure Boot' "$SCRATCH/sb-cd.log"
check "GRUB menu shown on serial" grep -aq 'Lifeboat (serial console)' "$SCRATCH/sb-cd.log"

check "OVMF Secure Boot, ISO as USB stick: rescue app on serial" \
	qemu_until sb-usb 240 "$RESCUE_READY" $(ovmf_sb_args sb-usb) -device qemu-xhci \
	-drive "file=$iso,format=raw,if=none,id=stick,snapshot=on" -device usb-storage,drive=stick
check "kernel reports Secure Boot enabled (USB)" grep -aq 'secureboot: Secure boot enabled' "$SCRATCH/sb-usb.log"

# Negative control 1: GRUB assembled from unsigned modules.
mkdir -p "$SCRATCH/mkrescue/boot/grub"
echo 'echo unsigned grub running' >"$SCRATCH/mkrescue/boot/grub/grub.cfg"
grub-mkrescue -o "$SCRATCH/unsigned-grub.iso" "$SCRATCH/mkrescue" >/dev/null 2>&1
check "firmware refuses an unsigned GRUB (Access Denied)" \
	qemu_until neg-grub 150 'Access Denied' $(ovmf_sb_args neg-grub) \
	-drive "file=$SCRATCH/unsigned-grub.iso,format=raw,if=none,id=cd,media=cdrom,readonly=on" -device ide-cd,drive=cd,bus=ide.1
check "the unsigned GRUB never ran" test -z "$(grep -a 'unsigned grub running' "$SCRATCH/neg-grub.log")"

# Negative control 2: our ISO with the kernel's signature stripped by sbattach.
xorriso -osirrox on -indev "$iso" -extract /live/vmlinuz "$SCRATCH/vmlinuz" 2>/dev/null
chmod u+w "$SCRATCH/vmlinuz"
sbattach --remove "$SCRATCH/vmlinuz" 2>/dev/null
xorriso -indev "$iso" -outdev "$SCRATCH/stripped.iso" -boot_image any replay \
	-update "$SCRATCH/vmlinuz" /live/vmlinuz >/dev/null 2>&1
check "GRUB refuses a kernel without signature (bad shim signature)" \
	qemu_until neg-kernel 200 'bad shim signature' $(ovmf_sb_args neg-kernel) \
	-drive "file=$SCRATCH/stripped.iso,format=raw,if=none,id=cd,media=cdrom,readonly=on" -device ide-cd,drive=cd,bus=ide.1
check "the stripped kernel never started" test -z "$(grep -a 'Linux version' "$SCRATCH/neg-kernel.log")"
finish
