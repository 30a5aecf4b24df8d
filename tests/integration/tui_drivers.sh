# The TUI's Drivers screen driven through tmux on a fake sysfs
# ($LIFEBOAT_SYSROOT) against the installed kernel's module set (--modules):
# devices without a driver with the module proposed for each (judged by the
# kernel's own modules.alias), a device no module serves that cannot be
# chosen, and a folder without modules refused with a message on screen.
. "$TESTLIB"
need tmux
. "$(dirname "$0")/helpers/tmux.sh"

moddir=$(ls -d /lib/modules/*/ 2>/dev/null | while read -r d; do [ -f "$d/modules.alias" ] && echo "${d%/}"; done | head -1)
[ -n "$moddir" ] || { echo "skip: no /lib/modules/*/modules.alias (install linux-image-amd64)"; exit 77; }

sys=$SCRATCH/root/sys
. "$(dirname "$0")/helpers/fake_sysfs.sh"
pcidev 0000:00:06.0 pci:v0000144Dd0000A808sv0000144Dsd0000A801bc01sc08i02 0x010802
pcidev 0000:00:1f.2 pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01 0x010601 ahci
pcidev 0000:00:07.0 pci:v0000ABCDd00001234sv00000000sd00000000bcFFsc00i00 0xff0000
mkdir -p "$SCRATCH/empty"
check "modules.alias serves the NVMe class with nvme" grep -q 'pci:v\*d\*sv\*sd\*bc01sc08i02\* nvme$' "$moddir/modules.alias"

tui_start 100 30 xterm "LIFEBOAT_SYSROOT='$SCRATCH/root' '$LIFEBOAT' tui --modules '$moddir' --logs '$SCRATCH/logs' '$SCRATCH/empty'"
screen_has "main menu" '> 1  Restore an image'
keys 5 Enter
screen_has "devices without a driver" 'Devices without a driver'
screen_has "the NVMe controller gets nvme proposed" 'pci +0000:00:06\.0 +144d:a808 +nvme'
screen_has "the unknown device has no module" 'pci +0000:00:07\.0 +abcd:1234 +no module known'
check "a device with a driver is not listed" bash -c "! tmux -S '$TMUX_SOCKET' capture-pane -p -t t | grep -q 0000:00:1f.2"
screen_has "the proposal is highlighted" '> pci +0000:00:06\.0'
screen_has "what Enter does" 'Enter loads nvme \(available\)'
keys Down
screen_has "the unknown device is skipped: load from a folder" '> Load modules by name, or from a folder'
keys Enter
screen_has "asks for modules" 'Module name, .ko file or folder'
type_text "$SCRATCH/empty"
keys Enter
screen_has "a folder without modules: the message" 'no kernel module \(\.ko\) in this folder'
screen_has "report saved" 'Report: .*/logs/lifeboat-.*-drivers-.*\.json'
keys Enter
screen_has "back at the list" 'Devices without a driver'
keys Escape q
screen_has "quit" 'EXIT=0'

finish
