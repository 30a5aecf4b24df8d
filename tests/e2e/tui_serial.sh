# The TUI over the rescue system's serial console: the ISO boots in QEMU
# with its serial line on the terminal of a tmux pane (80x24), and the test
# types on it like a person at a serial terminal: the main screen lists
# the machine's disk, Network gets an address by DHCP from QEMU's user
# network (udhcpc inside the rescue system), and Reboot / Power off powers
# the machine off (QEMU ends by itself).
. "$TESTLIB"
. "$(dirname "$0")/qemu-lib.bash"
need qemu-system-x86_64 tmux
. "$SOURCE_DIR/tests/integration/helpers/tmux.sh"
"$LIFEBOAT_STATIC" help tui >/dev/null 2>&1 || { echo "skip: this lifeboat has no TUI"; exit 77; }

rescue_iso "$SCRATCH/lifeboat.iso" --append quiet --app "$LIFEBOAT_STATIC"
truncate -s 96M "$SCRATCH/disk.img"

tui_start 80 24 vt100 "qemu-system-x86_64 -accel tcg -m 512 -display none -monitor none -no-reboot -serial stdio \
	-cdrom '$SCRATCH/lifeboat.iso' -boot d -nic user,model=virtio-net-pci \
	-drive file='$SCRATCH/disk.img',format=raw,if=none,id=d -device virtio-blk-pci,drive=d"
screen_has "the TUI's main menu on the serial console" '> 1  Restore an image' 600
screen_has "the machine's disk is listed" 'vda \(100\.7 MB\)'

keys 6 Enter
screen_has "Network: the NIC with QEMU's MAC, no address yet" 'eth0 +52:54:00:12:34:56 +(up|down) +no address'
keys Enter
screen_has "the interface's menu" 'Interface eth0:'
keys Enter
screen_has "DHCP inside the rescue system succeeds" 'DHCP: done\.' 60
keys Enter
screen_has "the list shows the address QEMU gave" 'eth0 +52:54:00:12:34:56 +up +10\.0\.2\.15/24'
keys Escape
screen_has "Esc: back on the main menu, Network still chosen" '> 6  Network'

keys 8 Enter
screen_has "Reboot / Power off screen" 'Power off'
keys j Enter
screen_has "Power off ends the machine (QEMU exits by itself)" 'EXIT=0' 120
finish
