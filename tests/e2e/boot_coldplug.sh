# Module coldplug: the rescue system, booted from the ISO on a machine
# with a virtio disk, an AHCI (SATA) disk and an NVMe disk, loads their
# drivers from the devices' modalias and `lifeboat disks` on the serial
# console lists all three.
. "$TESTLIB"
. "$(dirname "$0")/qemu-lib.bash"
need qemu-system-x86_64
BUILD="$BUILD_DIR/builder/lifeboat-build"
"$LIFEBOAT_STATIC" help disks >/dev/null 2>&1 || { echo "skip: this lifeboat has no disks command"; exit 77; }

"$BUILD" iso --timeout 1 --app "$LIFEBOAT_STATIC" -o "$SCRATCH/lifeboat.iso" 2>/dev/null
check "ISO built" test -s "$SCRATCH/lifeboat.iso"
for d in virtio ahci nvme; do truncate -s 64M "$SCRATCH/$d.img"; done

check "rescue system lists its disks on serial" \
	qemu_until coldplug 240 'Disk /dev/vda:' -machine q35 \
	-drive "file=$SCRATCH/lifeboat.iso,format=raw,if=none,id=cd,media=cdrom,readonly=on" \
	-device ide-cd,drive=cd,bus=ide.1,bootindex=0 \
	-drive "file=$SCRATCH/virtio.img,format=raw,if=none,id=v" -device virtio-blk-pci,drive=v \
	-drive "file=$SCRATCH/ahci.img,format=raw,if=none,id=a" -device ide-hd,drive=a,bus=ide.0 \
	-drive "file=$SCRATCH/nvme.img,format=raw,if=none,id=n" -device nvme,drive=n,serial=lifeboat1
screen=$(sed -n '/Lifeboat rescue system/,$p' "$SCRATCH/coldplug.log" | tr -d '\r')
check "virtio disk listed by lifeboat disks" grep -q '^Disk /dev/vda: 64M' <<<"$screen"
check "AHCI disk listed by lifeboat disks" grep -q '^Disk /dev/sda: 64M' <<<"$screen"
check "NVMe disk listed by lifeboat disks" grep -q '^Disk /dev/nvme0n1: 64M' <<<"$screen"
check "drivers came from coldplug" grep -aq 'modules loaded' "$SCRATCH/coldplug.log"
finish
