# AddReg roots other than HKR in `lifeboat win inject`: the viostor package
# with extra registry lines (HKLM\SYSTEM\CurrentControlSet, HKLM\SYSTEM,
# HKLM\SOFTWARE, HKCR; APPEND, NOCLOBBER, OVERWRITEONLY; HKCU and
# HKLM\HARDWARE left out with a warning) into Windows 10 on NTFS. Judges:
# hivexregedit --export of SYSTEM and SOFTWARE before/after against the
# expected change tables (regdiff.py: nothing else changed), reglookup,
# cmp for idempotence, export equality after undo.
. "$TESTLIB"
need mkntfs ntfs-3g ntfscat hivexsh hivexregedit reglookup getfattr setfattr python3 xz
. "$SOURCE_DIR/tests/drivers_fixture.sh"

judge() { python3 "$SOURCE_DIR/tests/regdiff.py" "$@"; }
export_hive() { ntfscat "$1" "Windows/System32/config/$2" >"$SCRATCH/hive.tmp" && hivexregedit --export "$SCRATCH/hive.tmp" '\' >"$3"; }

pkg=$SCRATCH/viostor-hklm
mkdir -p "$pkg"
cp "$TESTDATA/drivers/viostor-w10-amd64/viostor.sys" "$TESTDATA/drivers/viostor-w10-amd64/viostor.cat" "$pkg/"
# (the INF has CRLF line ends)
sed -e 's/^\(AddReg *= pnpsafe_pci_addreg\)\(\r\?\)$/\1, lifeboat_hklm\2/' \
	-e 's/^\(CopyFiles=viostor_Files_Driver\)\(\r\?\)$/\1\2\nAddReg=lifeboat_install\2/' \
	"$TESTDATA/drivers/viostor-w10-amd64/viostor.inf" >"$pkg/viostor.inf"
class='{4d36e967-e325-11ce-bfc1-08002be10318}'
cat >>"$pkg/viostor.inf" <<INF

[lifeboat_hklm]
HKLM, "System\\CurrentControlSet\\Control\\Class\\$class", "UpperFilters", 0x00010008, "viofilt", "PartMgr"
HKLM, "SYSTEM\\CurrentControlSet\\Services\\viostor\\Parameters\\Device", "MaxTransferSize", 0x00010001, 0x100000
HKLM, "SYSTEM\\CurrentControlSet\\Control\\CrashControl", "AutoReboot", 0x00010003, 0
HKLM, "SYSTEM\\Setup\\Lifeboat Test", "Marker", 0, "set once"
HKLM, "SOFTWARE\\Lifeboat Test\\viostor", "Installed", 0x00010001, 1
HKLM, "SOFTWARE\\Lifeboat Test\\viostor", "Absent", 0x00000020, "never written"
HKCR, "viostor.Document",, 0, "VirtIO document"
HKCU, "Software\\Lifeboat", "User", 0, "left out"
HKLM, "HARDWARE\\DESCRIPTION", "X", 0, "left out"

[lifeboat_install]
HKR,, "DeviceKeyOnly", 0x00010001, 1
HKLM, "SOFTWARE\\Lifeboat Test\\install", "FromInstallSection", 0, "yes"
INF
check_eq "the package's INF names both new sections" 2 "$(grep -c '^AddReg *=.*lifeboat_' "$pkg/viostor.inf")"

xz -dc "$TESTDATA/hives/SYSTEM_2.xz" >"$SCRATCH/SYSTEM"
make_software_hive "$SCRATCH/SOFTWARE" 10 0 19045 6.3
make_windows_volume "$SCRATCH/w10.img" "$SCRATCH/SYSTEM" "$SCRATCH/SOFTWARE" amd64
export_hive "$SCRATCH/w10.img" SYSTEM "$SCRATCH/sys0.reg"
export_hive "$SCRATCH/w10.img" SOFTWARE "$SCRATCH/sw0.reg"
check_eq "SYSTEM_2: the disk class has UpperFilters PartMgr" 'hex(7):50,00,61,00,72,00,74,00,4d,00,67,00,72,00,00,00,00,00' \
	"$(grep -A20 "^\[\\\\ControlSet001\\\\Control\\\\Class\\\\$class\]" "$SCRATCH/sys0.reg" | sed -n 's/^"UpperFilters"=//p')"

"$LIFEBOAT" win inject "$SCRATCH/w10.img" "$pkg" >"$SCRATCH/out" 2>"$SCRATCH/err"
cat "$SCRATCH/out"
check "HKCU line left out with a warning" grep -q 'viostor.inf:[0-9]*: HKCU\\Software\\Lifeboat line left out' "$SCRATCH/err"
check "HKLM\\HARDWARE line left out with a warning" grep -q 'viostor.inf:[0-9]*: HKLM\\HARDWARE\\DESCRIPTION line left out' "$SCRATCH/err"
check_eq "each warning once" 2 "$(grep -c 'line left out' "$SCRATCH/err")"

{
	viostor_w10_table "$pkg/viostor.inf"
	# APPEND: viofilt added after PartMgr, PartMgr not twice
	printf -- '-val\tControlSet001\\Control\\Class\\%s\tUpperFilters\tmulti\tPartMgr\n' "$class"
	printf -- '+val\tControlSet001\\Control\\Class\\%s\tUpperFilters\tmulti\tPartMgr|viofilt\n' "$class"
	# CurrentControlSet is the control set edited
	printf '+key\tControlSet001\\Services\\viostor\\Parameters\\Device\n'
	printf '+val\tControlSet001\\Services\\viostor\\Parameters\\Device\tMaxTransferSize\tdword\t1048576\n'
	# HKLM\SYSTEM outside the control sets; NOCLOBBER left AutoReboot=1 alone
	printf '+key\tSetup\\Lifeboat Test\n+val\tSetup\\Lifeboat Test\tMarker\tsz\tset once\n'
} >"$SCRATCH/sys.table"
export_hive "$SCRATCH/w10.img" SYSTEM "$SCRATCH/sys1.reg"
check "SYSTEM export diff: the spec table plus the HKLM\\SYSTEM lines, nothing else" judge "$SCRATCH/sys0.reg" "$SCRATCH/sys1.reg" "$SCRATCH/sys.table"
{
	printf '+val\tMicrosoft\\Windows\\CurrentVersion\tDevicePath\texpand\t%s\n-val\tMicrosoft\\Windows\\CurrentVersion\tDevicePath\texpand\t%s\n' \
		'%SystemRoot%\inf;%SystemRoot%\Lifeboat\Drivers\viostor' '%SystemRoot%\inf'
	# HKLM\SOFTWARE; OVERWRITEONLY wrote no "Absent"
	printf '+key\t%s\n' 'Lifeboat Test' 'Lifeboat Test\viostor' 'Lifeboat Test\install' Classes 'Classes\viostor.Document'
	printf '+val\tLifeboat Test\\viostor\tInstalled\tdword\t1\n'
	printf '+val\tLifeboat Test\\install\tFromInstallSection\tsz\tyes\n'
	# HKCR is SOFTWARE\Classes
	printf '+val\tClasses\\viostor.Document\t@\tsz\tVirtIO document\n'
} >"$SCRATCH/sw.table"
export_hive "$SCRATCH/w10.img" SOFTWARE "$SCRATCH/sw1.reg"
check "SOFTWARE export diff: DevicePath, the HKLM\\SOFTWARE and HKCR lines, nothing else" judge "$SCRATCH/sw0.reg" "$SCRATCH/sw1.reg" "$SCRATCH/sw.table"
ntfscat "$SCRATCH/w10.img" Windows/System32/config/SOFTWARE >"$SCRATCH/SOFTWARE.after"
check_eq "reglookup: HKCR default value under SOFTWARE\\Classes" "VirtIO document" \
	"$(reglookup -H -p '/Classes/viostor.Document' -t SZ "$SCRATCH/SOFTWARE.after" | cut -d, -f3)"
ntfscat "$SCRATCH/w10.img" Windows/System32/config/SYSTEM >"$SCRATCH/SYSTEM.after"
check_eq "reglookup: AutoReboot kept by NOCLOBBER" "0x00000001" \
	"$(reglookup -H -p /ControlSet001/Control/CrashControl/AutoReboot "$SCRATCH/SYSTEM.after" | cut -d, -f3)"

reinject_then_undo "$SCRATCH/w10.img" "$pkg"

finish
