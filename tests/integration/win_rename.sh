# win info / rename / setup / undo on a real Windows 10 SYSTEM hive inside an
# NTFS image (libntfs-3g, no mount by Lifeboat). Judges: hivexregedit export
# diffs, reglookup, regfexport, ntfsinfo (same inode), ntfs-3g xattr (same
# security descriptor), ntfsfix -n.
. "$TESTLIB"
need hivexsh hivexregedit reglookup regfexport mkntfs ntfs-3g ntfscat ntfsinfo ntfsfix getfattr
. "$SOURCE_DIR/tests/win-fixtures.sh"

cfg=Windows/System32/config
hive SYSTEM_2 "$SCRATCH/SYSTEM_2"
windows_tree "$SCRATCH/tree" "$SCRATCH/SYSTEM_2"
make_software "$SCRATCH/tree/$cfg/SOFTWARE" 1 2 3 SENSEI
img="$SCRATCH/win.img"
ntfs_image "$img" 96M
ntfs_fill "$img" "$SCRATCH/tree"

# info, text and JSON
sum0=$(sha256sum <"$img")
info=$("$LIFEBOAT" win info "$img" --json)
check_eq "info leaves the volume unchanged" "$sum0" "$(sha256sum <"$img")"
field() { python3 -c "import json,sys; v=json.load(sys.stdin)$1; print(v)" <<<"$info"; }
check_eq "info: system root" Windows "$(field "['system_root']")"
check_eq "info: version from CurrentMajor/Minor" 10.0 "$(field "['version']")"
check_eq "info: build" 19045 "$(field "['build']")"
check_eq "info: product" "Windows 10 Pro" "$(field "['product_name']")"
check_eq "info: architecture from cmd.exe" x64 "$(field "['architecture']")"
check_eq "info: computer name" SENSEI "$(field "['computer_name']")"
check_eq "info: machine SID (as samusrgrp reads it)" "$(samusrgrp -s "$SCRATCH/tree/$cfg/SAM" 2>/dev/null | tail -1)" \
	"$(field "['machine_sid']")"
check_eq "info: workgroup member" False "$(field "['domain_member']")"
check_eq "info: not a DC" False "$(field "['domain_controller']")"
check_eq "info: not hibernated" False "$(field "['hibernated']")"
check_eq "info: default control set" 1 "$(field "['control_sets']['default']")"
check_eq "info: SYSTEM_2 is dirty without logs" "dirty False" \
	"$(field "['hives'][0]['state']") $(field "['hives'][0]['has_logs']")"
check "info: text form" grep -q '^computer_name: SENSEI$' <<<"$("$LIFEBOAT" win info "$img")"

# rename: golden diff over the full export
ntfs_get "$img" /$cfg/SYSTEM "$SCRATCH/before"
inode0=$(ntfsinfo -F /$cfg/SYSTEM "$img" | awk '/^Dumping Inode/ {print $3; exit}')
mnt="$SCRATCH/ro"; mkdir -p "$mnt"
ntfs-3g -o ro "$img" "$mnt"; sd0=$(getfattr --absolute-names -e hex -n system.ntfs_acl "$mnt/$cfg/SYSTEM" | tail -2); umount "$mnt"
check "rename succeeds" "$LIFEBOAT" win rename "$img" ws-0042
ntfs_get "$img" /$cfg/SYSTEM "$SCRATCH/after"
export_hive "$SCRATCH/before" >"$SCRATCH/before.reg"
export_hive "$SCRATCH/after" >"$SCRATCH/after.reg"
check_eq "rename changes exactly ComputerName, Hostname, NV Hostname" '> "ComputerName" > "Hostname" > "NV Hostname"' \
	"$(changed_values "$SCRATCH/before.reg" "$SCRATCH/after.reg")"
check_eq "reglookup reads the NetBIOS name upper-case" "WS-0042" \
	"$(reglookup -H -p /ControlSet001/Control/ComputerName/ComputerName/ComputerName "$SCRATCH/after" | cut -d, -f3)"
check_eq "NV Hostname keeps the DNS name as given" "ws-0042" \
	"$(reglookup -H -p '/ControlSet001/Services/Tcpip/Parameters/NV Hostname' "$SCRATCH/after" | cut -d, -f3)"
check "regfexport reads the hive" regf_reads "$SCRATCH/after"
set -- $(hive_seq "$SCRATCH/after")
check "sequence numbers equal and bumped" test "$1" = "$2" -a "$1" -gt 205
check_eq "hive rewritten in the same inode" "$inode0" \
	"$(ntfsinfo -F /$cfg/SYSTEM "$img" | awk '/^Dumping Inode/ {print $3; exit}')"
ntfs-3g -o ro "$img" "$mnt"; sd1=$(getfattr --absolute-names -e hex -n system.ntfs_acl "$mnt/$cfg/SYSTEM" | tail -2)
backups=$(ls "$mnt/$cfg" | grep -c '^SYSTEM\.lifeboat-[0-9]\{8\}-[0-9]\{6\}$')
journal=$(cat "$mnt/Windows/Lifeboat/journal"); umount "$mnt"
check_eq "security descriptor kept" "$sd0" "$sd1"
check_eq "one backup next to the hive" 1 "$backups"
check "journal records the change" grep -q 'ComputerName = WS-0042' <<<"$journal"
check "Winlogon DefaultDomainName followed the name" grep -q 'DefaultDomainName = WS-0042' <<<"$journal"
check "NTFS is consistent" ntfsfix -n "$img"

# setup: exactly SetupType and CmdLine under Setup change
printf 'echo hello\n' >"$SCRATCH/hello.cmd"
check "setup arms a first-boot script" "$LIFEBOAT" win setup "$img" --run "$SCRATCH/hello.cmd"
ntfs_get "$img" /$cfg/SYSTEM "$SCRATCH/armed"
check_eq "Setup SetupType = 2" "0x00000002" "$(reglookup -H -p /Setup/SetupType "$SCRATCH/armed" | cut -d, -f3)"
check_eq "Setup CmdLine runs the runner" 'cmd.exe /c %25SystemRoot%25\Lifeboat\firstboot.cmd' \
	"$(reglookup -H -p /Setup/CmdLine "$SCRATCH/armed" | cut -d, -f3)"
export_hive "$SCRATCH/armed" >"$SCRATCH/armed.reg"
check_eq "setup changes only SetupType and CmdLine" '> "CmdLine" > "SetupType"' \
	"$(changed_values "$SCRATCH/after.reg" "$SCRATCH/armed.reg")"
check "script stored with CRLF" cmp -s <(printf 'echo hello\r\n') <(ntfscat "$img" /Windows/Lifeboat/firstboot.d/hello.cmd)
check "runner disarms Setup" grep -q 'SetupType /t REG_DWORD /d 0' <(ntfscat "$img" /Windows/Lifeboat/firstboot.cmd)

# undo twice: back to the original bytes
check "undo setup" "$LIFEBOAT" win undo "$img"
check "undo rename" "$LIFEBOAT" win undo "$img"
ntfs_get "$img" /$cfg/SYSTEM "$SCRATCH/undone"
check "after two undos SYSTEM is byte-identical to the original" cmp -s "$SCRATCH/before" "$SCRATCH/undone"
expect_fail "nothing left to undo" 1 "nothing to undo" "$LIFEBOAT" win undo "$img"

finish
