# The TUI over the serial console: the rescue ISO boots under TCG with its
# serial port on a tmux pane (vt220, 80x24); the main menu lists the
# machine's virtio disk; Restore without images says so and goes back; the
# Drivers screen lists the machine's devices; q leaves to the shell prompt.
. "$TESTLIB"
. "$(dirname "$0")/qemu-lib.bash"
need qemu-system-x86_64 tmux
. "$SOURCE_DIR/tests/integration/helpers/tmux.sh"
BUILD="$BUILD_DIR/builder/lifeboat-build"

"$BUILD" iso --timeout 1 --app "$LIFEBOAT_STATIC" -o "$SCRATCH/lifeboat.iso" 2>/dev/null
check "ISO built" test -s "$SCRATCH/lifeboat.iso"
truncate -s 64M "$SCRATCH/disk.img"

tui_start 80 24 vt220 "qemu-system-x86_64 -accel tcg -m 512 -display none -monitor none -no-reboot \
	-chardev stdio,id=s,signal=off -serial chardev:s -cdrom '$SCRATCH/lifeboat.iso' \
	-drive file='$SCRATCH/disk.img',format=raw,if=virtio"
screen_has "the TUI's main menu on the serial console" '> 1  Restore an image' 300
screen_has "the virtio disk is listed" 'vda \(67\.1 MB\)'
keys 1 Enter
screen_has "Restore without images says so" 'No \.lbi image was found' 60
keys Enter
screen_has "back on the main menu" '> 1  Restore an image' 60
keys 5 Enter
screen_has "the Drivers screen" 'Devices without a driver|Every device has a driver' 60
keys Escape
screen_has "back again" '> 5  Drivers' 60
keys q
screen_has "q leaves to the shell" "Type 'lifeboat --help'" 60

finish
