# The rescue system started with a LIFEBOAT stick attached keeps the stick
# mounted for the rescue app: over the serial console the TUI lists the
# stick's images/ at once (no shell, no folder to type), never offers the
# stick as a target, and the shell sees LIFEBOAT_IMAGES and LIFEBOAT_MEDIA.
. "$TESTLIB"
. "$(dirname "$0")/qemu-lib.bash"
need qemu-system-x86_64 tmux sfdisk mkfs.ext4 mkfs.vfat mmd mcopy
. "$SOURCE_DIR/tests/integration/helpers/tmux.sh"
. "$SOURCE_DIR/tests/integration/helpers/tui_disks.sh"
cd "$SCRATCH"

rescue_iso lifeboat.iso --app "$LIFEBOAT_STATIC"
mkdir -p tree
seq 1 20000 >tree/numbers.txt
make_disk source.img 48M tree
"$LIFEBOAT" capture --progress none source.img pc.lbi
mkfs.vfat -n LIFEBOAT -C stick.img 32768 >/dev/null
mmd -i stick.img ::/images
mcopy -i stick.img pc.lbi ::/images/
truncate -s 64M target.img

serial_tui_boot "$SCRATCH/lifeboat.iso" "$SCRATCH/target.img" "$SCRATCH/stick.img"
screen_has "the TUI's main menu on the serial console" '> 1  Restore an image' 300
keys 1 Enter
screen_has "the stick's image is listed at once" '> pc\.lbi .*whole disk 50\.3 MB' 60
keys Enter
screen_has "what" 'Partition 2: ext4' 60
keys Enter
screen_has "target list" 'Choose the disk to overwrite' 60
screen_has "the stick is not offered" 'vdb .*NOT OFFERED: holds the image' 60
screen_has "the empty disk is offered" '> vda ' 60
keys Escape; sleep 1; keys Escape; sleep 1; keys Escape
screen_has "back on the main menu" '> 1  Restore an image' 60
keys 7 Enter
screen_has "the Shell" 'Lifeboat shell' 60
type_text 'echo "IMG=$LIFEBOAT_IMAGES MEDIA=$LIFEBOAT_MEDIA"'
keys Enter
screen_has "the shell sees the stick's folders" 'IMG=/run/lifeboat/media/images MEDIA=/run/lifeboat/media' 60
tmx kill-server

finish
