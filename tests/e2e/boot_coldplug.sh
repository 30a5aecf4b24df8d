# Module coldplug: the rescue system, booted from the ISO on a machine
# with a virtio disk, an AHCI (SATA) disk and an NVMe disk, loads their
# drivers from the devices' modalias, and the rescue app's first screen on
# the serial console (TERM=vt220) lists all three. lifeboat.kbd=de on the
# kernel command line loads the German console keymap.
. "$TESTLIB"
. "$(dirname "$0")/qemu-lib.bash"
need qemu-system-x86_64
"$LIFEBOAT_STATIC" help disks >/dev/null 2>&1 || { echo "skip: this lifeboat has no disks command"; exit 77; }

rescue_iso "$SCRATCH/lifeboat.iso" --append lifeboat.kbd=de --app "$LIFEBOAT_STATIC"
for d in virtio ahci nvme; do truncate -s 64M "$SCRATCH/$d.img"; done

check "rescue app's main screen on serial" \
	qemu_until coldplug 300 'Reboot / Power off' -machine q35 \
	-drive "file=$SCRATCH/lifeboat.iso,format=raw,if=none,id=cd,media=cdrom,readonly=on" \
	-device ide-cd,drive=cd,bus=ide.1,bootindex=0 \
	-drive "file=$SCRATCH/virtio.img,format=raw,if=none,id=v" -device virtio-blk-pci,drive=v \
	-drive "file=$SCRATCH/ahci.img,format=raw,if=none,id=a" -device ide-hd,drive=a,bus=ide.0 \
	-drive "file=$SCRATCH/nvme.img,format=raw,if=none,id=n" -device nvme,drive=n,serial=lifeboat1
# The screen as text: every control sequence becomes one blank, blanks collapse.
screen=$(sed -n '/Lifeboat rescue system/,$p' "$SCRATCH/coldplug.log" |
	sed 's/\x1b\[[0-9;?]*[A-Za-z]/ /g; s/\x1b[()][0B]/ /g' | tr -d '\r\016\017' | tr -s ' ')
check "virtio disk listed by the rescue app" grep -q 'vda (67\.1 MB)' <<<"$screen"
check "AHCI disk listed by the rescue app" grep -q 'sda QEMU HARDDISK (67\.1 MB)' <<<"$screen"
check "NVMe disk listed by the rescue app" grep -q 'nvme0n1 QEMU NVMe Ctrl (67\.1 MB)' <<<"$screen"
check "drivers came from coldplug" grep -aq 'modules loaded' "$SCRATCH/coldplug.log"
check "lifeboat.kbd=de loaded the German keymap" grep -aq 'lifeboat: keymap de$' <(tr -d '\r' <"$SCRATCH/coldplug.log")
finish
