# Fixtures for the driver-injection tests (sourced, not a test): offline
# Windows volumes on real NTFS made with mkntfs and filled through ntfs-3g.
#   make_software_hive OUT MAJOR MINOR BUILD VERSION-STRING
#   make_windows_volume IMG SYSTEM-HIVE SOFTWARE-HIVE ARCH(amd64|x86)
# System32\drivers\disk.sys gets a distinctive security descriptor
# ($SIBLING_SD_HEX) that injected files must copy.

# O:SYG:SYD:(A;;0x1200a9;;;SY) — self-relative, owner/group SYSTEM, one ACE.
SIBLING_SD_HEX=01000480300000003c000000000000001400000002001c000100000000001400a9001200010100000000000512000000010100000000000512000000010100000000000512000000

make_software_hive() {
	local out=$1 major=$2 minor=$3 build=$4 version=$5
	xz -dc "$TESTDATA/hives/SECURITY.xz" >"$out"
	# Windows 10 and later also have the DWORD version numbers.
	local major_line="" minor_line="" n=2
	if [ "$major" -ge 10 ]; then
		major_line=$(printf 'CurrentMajorVersionNumber\ndword:0x%08x' "$major")
		minor_line=$(printf 'CurrentMinorVersionNumber\ndword:0x%08x' "$minor")
		n=4
	fi
	hivexsh -w "$out" >/dev/null <<-HIVEX
	cd Cache
	del
	cd Policy
	del
	cd RXACT
	del
	add Microsoft
	cd Microsoft
	add Windows NT
	add Windows
	cd Windows NT
	add CurrentVersion
	cd CurrentVersion
	setval $n
	CurrentBuildNumber
	string:$build
	CurrentVersion
	string:$version
	$major_line
	$minor_line
	cd ..
	cd ..
	cd Windows
	add CurrentVersion
	cd CurrentVersion
	setval 1
	DevicePath
	expandstring:%SystemRoot%\\inf
	commit
	HIVEX
}

# A PE stand-in for cmd.exe with the machine type of arch.
make_cmd_exe() {
	local out=$1 arch=$2
	cp "$TESTDATA/drivers/viostor-w10-amd64/viostor.sys" "$out"
	chmod u+w "$out"
	[ "$arch" = x86 ] && printf '\x4c\x01' | dd of="$out" bs=1 seek=$((0x84)) conv=notrunc status=none
	return 0
}

make_windows_volume() {
	local img=$1 system=$2 software=$3 arch=$4 mnt
	mnt=$(mktemp -d "$SCRATCH/mnt.XXXXXX")
	truncate -s 40M "$img"
	mkntfs -F -q -Q -L Windows "$img" >/dev/null 2>&1
	ntfs-3g "$img" "$mnt"
	mkdir -p "$mnt/Windows/System32/config" "$mnt/Windows/System32/drivers"
	cp "$system" "$mnt/Windows/System32/config/SYSTEM"
	cp "$software" "$mnt/Windows/System32/config/SOFTWARE"
	make_cmd_exe "$mnt/Windows/System32/cmd.exe" "$arch"
	head -c 5000 /dev/urandom >"$mnt/Windows/System32/drivers/disk.sys"
	setfattr -n system.ntfs_acl -v "0x$SIBLING_SD_HEX" "$mnt/Windows/System32/drivers/disk.sys"
	fusermount -u "$mnt" 2>/dev/null || umount "$mnt"
	rmdir "$mnt"
}

# ntfs_sd IMG PATH: the security descriptor of a file as ntfs-3g reads it (hex).
ntfs_sd() {
	local mnt out
	mnt=$(mktemp -d "$SCRATCH/mnt.XXXXXX")
	ntfs-3g -o ro "$1" "$mnt"
	out=$(getfattr -e hex -n system.ntfs_acl --only-values "$mnt/$2" 2>/dev/null | xxd -p | tr -d '\n')
	fusermount -u "$mnt" 2>/dev/null || umount "$mnt"
	rmdir "$mnt"
	echo "$out"
}

# add_driver_files IMG NAME...: stand-in System32\drivers\NAME.sys files, so
# the services of the hive that M.I.R. checks have their binaries.
add_driver_files() {
	local img=$1 mnt f
	shift
	mnt=$(mktemp -d "$SCRATCH/mnt.XXXXXX")
	ntfs-3g "$img" "$mnt"
	for f in "$@"; do head -c 512 /dev/urandom >"$mnt/Windows/System32/drivers/$f.sys"; done
	fusermount -u "$mnt" 2>/dev/null || umount "$mnt"
	rmdir "$mnt"
}

# viostor_w10_table [INF]: the change table (regdiff.py) of viostor (or INF) injected into a
# Windows 10 SYSTEM with one control set — windows-offline.md §2.1: the
# Services key with the INF's AddReg and event-log AddReg, the DriverDatabase
# entries under name.inf_amd64_<first 16 hex of the INF's SHA-256> with the
# Version blob, and Setup armed for the first-boot pnputil.
viostor_w10_table() {
	local inf=${1:-$TESTDATA/drivers/viostor-w10-amd64/viostor.inf} label version svc ddb id
	label=viostor.inf_amd64_$(sha256sum "$inf" | cut -c1-16)
	# Version blob: 00 ff 09 00 00*4 | SCSIAdapter GUID | FILETIME 2021-08-30 | 100.85.104.20800 | 00*8
	version=$(python3 -c "
import datetime,struct,uuid
ft=int((datetime.datetime(2021,8,30)-datetime.datetime(1601,1,1)).total_seconds())*10**7
ver=100<<48|85<<32|104<<16|20800
print((bytes.fromhex('00ff090000000000')+uuid.UUID('4D36E97B-E325-11CE-BFC1-08002BE10318').bytes_le+struct.pack('<QQ',ft,ver)+bytes(8)).hex())")
	svc='ControlSet001\Services\viostor'
	printf '+key\t%s\n' "$svc" "$svc\\Parameters" "$svc\\Parameters\\PnpInterface" 'ControlSet001\Services\EventLog\System\viostor'
	printf '+val\t%s\t%s\t%s\t%s\n' \
		"$svc" Type dword 1 "$svc" Start dword 0 "$svc" ErrorControl dword 1 \
		"$svc" Group sz 'SCSI miniport' "$svc" ImagePath expand 'system32\drivers\viostor.sys' \
		"$svc\\Parameters" BusType dword 1 "$svc\\Parameters\\PnpInterface" 5 dword 1 \
		'ControlSet001\Services\EventLog\System\viostor' EventMessageFile expand '%SystemRoot%\System32\IoLogMsg.dll' \
		'ControlSet001\Services\EventLog\System\viostor' TypesSupported dword 7
	ddb=DriverDatabase
	printf '+key\t%s\n' "$ddb\\DriverInfFiles\\viostor.inf" "$ddb\\DriverPackages\\$label" \
		"$ddb\\DriverPackages\\$label\\Configurations" "$ddb\\DriverPackages\\$label\\Configurations\\scsi_inst" \
		"$ddb\\DriverPackages\\$label\\Descriptors" "$ddb\\DriverPackages\\$label\\Descriptors\\PCI"
	printf '+val\t%s\t%s\t%s\t%s\n' \
		"$ddb\\DriverInfFiles\\viostor.inf" @ multi "$label" \
		"$ddb\\DriverInfFiles\\viostor.inf" Active sz "$label" \
		"$ddb\\DriverInfFiles\\viostor.inf" Configurations multi scsi_inst \
		"$ddb\\DriverPackages\\$label" Version binary "$version" \
		"$ddb\\DriverPackages\\$label\\Configurations\\scsi_inst" ConfigFlags dword 0 \
		"$ddb\\DriverPackages\\$label\\Configurations\\scsi_inst" Service sz viostor
	for id in 'VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00' 'VEN_1AF4&DEV_1001' 'VEN_1AF4&DEV_1042&SUBSYS_11001AF4&REV_01' 'VEN_1AF4&DEV_1042'; do
		printf '+key\t%s\n' "$ddb\\DeviceIds\\PCI\\$id" "$ddb\\DriverPackages\\$label\\Descriptors\\PCI\\$id"
		printf '+val\t%s\t%s\t%s\t%s\n' "$ddb\\DeviceIds\\PCI\\$id" viostor.inf binary 01ff0000 \
			"$ddb\\DriverPackages\\$label\\Descriptors\\PCI\\$id" Configuration sz scsi_inst
	done
	printf '%s\t%s\t%s\t%s\t%s\n' +val Setup SetupType dword 2 -val Setup SetupType dword 0 \
		+val Setup CmdLine sz 'cmd.exe /c %SystemRoot%\Lifeboat\firstboot.cmd' -val Setup CmdLine sz ''
}

# put_file IMG SRC PATH: copies a host file to PATH on the NTFS image (parents made).
put_file() {
	local mnt
	mnt=$(mktemp -d "$SCRATCH/mnt.XXXXXX")
	ntfs-3g "$1" "$mnt"
	mkdir -p "$mnt/$(dirname "$3")"
	cp "$2" "$mnt/$3"
	fusermount -u "$mnt" 2>/dev/null || umount "$mnt"
	rmdir "$mnt"
}

# reinject_then_undo IMG PKG: a second injection of PKG changes nothing, then
# undo brings SYSTEM and SOFTWARE back to $SCRATCH/sys0.reg and sw0.reg
# (hivexregedit exports taken before the first injection).
reinject_then_undo() {
	local img=$1 pkg=$2 out hive lower
	cp "$img" "$SCRATCH/once.img"
	out=$("$LIFEBOAT" win inject "$img" "$pkg" 2>/dev/null)
	check_eq "second injection has nothing to do" "nothing to change: the packages are already injected" "$out"
	check "second injection leaves the volume byte-identical" cmp "$img" "$SCRATCH/once.img"
	"$LIFEBOAT" win undo "$img" >/dev/null
	for hive in SYSTEM SOFTWARE; do
		lower=$([ $hive = SYSTEM ] && echo sys || echo sw)
		ntfscat "$img" "Windows/System32/config/$hive" >"$SCRATCH/undone.hive"
		hivexregedit --export "$SCRATCH/undone.hive" '\' >"$SCRATCH/${lower}.undone.reg"
		check "undo restores $hive exactly" cmp "$SCRATCH/${lower}0.reg" "$SCRATCH/${lower}.undone.reg"
	done
}
