# The TUI's Windows tools driven through tmux: the Windows installation on
# partition 2 of a GPT disk image is found and offered; a bad computer name
# is refused on screen; a rename confirmed by typing the partition's name
# changes exactly the name values (hivexregedit, reglookup); the details
# screen shows the new name; undo puts the old one back; reports saved.
. "$TESTLIB"
need tmux hivexregedit reglookup mkntfs ntfs-3g ntfscat sfdisk
. "$SOURCE_DIR/tests/win-fixtures.sh"
. "$(dirname "$0")/helpers/tmux.sh"
cd "$SCRATCH"

cfg=Windows/System32/config
hive SYSTEM_2 SYSTEM_2
windows_tree tree SYSTEM_2
make_software "tree/$cfg/SOFTWARE" 1 2 3 SENSEI
ntfs_image win.img 96M
ntfs_fill win.img tree
truncate -s 200M disk.img
printf 'label: gpt\nstart=2048, size=100M\nstart=206848, type=EBD0A0A2-B9E5-4433-87C0-68B9B7D0C728\n' | sfdisk -q disk.img
dd if=win.img of=disk.img bs=1M seek=101 conv=notrunc,sparse status=none

# system_hive OUT [DISK]: the SYSTEM hive of partition 2, read with ntfscat.
system_hive() {
	dd if="${2:-disk.img}" of=part.img bs=1M skip=101 status=none
	ntfscat part.img /$cfg/SYSTEM >"$1"
	rm -f part.img
}
name_value() { reglookup -H -p /ControlSet001/Control/ComputerName/ComputerName/ComputerName "$1" | cut -d, -f3; }
system_hive before

tui_start 100 30 xterm "'$LIFEBOAT' tui --logs '$SCRATCH/logs' '$SCRATCH/disk.img'"
screen_has "main menu" '> 1  Restore an image'
screen_has "the main screen shows the Windows installation" 'disk\.img \(209\.7 MB\) +gpt: 1 unknown content 104\.9 MB, 2 ntfs \(Windows\)'
keys 4 Enter
screen_has "the Windows installation is found" '> +disk\.img:2 .*ntfs .*\(Windows\)'
keys Enter
screen_has "its tools" '> 1  M\.I\.R\.: adapt'
screen_has "which Windows" 'Windows on disk\.img partition 2'
keys 2 Enter
screen_has "asks for the name" 'New computer name:'
type_text 'bad name!'
keys Enter
screen_has "a bad name is refused on screen" 'Not a valid name'
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
type_text ws-0042
keys Enter
screen_has "confirmation names the change" 'Change the computer name: ws-0042'
keys Escape
screen_has "Esc at the confirmation goes back" '> 2  Change the computer name'
system_hive unchanged
check "nothing changed before the confirmation" cmp -s before unchanged
keys Enter
screen_has "asks again" 'New computer name:'
type_text ws-0042
keys Enter
screen_has "confirmation names the partition to type" 'Type disk\.img:2 \(or yes\)'
type_text disk.img:2
keys Enter
screen_has "rename done" 'Windows tools: done' 60
screen_has "the engine's words" 'computer name set to ws-0042'
screen_has "report saved" 'Report: .*/logs/lifeboat-.*-rename-.*\.json'
system_hive after
export_hive before >before.reg
export_hive after >after.reg
check_eq "exactly ComputerName, Hostname, NV Hostname changed (hivexregedit)" \
	'> "ComputerName" > "Hostname" > "NV Hostname"' "$(changed_values before.reg after.reg)"
check_eq "reglookup reads the new NetBIOS name" WS-0042 "$(name_value after)"
keys Enter
screen_has "back at the tools" '> 2  Change the computer name'
keys 8 Enter
screen_has "details show the new name" 'computer_name: WS-0042'
keys Enter
keys 7 Enter
screen_has "undo asks" 'Undo the last change'
type_text yes
keys Enter
screen_has "undo done" 'undone: ' 60
system_hive undone
check_eq "undo puts the old name back (reglookup)" SENSEI "$(name_value undone)"
keys Enter
screen_has "tools again" '> 7  Undo the last change'
printf 'echo hello\n' >hello.cmd
keys 6 Enter
screen_has "setup asks for the script" 'Script to run'
type_text "$SCRATCH/hello.cmd"
keys Enter
screen_has "setup confirmation" 'Run a script at the next boot .*hello\.cmd'
type_text yes
keys Enter
screen_has "setup done" 'will run once at the next boot of Windows' 60
system_hive armed
check_eq "Setup armed: SetupType = 2 (reglookup)" 0x00000002 "$(reglookup -H -p /Setup/SetupType armed | cut -d, -f3)"
dd if=disk.img of=part.img bs=1M skip=101 status=none
check "the script is on the volume with CRLF (ntfscat)" cmp -s <(printf 'echo hello\r\n') \
	<(ntfscat part.img /Windows/Lifeboat/firstboot.d/hello.cmd)
rm -f part.img
keys Enter Escape Escape
screen_has "back on the main menu" '> 4  Windows tools'
keys q
screen_has "quit" 'EXIT=0'
check "the rename report says success" grep -q '"result": "success"' logs/lifeboat-*-rename-*.json
check "the undo report says success" grep -q '"result": "success"' logs/lifeboat-*-undo-*.json

# --- restore with a new computer name --------------------------------------
mkdir -p images
"$LIFEBOAT" capture --progress none disk.img images/win.lbi
truncate -s 200M target.img
tui_start 100 30 xterm "'$LIFEBOAT' tui --images '$SCRATCH/images' --logs '$SCRATCH/logs2' '$SCRATCH/target.img'"
screen_has "menu" '> 1  Restore an image'
keys 1 Enter
screen_has "the Windows disk image" '> win\.lbi'
keys Enter
screen_has "what" 'Partition 2: ntfs'
keys Enter
screen_has "target" '> target\.img'
keys Enter
screen_has "Windows options offered for an image with NTFS" 'Windows: new computer name: \(keep\)'
keys 6 Enter
type_text PC-0815
keys Enter
screen_has "the name is kept in the options" 'Windows: new computer name: PC-0815'
keys 9 Enter
screen_has "the summary lists the Windows change" 'then on Windows: name PC-0815'
type_text yes
keys Enter
screen_has "restore and rename done" 'Restore an image: done' 120
screen_has "the rename on the restored Windows" 'Windows on .*target\.img:2, rename: done'
keys Enter q
screen_has "quit after the restore" 'EXIT=0'
system_hive restored target.img
check_eq "the restored copy has the new name (reglookup)" PC-0815 "$(name_value restored)"
system_hive original
check_eq "the source disk keeps its name" SENSEI "$(name_value original)"
check "the restore report lists the rename" grep -q '"detail": "rename target=.*target.img:2 name=PC-0815"' logs2/lifeboat-*-restore-*.json
check "and says success" grep -q '"result": "success"' logs2/lifeboat-*-restore-*.json

finish
