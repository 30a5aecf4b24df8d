# win hal for each era, on directory volumes: Windows 10 x64 (stray BCD
# kernel/hal overrides removed, nothing else), Vista x86 (BCD detecthal on
# the default loader), XP x86 (boot.ini entries for the HALs in System32),
# and undo. Judges: reglookup, hivexregedit export diffs, cmp.
. "$TESTLIB"
need hivexsh hivexregedit reglookup
. "$SOURCE_DIR/tests/win-fixtures.sh"

cfg=Windows/System32/config
make_small_system "$SCRATCH/small"
bcd_default() { reglookup -H -p '/Objects/{9dea862c-5cdd-4e70-acc1-f32b344d4795}/Elements/23000003/Element' "$1" | cut -d, -f3; }

# Windows 10 x64, UEFI BCD with stray overrides on the default loader
t="$SCRATCH/w10"
windows_tree "$t" "$SCRATCH/small"
make_software "$t/$cfg/SOFTWARE" 1 2 3 SMALL
mkdir -p "$t/EFI/Microsoft/Boot"
hive BCD "$t/EFI/Microsoft/Boot/BCD"
def=$(bcd_default "$t/EFI/Microsoft/Boot/BCD")
hivexsh -w "$t/EFI/Microsoft/Boot/BCD" >/dev/null <<EOS
cd \\Objects\\$def\\Elements
add 22000011
cd 22000011
setval 1
Element
string:ntkrnlmp.exe
cd ..
add 22000012
cd 22000012
setval 1
Element
string:halmacpi.dll
commit
EOS
cp "$t/EFI/Microsoft/Boot/BCD" "$SCRATCH/bcd.before"
out=$("$LIFEBOAT" win hal "$t")
check "Windows 10 x64: nothing to replace" grep -q 'nothing to replace, this version has a single HAL' <<<"$out"
check "reports the removed overrides" grep -q "removed the hal override of loader $def" <<<"$out"
check_eq "no kernel/hal element left" "" \
	"$(reglookup -H "$t/EFI/Microsoft/Boot/BCD" 2>/dev/null | grep -E '/Elements/2200001[12]' || true)"
export_hive "$SCRATCH/bcd.before" >"$SCRATCH/a.reg"; export_hive "$t/EFI/Microsoft/Boot/BCD" >"$SCRATCH/b.reg"
check_eq "BCD: only the two override keys went away" "2" \
	"$({ diff "$SCRATCH/a.reg" "$SCRATCH/b.reg" || true; } | grep -c '^< \[.*Elements\\2200001[12]\]')"
check_eq "BCD: nothing was added" 0 "$({ diff "$SCRATCH/a.reg" "$SCRATCH/b.reg" || true; } | grep -c '^>')"
check "undo" "$LIFEBOAT" win undo "$t"
check "undo restores the BCD" cmp -s "$SCRATCH/bcd.before" "$t/EFI/Microsoft/Boot/BCD"

# Vista x86: detecthal
t="$SCRATCH/vista"
windows_tree "$t" "$SCRATCH/small"
fake_exe "$t/Windows/System32/cmd.exe" 0x014c
make_old_software "$t/$cfg/SOFTWARE" 6.0
mkdir -p "$t/Boot"
hive BCD "$t/Boot/BCD"
check "Vista x86: hal" "$LIFEBOAT" win hal "$t"
check_eq "detecthal = 1 on the default loader" "%01" \
	"$(reglookup -H -p "/Objects/$def/Elements/26000010/Element" "$t/Boot/BCD" | cut -d, -f3)"

# XP x86: boot.ini gains an entry per HAL present in System32
t="$SCRATCH/xp"
windows_tree "$t" "$SCRATCH/small"
fake_exe "$t/Windows/System32/cmd.exe" 0x014c
make_old_software "$t/$cfg/SOFTWARE" 5.1
touch "$t/Windows/System32/halmacpi.dll" "$t/Windows/System32/ntkrnlmp.exe" "$t/Windows/System32/ntoskrnl.exe"
printf '[boot loader]\r\ntimeout=30\r\ndefault=multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS\r\n[operating systems]\r\nmulti(0)disk(0)rdisk(0)partition(1)\\WINDOWS="Microsoft Windows XP Professional" /fastdetect\r\n' >"$t/boot.ini"
cp "$t/boot.ini" "$SCRATCH/boot.ini.before"
check "XP x86: hal" "$LIFEBOAT" win hal "$t"
check_eq "boot.ini: one entry added for halmacpi.dll with the MP kernel" \
	'multi(0)disk(0)rdisk(0)partition(1)\WINDOWS="Windows (ACPI multiprocessor HAL)" /fastdetect /hal=halmacpi.dll /kernel=ntkrnlmp.exe' \
	"$({ diff "$SCRATCH/boot.ini.before" "$t/boot.ini" || true; } | sed -n 's/^> //p' | tr -d '\r')"
check "boot.ini backed up" test -f "$(ls "$t"/boot.ini.lifeboat-* | head -1)"
check "undo" "$LIFEBOAT" win undo "$t"
check "undo restores boot.ini" cmp -s "$SCRATCH/boot.ini.before" "$t/boot.ini"
finish
