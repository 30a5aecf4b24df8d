# `lifeboat win mir` on the Windows 10 SYSTEM_2 hive inside an NTFS volume,
# for a machine (--hardware) with a VirtIO block controller, an NVMe
# controller, an Intel RAID controller and an Intel CPU; its BCD carries a
# stray HAL override that the HAL step removes. Judges:
# hivexregedit --export before/after against the expected change table
# (regdiff.py), reglookup, ntfscat, cmp for idempotence and undo.
. "$TESTLIB"
need mkntfs ntfs-3g ntfscat ntfsls ntfsfix hivexsh hivexregedit reglookup getfattr setfattr python3 xz
. "$SOURCE_DIR/tests/drivers_fixture.sh"

viostor=$TESTDATA/drivers/viostor-w10-amd64
judge() { python3 "$SOURCE_DIR/tests/regdiff.py" "$@"; }
export_hive() { ntfscat "$1" "Windows/System32/config/$2" >"$SCRATCH/hive.tmp" && hivexregedit --export "$SCRATCH/hive.tmp" '\' >"$3"; }

# SYSTEM_2 plus a filter left behind by an old hypervisor (prl_strg, no service).
disk_class='ControlSet001\Control\Class\{4d36e967-e325-11ce-bfc1-08002be10318}'
xz -dc "$TESTDATA/hives/SYSTEM_2.xz" >"$SCRATCH/SYSTEM"
python3 - "$SCRATCH/stale.reg" "$disk_class" <<'PY'
import sys
data = b"".join(s.encode("utf-16-le") + b"\0\0" for s in ("EhStorClass", "prl_strg")) + b"\0\0"
open(sys.argv[1], "w").write('Windows Registry Editor Version 5.00\n\n[\\%s]\n"LowerFilters"=hex(7):%s\n' % (sys.argv[2], data.hex(",")))
PY
hivexregedit --merge "$SCRATCH/SYSTEM" "$SCRATCH/stale.reg"
make_software_hive "$SCRATCH/SOFTWARE" 10 0 19045 6.3
make_windows_volume "$SCRATCH/w10.img" "$SCRATCH/SYSTEM" "$SCRATCH/SOFTWARE" amd64
add_driver_files "$SCRATCH/w10.img" stornvme partmgr EhStorClass
# The real UEFI BCD with a stray hal override on the default loader.
xz -dc "$TESTDATA/hives/BCD.xz" >"$SCRATCH/BCD"
loader=$(reglookup -H -p '/Objects/{9dea862c-5cdd-4e70-acc1-f32b344d4795}/Elements/23000003/Element' "$SCRATCH/BCD" | cut -d, -f3)
printf 'cd \\Objects\\%s\\Elements\nadd 22000012\ncd 22000012\nsetval 1\nElement\nstring:halmacpi.dll\ncommit\n' "$loader" |
	hivexsh -w "$SCRATCH/BCD" >/dev/null
put_file "$SCRATCH/w10.img" "$SCRATCH/BCD" Boot/BCD
export_hive "$SCRATCH/w10.img" SYSTEM "$SCRATCH/sys0.reg"
cp "$SCRATCH/w10.img" "$SCRATCH/w10.orig"

cat >"$SCRATCH/hardware" <<'HW'
# the machine Windows will boot on
cpu GenuineIntel
pci 1af4:1001 1af4:0002 00 010000 virtio-pci
pci 144d:a808 144d:a801 00 010802 nvme
pci 8086:2822 1028:0001 00 010400
pci 8086:15b8 8086:0000 00 020000 e1000e
HW
out=$("$LIFEBOAT" win mir "$SCRATCH/w10.img" --drivers "$TESTDATA/drivers" --hardware "$SCRATCH/hardware" 2>"$SCRATCH/err")
echo "$out"
check "VirtIO controller: viostor chosen from --drivers by hardware ID" \
	grep -q "chosen: driver package $viostor/viostor.inf (from --drivers), matching PCI\\\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00 (hardware ID, rank 0 of 11), dated 2021-08-30, version 100.85.104.20800" <<<"$out"
check "NVMe controller: inbox stornvme through DriverDatabase PCI\\CC_010802" \
	grep -q 'chosen: inbox driver stornvme (inbox, DriverDatabase stornvme.inf), matching PCI\\CC_010802 (compatible ID, rank 9 of 11)' <<<"$out"
check "Intel RAID controller: no driver, with what to do" grep -q 'NO DRIVER: .*Intel RAID/RST/VMD controller: switch the firmware' <<<"$out"
check "network controller is not a storage controller" bash -c "! grep -q '8086:15b8' <<<\"\$1\"" _ "$out"
check "stale filter named in the report" grep -q 'stale filter prl_strg in .*LowerFilters: no service key, removed' <<<"$out"
check "HAL step: the era needs no HAL choice" grep -q '^HAL: Windows 10.0 x64: nothing to replace, this version has a single HAL$' <<<"$out"
check "HAL step: the stray override is removed and reported" grep -q "^HAL: removed the hal override of loader $loader$" <<<"$out"
ntfscat "$SCRATCH/w10.img" Boot/BCD >"$SCRATCH/BCD.after"
check_eq "reglookup: no hal element left in the BCD" "" "$(reglookup -H "$SCRATCH/BCD.after" | grep -E '/Elements/22000012' || true)"
check_eq "BCD: only the override key went away" "-[\\Objects\\$loader\\Elements\\22000012]" \
	"$(diff <(hivexregedit --export "$SCRATCH/BCD" '\') <(hivexregedit --export "$SCRATCH/BCD.after" '\') | sed -n 's/^< \[/-[/p; s/^> \(.*\)/+\1/p')"

{
	viostor_w10_table
	# stornvme enabled: Start stays 0, StartOverride (0 = 3) goes
	printf -- '-key\tControlSet001\\Services\\stornvme\\StartOverride\n'
	printf -- '-val\tControlSet001\\Services\\stornvme\\StartOverride\t0\tdword\t3\n'
	# the stale filter goes, EhStorClass stays
	printf -- '-val\t%s\tLowerFilters\tmulti\tEhStorClass|prl_strg\n+val\t%s\tLowerFilters\tmulti\tEhStorClass\n' "$disk_class" "$disk_class"
	# Intel CPU: the AMD processor driver is disabled
	printf -- '-val\tControlSet001\\Services\\AmdPPM\tStart\tdword\t3\n+val\tControlSet001\\Services\\AmdPPM\tStart\tdword\t4\n'
	printf -- '-val\tControlSet001\\Control\\CrashControl\tAutoReboot\tdword\t1\n+val\tControlSet001\\Control\\CrashControl\tAutoReboot\tdword\t0\n'
} >"$SCRATCH/mir.table"
export_hive "$SCRATCH/w10.img" SYSTEM "$SCRATCH/sys1.reg"
check "SYSTEM export diff is exactly the M.I.R. table" judge "$SCRATCH/sys0.reg" "$SCRATCH/sys1.reg" "$SCRATCH/mir.table"
ntfscat "$SCRATCH/w10.img" Windows/System32/config/SYSTEM >"$SCRATCH/SYSTEM.after"
check "reglookup: stornvme has no StartOverride" bash -c "! reglookup -p /ControlSet001/Services/stornvme '$SCRATCH/SYSTEM.after' | grep -qi StartOverride"
check_eq "reglookup: stornvme Start" "0x00000000" "$(reglookup -p /ControlSet001/Services/stornvme/Start "$SCRATCH/SYSTEM.after" | sed -n 's|^/ControlSet001/Services/stornvme/Start,DWORD,\(.*\),$|\1|p')"
check_eq "reglookup: AutoReboot" "0x00000000" "$(reglookup -p /ControlSet001/Control/CrashControl/AutoReboot "$SCRATCH/SYSTEM.after" | sed -n 's|.*/AutoReboot,DWORD,\(.*\),$|\1|p')"
ntfscat "$SCRATCH/w10.img" Windows/System32/drivers/viostor.sys >"$SCRATCH/viostor.read"
check "viostor.sys copied byte-identical" cmp "$SCRATCH/viostor.read" "$viostor/viostor.sys"

cp "$SCRATCH/w10.img" "$SCRATCH/w10.once"
out=$("$LIFEBOAT" win mir "$SCRATCH/w10.img" --drivers "$TESTDATA/drivers" --hardware "$SCRATCH/hardware" 2>/dev/null)
check "second M.I.R. has nothing to change" grep -q '^nothing to change: Windows is already adapted to this hardware$' <<<"$out"
check "second M.I.R. leaves the volume byte-identical" cmp "$SCRATCH/w10.img" "$SCRATCH/w10.once"

check "undo reverts M.I.R." grep -q '^undone: mir: adapt to new hardware$' <<<"$("$LIFEBOAT" win undo "$SCRATCH/w10.img")"
export_hive "$SCRATCH/w10.img" SYSTEM "$SCRATCH/sys2.reg"
check "after undo SYSTEM is as before" cmp "$SCRATCH/sys0.reg" "$SCRATCH/sys2.reg"
ntfscat "$SCRATCH/w10.img" Boot/BCD >"$SCRATCH/BCD.undone"
check "the same undo restores the BCD byte-identical" cmp "$SCRATCH/BCD" "$SCRATCH/BCD.undone"
check_eq "ntfsls: undo removed the injected viostor.sys" "disk.sys EhStorClass.sys partmgr.sys stornvme.sys" \
	"$(ntfsls "$SCRATCH/w10.img" -p /Windows/System32/drivers | grep -vx '\.\|\.\.' | LC_ALL=C sort -f | tr '\n' ' ' | sed 's/ $//')"
check_eq "ntfsls: undo removed the staged package and first-boot files" "journal" \
	"$(ntfsls "$SCRATCH/w10.img" -p /Windows/Lifeboat | grep -vx '\.\|\.\.' | tr '\n' ' ' | sed 's/ $//')"
check "ntfsfix -n: the volume is consistent after undo" ntfsfix -n "$SCRATCH/w10.img"

cp "$SCRATCH/w10.orig" "$SCRATCH/w10.img"
sum=$(sha256sum <"$SCRATCH/w10.img")
printf 'pci 1af4:1001 zz 00 010000\n' >"$SCRATCH/bad-hardware"
expect_fail "malformed hardware list" 1 "bad-hardware:1: expected 'pci VVVV:DDDD SSSS:TTTT RR CCCCCC \[driver\]'" \
	"$LIFEBOAT" win mir "$SCRATCH/w10.img" --hardware "$SCRATCH/bad-hardware"
expect_fail "win mir without TARGET" 2 'win mir needs TARGET' "$LIFEBOAT" win mir
check_eq "refusals left the volume unchanged" "$sum" "$(sha256sum <"$SCRATCH/w10.img")"

finish
