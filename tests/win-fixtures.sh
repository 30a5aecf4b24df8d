# Fixtures for the offline-Windows tests (sourced after $TESTLIB): real hives
# from $TESTDATA decompressed into $SCRATCH, synthetic hives built with
# hivexsh, and Windows volume layouts in directories and in sparse NTFS
# images made with mkntfs and filled through an ntfs-3g mount.

# hive NAME DEST: the real hive NAME from the shared test data.
hive() { xz -dc "$TESTDATA/hives/$1.xz" >"$2"; }

# fake_exe DEST MACHINE: a PE header with the given machine (0x014c, 0x8664).
fake_exe() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
d = bytearray(1024)
d[0:2] = b'MZ'
struct.pack_into('<I', d, 0x3c, 0x80)
d[0x80:0x84] = b'PE\0\0'
struct.pack_into('<H', d, 0x84, int(sys.argv[2], 0))
open(sys.argv[1], 'wb').write(d)
PY
}

# sid_hex A B C [RID]: a binary SID S-1-5-21-A-B-C[-RID] as hivexsh hex bytes.
sid_hex() {
	python3 - "$@" <<'PY'
import struct, sys
subs = [21] + [int(x) for x in sys.argv[1:]]
b = bytes([1, len(subs), 0, 0, 0, 0, 0, 5]) + b''.join(struct.pack('<I', s) for s in subs)
print(','.join('%02x' % x for x in b))
PY
}

# empty_hive DEST: a hive with an empty root, from a copy of the real BCD.
empty_hive() {
	hive BCD "$1"
	{
		for k in $(printf 'ls\n' | hivexsh "$1"); do printf 'cd %s\ndel\n' "$k"; done
		printf 'commit\n'
	} | hivexsh -w "$1" >/dev/null
}

# make_software DEST SID_A SID_B SID_C OLDNAME: a SOFTWARE hive with the
# CurrentVersion values of a Windows 10 x64, one local profile of the
# machine SID in ProfileList, and Winlogon naming the machine.
make_software() {
	local dest=$1 a=$2 b=$3 c=$4 old=$5
	empty_hive "$dest"
	hivexsh -w "$dest" >/dev/null <<EOS
add Microsoft
cd Microsoft
add Windows NT
cd Windows NT
add CurrentVersion
cd CurrentVersion
setval 8
ProductName
string:Windows 10 Pro
EditionID
string:Professional
InstallationType
string:Client
CurrentMajorVersionNumber
dword:10
CurrentMinorVersionNumber
dword:0
CurrentVersion
string:6.3
CurrentBuildNumber
string:19045
SystemRoot
string:C:\\Windows
add Winlogon
cd Winlogon
setval 2
DefaultDomainName
string:$old
DefaultUserName
string:alice
cd ..
add ProfileList
cd ProfileList
add S-1-5-21-$a-$b-$c-1001
cd S-1-5-21-$a-$b-$c-1001
setval 3
Sid
hex:3:$(sid_hex "$a" "$b" "$c" 1001)
ProfileImagePath
expandstring:C:\\Users\\alice
State
dword:0
commit
EOS
}

# make_user_hive DEST SID_A SID_B SID_C: an NTUSER.DAT-like hive holding the
# user's SID as text (SZ, MULTI_SZ, a key name) and in binary.
make_user_hive() {
	local dest=$1 a=$2 b=$3 c=$4
	local sid="S-1-5-21-$a-$b-$c-1001"
	empty_hive "$dest"
	hivexsh -w "$dest" >/dev/null <<EOS
add Software
cd Software
add Lifeboat Test
cd Lifeboat Test
setval 3
Owner
string:$sid
OwnerSid
hex:3:$(sid_hex "$a" "$b" "$c" 1001)
Rule
string:O:$sid G:$sid D:(A;;GA;;;$sid)
add $sid
cd $sid
add Inner
cd Inner
setval 1
Note
string:key named by the SID
commit
EOS
}

# windows_tree ROOT SYSTEM-HIVE: a Windows layout under ROOT (x64 cmd.exe,
# the given SYSTEM hive, SAM, SECURITY).
windows_tree() {
	local root=$1 system=$2
	mkdir -p "$root/Windows/System32/config"
	fake_exe "$root/Windows/System32/cmd.exe" 0x8664
	cp "$system" "$root/Windows/System32/config/SYSTEM"
	hive SAM "$root/Windows/System32/config/SAM"
	hive SECURITY "$root/Windows/System32/config/SECURITY"
}

# ntfs_image IMG SIZE: an empty NTFS file system in a sparse image file.
ntfs_image() {
	truncate -s "$2" "$1"
	mkntfs -q -F -f "$1" >/dev/null 2>&1
}

# ntfs_fill IMG SRC-DIR: copies a directory tree into the NTFS image through
# an ntfs-3g mount (the test may mount; Lifeboat never does).
ntfs_fill() {
	local mnt="$SCRATCH/mnt.$$"
	mkdir -p "$mnt"
	ntfs-3g "$1" "$mnt"
	cp -r "$2"/. "$mnt"/
	umount "$mnt"
}

# ntfs_get IMG PATH DEST: copies a file out of the image with ntfscat.
ntfs_get() { ntfscat "$1" "$2" >"$3"; }

# export_hive HIVE: the full hivexregedit export, for golden diffs.
export_hive() { hivexregedit --export "$1" '\'; }

# hive_seq HIVE: "seq1 seq2" of the base block.
hive_seq() { od -An -tu4 -j4 -N8 "$1" | awk '{print $1, $2}'; }

# changed_values OLD.reg NEW.reg: the value names whose lines differ, sorted.
changed_values() { { diff "$1" "$2" || true; } | grep '^>' | sed 's/=.*//' | sort | tr '\n' ' ' | sed 's/ $//'; }

# regf_reads HIVE: libregf (regfexport) reads every key without error.
regf_reads() { regfexport "$1" >"$SCRATCH/regfexport.out" 2>&1 && ! grep -q '^Unable to' "$SCRATCH/regfexport.out"; }
