# The TUI over the serial console: the rescue ISO boots under TCG with its
# serial port on a tmux pane (vt220, 80x24) and two virtio disks: an empty
# target and one holding an image. On the serial console: the main menu
# lists the disks; the Drivers screen opens; the Shell mounts the image
# disk; Restore finds no image, looks in the mounted folder, does not offer
# the disk holding it, and restores the image onto the target. The host
# judges the target with sfdisk, e2fsck and debugfs.
. "$TESTLIB"
. "$(dirname "$0")/qemu-lib.bash"
need qemu-system-x86_64 tmux sfdisk mkfs.ext4 mkfs.vfat e2fsck debugfs
. "$SOURCE_DIR/tests/integration/helpers/tmux.sh"
. "$SOURCE_DIR/tests/integration/helpers/tui_disks.sh"
cd "$SCRATCH"

rescue_iso lifeboat.iso --app "$LIFEBOAT_STATIC"
mkdir -p tree/sub holder/images
seq 1 50000 >tree/sub/numbers.txt
head -c 2M /dev/urandom >tree/random.bin
make_disk source.img 100M tree
"$LIFEBOAT" capture --progress none --comment "serial test" source.img holder/images/pc.lbi
truncate -s 64M images.img
mkfs.ext4 -q -F -L images -d holder images.img
truncate -s 100M target.img

serial_tui_boot "$SCRATCH/lifeboat.iso" "$SCRATCH/target.img" "$SCRATCH/images.img"
screen_has "the TUI's main menu on the serial console" '> 1  Restore an image' 300
screen_has "the target disk is listed" 'vda \(104\.9 MB\)'
screen_has "the image disk is listed" 'vdb \(67\.1 MB\) +ext4 .images.'
keys 5 Enter
screen_has "the Drivers screen" 'Devices without a driver|Every device has a driver' 60
keys Escape
screen_has "back on the main menu" '> 5  Drivers' 60
keys 7 Enter
screen_has "the Shell" 'Lifeboat shell' 60
type_text "modprobe ext4; mkdir -p /mnt/img && mount -t ext4 -o ro /dev/vdb /mnt/img && exit"
keys Enter
screen_has "back from the shell" '> 7  Shell' 60
keys 1 Enter
screen_has "no image in the image folders" 'No \.lbi image was found' 60
keys Enter
screen_has "asks for a folder" 'Folder:' 60
type_text /mnt/img/images
keys Enter
screen_has "the image in the mounted folder" '> pc\.lbi .*whole disk 104\.9 MB' 60
keys Enter
screen_has "what" 'Partition 2: ext4' 60
keys Enter
screen_has "the disk holding the image is not offered" 'vdb .*NOT OFFERED: holds the image' 60
screen_has "the target is offered" '> vda ' 60
keys Enter
screen_has "options" 'Continue to the summary' 60
keys Enter
screen_has "summary" 'EVERYTHING on this target' 60
type_text vda
keys Enter
screen_has "restored over the serial console" 'Restore an image: done' 300
keys Enter
screen_has "main menu after the restore" '> 1  Restore an image' 60
keys q
screen_has "q leaves to the shell" "Type 'lifeboat --help'" 60
tmx kill-server
judge_restore "restore over serial" source.img target.img tree

finish
