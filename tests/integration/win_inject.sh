# `lifeboat win inject` on offline Windows inside real NTFS volumes made with
# mkntfs: the viostor package into the Windows 10 SYSTEM_2 hive (DriverDatabase
# path) and into the Windows 7 SYSTEM hive (CriticalDeviceDatabase path).
# Judges: hivexregedit --export before/after against the spec table of
# windows-offline.md §2.1 (nothing else may change), reglookup, regfexport,
# ntfscat (file bytes), ntfs-3g's ACL attribute (security descriptor), cmp
# (refusals, a second injection and undo leave the volume unchanged).
. "$TESTLIB"
need mkntfs ntfs-3g ntfscat ntfsls ntfsfix hivexsh hivexregedit reglookup regfexport getfattr setfattr python3 xz
. "$SOURCE_DIR/tests/drivers_fixture.sh"

drv=$TESTDATA/drivers
viostor=$drv/viostor-w10-amd64
judge() { python3 "$SOURCE_DIR/tests/regdiff.py" "$@"; }
# export_hive IMG NAME OUT: the hive as hivexregedit exports it, read with ntfscat.
export_hive() { ntfscat "$1" "Windows/System32/config/$2" >"$SCRATCH/hive.tmp" && hivexregedit --export "$SCRATCH/hive.tmp" '\' >"$3"; }

# --- Windows 10 x64: DriverDatabase -------------------------------------------
xz -dc "$TESTDATA/hives/SYSTEM_2.xz" >"$SCRATCH/SYSTEM_2"
make_software_hive "$SCRATCH/SOFTWARE_10" 10 0 19045 6.3
make_windows_volume "$SCRATCH/w10.img" "$SCRATCH/SYSTEM_2" "$SCRATCH/SOFTWARE_10" amd64
export_hive "$SCRATCH/w10.img" SYSTEM "$SCRATCH/sys0.reg"
export_hive "$SCRATCH/w10.img" SOFTWARE "$SCRATCH/sw0.reg"
cp "$SCRATCH/w10.img" "$SCRATCH/w10.orig"

out=$("$LIFEBOAT" win inject "$SCRATCH/w10.img" "$viostor" 2>"$SCRATCH/err")
echo "$out"
check "inject into Windows 10 succeeds" test -n "$out"
check "unsigned boot driver is warned about" grep -q 'viostor.sys has no embedded signature' "$SCRATCH/err"

label=viostor.inf_amd64_$(sha256sum "$viostor/viostor.inf" | cut -c1-16)
viostor_w10_table >"$SCRATCH/w10.table"
export_hive "$SCRATCH/w10.img" SYSTEM "$SCRATCH/sys1.reg"
check "SYSTEM export diff is exactly the spec table (DriverDatabase)" judge "$SCRATCH/sys0.reg" "$SCRATCH/sys1.reg" "$SCRATCH/w10.table"
printf '+val\tMicrosoft\\Windows\\CurrentVersion\tDevicePath\texpand\t%s\n-val\tMicrosoft\\Windows\\CurrentVersion\tDevicePath\texpand\t%s\n' \
	'%SystemRoot%\inf;%SystemRoot%\Lifeboat\Drivers\viostor' '%SystemRoot%\inf' >"$SCRATCH/sw.table"
export_hive "$SCRATCH/w10.img" SOFTWARE "$SCRATCH/sw1.reg"
check "SOFTWARE: only DevicePath gains the staging folder" judge "$SCRATCH/sw0.reg" "$SCRATCH/sw1.reg" "$SCRATCH/sw.table"

ntfscat "$SCRATCH/w10.img" Windows/System32/config/SYSTEM >"$SCRATCH/SYSTEM.after"
rl=$(reglookup -p /ControlSet001/Services/viostor "$SCRATCH/SYSTEM.after")
check_eq "reglookup: Services\\viostor values" \
	"Type,DWORD,0x00000001 Start,DWORD,0x00000000 ErrorControl,DWORD,0x00000001 Group,SZ,SCSI miniport ImagePath,EXPAND_SZ,system32\\drivers\\viostor.sys" \
	"$(grep -E "^/ControlSet001/Services/viostor/[A-Za-z]+,(DWORD|SZ|EXPAND_SZ)," <<<"$rl" | sed 's|^/ControlSet001/Services/viostor/||; s/,$//' | tr '\n' ' ' | sed 's/ $//')"
rf=$(regfexport -K "DriverDatabase\\DeviceIds\\PCI\\VEN_1AF4&DEV_1042" "$SCRATCH/SYSTEM.after")
check "regfexport: DeviceIds value viostor.inf = 01 ff 00 00" grep -q '^00000000: 01 ff 00 00' <<<"$rf"
check "regfexport: REG_BINARY" grep -q 'REG_BINARY' <<<"$rf"
check "hive sequence numbers equal after commit" python3 -c "
import struct,sys; d=open(sys.argv[1],'rb').read(12); a,b=struct.unpack('<II',d[4:12]); sys.exit(a!=b)" "$SCRATCH/SYSTEM.after"

ntfscat "$SCRATCH/w10.img" Windows/System32/drivers/viostor.sys >"$SCRATCH/viostor.sys.read"
check "ntfscat: System32\\drivers\\viostor.sys is byte-identical" cmp "$SCRATCH/viostor.sys.read" "$viostor/viostor.sys"
check_eq "viostor.sys has disk.sys's security descriptor" "$SIBLING_SD_HEX" "$(ntfs_sd "$SCRATCH/w10.img" Windows/System32/drivers/viostor.sys)"
for f in viostor.inf viostor.cat viostor.sys; do
	ntfscat "$SCRATCH/w10.img" "Windows/Lifeboat/Drivers/viostor/$f" >"$SCRATCH/staged"
	check "staged $f is byte-identical" cmp "$SCRATCH/staged" "$viostor/$f"
done
ntfscat "$SCRATCH/w10.img" Windows/Lifeboat/firstboot.d/drivers-viostor.cmd >"$SCRATCH/fb.cmd"
check "first boot: pnputil installs the staged INF" grep -q 'pnputil.exe -i -a "%SystemRoot%\\Lifeboat\\Drivers\\viostor\\viostor.inf"' "$SCRATCH/fb.cmd"
check "first boot: the synthetic DriverDatabase label is removed after" grep -q "reg delete \"HKLM\\\\SYSTEM\\\\DriverDatabase\\\\DriverPackages\\\\$label\" /f" "$SCRATCH/fb.cmd"

reinject_then_undo "$SCRATCH/w10.img" "$viostor"
check_eq "ntfsls: undo removed the copied viostor.sys, disk.sys stays" "disk.sys" \
	"$(ntfsls "$SCRATCH/w10.img" -p /Windows/System32/drivers | grep -vx '\.\|\.\.' | sort | tr '\n' ' ' | sed 's/ $//')"
check_eq "ntfscat: viostor.sys is gone" "" "$(ntfscat "$SCRATCH/w10.img" Windows/System32/drivers/viostor.sys 2>/dev/null || true)"
check_eq "ntfsls: the staged package folder and the first-boot files are gone (the journal stays)" "journal" \
	"$(ntfsls "$SCRATCH/w10.img" -p /Windows/Lifeboat | grep -vx '\.\|\.\.' | sort | tr '\n' ' ' | sed 's/ $//')"
check "ntfsfix -n: the volume is consistent after undo" ntfsfix -n "$SCRATCH/w10.img"

# --- refusals: each one a clear line, the volume byte-for-byte unchanged -----
cp "$SCRATCH/w10.orig" "$SCRATCH/w10.img"
sum=$(sha256sum <"$SCRATCH/w10.img")
expect_fail "ARM64 package on x64 is refused" 1 'netkvm.inf: no Models section for Windows 10.0 \(build 19045\) amd64: the INF offers NTARM64.10.0, built for another architecture' \
	"$LIFEBOAT" win inject "$SCRATCH/w10.img" "$drv/netkvm-w10-arm64"
mkdir -p "$SCRATCH/bad" "$SCRATCH/nosys"
printf '[Version]\nSignature="$Windows NT$"\n[Manufacturer]\nM=M,NTamd64\n[M.NTamd64]\nd = "unterminated, PCI\\VEN_1\n' >"$SCRATCH/bad/bad.inf"
expect_fail "malformed INF is refused with file:line" 1 '^lifeboat: bad.inf:6: unterminated quoted string$' \
	"$LIFEBOAT" win inject "$SCRATCH/w10.img" "$SCRATCH/bad"
cp "$viostor/viostor.inf" "$viostor/viostor.cat" "$SCRATCH/nosys/"
expect_fail "missing .sys is refused" 1 'viostor.inf: viostor.sys is missing from the package' \
	"$LIFEBOAT" win inject "$SCRATCH/w10.img" "$SCRATCH/nosys"
mkdir -p "$SCRATCH/x86sys"
cp "$viostor"/* "$SCRATCH/x86sys/" && chmod u+w "$SCRATCH/x86sys/viostor.sys"
printf '\x4c\x01' | dd of="$SCRATCH/x86sys/viostor.sys" bs=1 seek=$((0x84)) conv=notrunc status=none
expect_fail "a .sys of the wrong machine type is refused" 1 'viostor.sys is built for i386, this Windows is amd64' \
	"$LIFEBOAT" win inject "$SCRATCH/w10.img" "$SCRATCH/x86sys"
check_eq "refusals left the Windows 10 volume unchanged" "$sum" "$(sha256sum <"$SCRATCH/w10.img")"

# --- Windows 7: CriticalDeviceDatabase ------------------------------------------
xz -dc "$TESTDATA/hives/SYSTEM.xz" >"$SCRATCH/SYSTEM_7"
make_software_hive "$SCRATCH/SOFTWARE_7" 6 1 7601 6.1
make_windows_volume "$SCRATCH/w7x64.img" "$SCRATCH/SYSTEM_7" "$SCRATCH/SOFTWARE_7" amd64
sum=$(sha256sum <"$SCRATCH/w7x64.img")
expect_fail "an NTamd64.6.3-only INF is refused on Windows 7" 1 'no Models section for Windows 6.1 \(build 7601\) amd64: the INF offers NTamd64.6.3, made for a newer Windows' \
	"$LIFEBOAT" win inject "$SCRATCH/w7x64.img" "$viostor"
check_eq "the refusal left the Windows 7 volume unchanged" "$sum" "$(sha256sum <"$SCRATCH/w7x64.img")"

# The 32-bit Windows 7 of SYSTEM gets viostor built for it: Models NTx86.6.1, an i386 .sys.
w7pkg=$SCRATCH/viostor-w7-x86
mkdir -p "$w7pkg"
sed 's/NTamd64\.6\.3/NTx86.6.1/g' "$viostor/viostor.inf" >"$w7pkg/viostor.inf"
cp "$SCRATCH/x86sys/viostor.sys" "$viostor/viostor.cat" "$w7pkg/"
make_windows_volume "$SCRATCH/w7.img" "$SCRATCH/SYSTEM_7" "$SCRATCH/SOFTWARE_7" x86
export_hive "$SCRATCH/w7.img" SYSTEM "$SCRATCH/w7sys0.reg"
"$LIFEBOAT" win inject "$SCRATCH/w7.img" "$w7pkg" >"$SCRATCH/w7.out" 2>"$SCRATCH/w7.err"
check "inject into Windows 7 x86 succeeds" test -s "$SCRATCH/w7.out"
check "no signature warning for 32-bit Windows" bash -c "! grep -q signature '$SCRATCH/w7.err'"
{
	for set in ControlSet001 ControlSet002; do
		s="$set\\Services\\viostor" e="$set\\Services\\EventLog\\System\\viostor"
		printf '+key\t%s\n' "$s" "$s\\Parameters" "$s\\Parameters\\PnpInterface" "$e"
		printf '+val\t%s\t%s\t%s\t%s\n' "$s" Type dword 1 "$s" Start dword 0 "$s" ErrorControl dword 1 \
			"$s" Group sz 'SCSI miniport' "$s" ImagePath expand 'system32\drivers\viostor.sys' \
			"$s\\Parameters" BusType dword 1 "$s\\Parameters\\PnpInterface" 5 dword 1 \
			"$e" EventMessageFile expand '%SystemRoot%\System32\IoLogMsg.dll' "$e" TypesSupported dword 7
		for id in 'VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00' 'VEN_1AF4&DEV_1001' 'VEN_1AF4&DEV_1042&SUBSYS_11001AF4&REV_01' 'VEN_1AF4&DEV_1042'; do
			k="$set\\Control\\CriticalDeviceDatabase\\PCI#$id"
			printf '+key\t%s\n' "$k"
			printf '+val\t%s\t%s\t%s\t%s\n' "$k" Service sz viostor "$k" ClassGUID sz '{4D36E97B-E325-11CE-BFC1-08002BE10318}'
		done
	done
	printf '%s\t%s\t%s\t%s\t%s\n' +val Setup SetupType dword 2 -val Setup SetupType dword 0 \
		+val Setup CmdLine sz 'cmd.exe /c %SystemRoot%\Lifeboat\firstboot.cmd' -val Setup CmdLine sz ''
} >"$SCRATCH/w7.table"
export_hive "$SCRATCH/w7.img" SYSTEM "$SCRATCH/w7sys1.reg"
check "Windows 7 SYSTEM diff is exactly the spec table (CriticalDeviceDatabase, no DriverDatabase)" \
	judge "$SCRATCH/w7sys0.reg" "$SCRATCH/w7sys1.reg" "$SCRATCH/w7.table"
ntfscat "$SCRATCH/w7.img" Windows/System32/config/SYSTEM >"$SCRATCH/SYSTEM7.after"
check_eq "reglookup: CDB key of the modern virtio ID" "Service,SZ,viostor ClassGUID,SZ,{4D36E97B-E325-11CE-BFC1-08002BE10318}" \
	"$(reglookup -p '/ControlSet001/Control/CriticalDeviceDatabase/PCI#VEN_1AF4&DEV_1042' "$SCRATCH/SYSTEM7.after" | grep -E '/(Service|ClassGUID),' | sed 's|.*/||; s/,$//' | tr '\n' ' ' | sed 's/ $//')"
ntfscat "$SCRATCH/w7.img" Windows/System32/drivers/viostor.sys >"$SCRATCH/viostor7.read"
check "Windows 7: viostor.sys byte-identical" cmp "$SCRATCH/viostor7.read" "$w7pkg/viostor.sys"
check_eq "Windows 7: viostor.sys has the sibling's descriptor" "$SIBLING_SD_HEX" "$(ntfs_sd "$SCRATCH/w7.img" Windows/System32/drivers/viostor.sys)"
ntfscat "$SCRATCH/w7.img" Windows/Lifeboat/firstboot.d/drivers-viostor.cmd >"$SCRATCH/fb7.cmd"
check "Windows 7 first boot has no DriverDatabase cleanup" bash -c "! grep -q DriverDatabase '$SCRATCH/fb7.cmd'"

finish
