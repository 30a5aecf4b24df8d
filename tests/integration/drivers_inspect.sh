# `lifeboat drivers inspect` on the real driver packages of the shared test
# data: text and JSON facts checked against the INF text itself, identical
# results for a UTF-16LE copy (made with iconv), one-line file:line errors.
. "$TESTLIB"
need iconv python3

drv=$TESTDATA/drivers
json=$("$LIFEBOAT" drivers inspect "$drv/viostor-w10-amd64" --json)
# field EXPR: evaluates a Python expression over the parsed JSON (p = first package).
field() { python3 -c "import json,sys; p=json.load(sys.stdin)['packages'][0]; print($1)" <<<"$json"; }

check_eq "class" "SCSIAdapter" "$(field "p['class']")"
check_eq "provider from %VENDOR%" "Red Hat, Inc." "$(field "p['provider']")"
check_eq "DriverVer date" "2021-08-30" "$(field "p['date']")"
check_eq "DriverVer version" "$(tr -d '\r' <"$drv/viostor-w10-amd64/viostor.inf" | sed -n 's/^DriverVer *= *[^,]*,//p')" "$(field "p['version']")"
check_eq "catalog" "viostor.cat" "$(field "p['catalog']")"
check_eq "boot-critical" "True" "$(field "p['boot_critical']")"
check_eq "Models decoration" "NTamd64.6.3 amd64 6.3" "$(field "' '.join([p['models'][0][k] for k in ('decoration','arch','min_version')])")"
check_eq "hardware IDs, as in the INF" "$(grep -o 'PCI\\VEN_1AF4&DEV_10[0-9][0-9]&SUBSYS_[0-9A-F]*&REV_0[01]' "$drv/viostor-w10-amd64/viostor.inf" | sort -u | tr '\n' ' ')" \
	"$(field "' '.join(sorted(d['hardware_id'] for d in p['models'][0]['devices']))+' '")"
check_eq "service" "viostor 1 0 1 SCSI miniport system32\\drivers\\viostor.sys" \
	"$(field "' '.join(str(p['installs'][0]['services'][0][k]) for k in ('name','type','start','error_control','group','image_path'))")"
check_eq "file and its destination" "viostor.sys %SystemRoot%\\system32\\drivers\\viostor.sys PE x86-64, no embedded signature" \
	"$(field "' '.join(p['installs'][0]['files'][0][k] for k in ('name','destination','binary'))")"

text=$("$LIFEBOAT" drivers inspect "$drv/netkvm-w10-arm64/netkvm.inf")
check "netkvm: ARM64 Models" grep -q 'Models \[NetKVM.NTARM64.10.0\] of Parallels International GmbH: arch arm64, Windows 10.0 or later' <<<"$text"
check "netkvm: not boot-critical" grep -q '^  boot-critical: no$' <<<"$text"
check "netkvm: ARM64 binary" grep -q 'PE ARM64' <<<"$text"
text=$("$LIFEBOAT" drivers inspect "$drv/wdk-samples")
check "folder: three packages" test "$(grep -c '^/' <<<"$text")" = 3
check "diskdev: install resolved to disk.NT" grep -q 'Install \[disk\] for amd64: section \[disk.NT\]' <<<"$text"
check "diskdev: source under SourceDisksNames.amd64 path" grep -q 'file amd64/disk.sys' <<<"$text"
check "toastpkg: build decoration" grep -q 'build 16299 or later' <<<"$text"
check "lsi_u3: template arch shown as unknown" grep -q 'Models \[LSI.NT\$ARCH\$\] of LSI: arch unknown' <<<"$text"

# The same packages converted to UTF-16LE with a BOM inspect identically.
for inf in viostor-w10-amd64/viostor.inf netkvm-w10-arm64/netkvm.inf wdk-samples/toastpkg.inf wdk-samples/lsi_u3.inf wdk-samples/diskdev.inf; do
	mkdir -p "$SCRATCH/wide/$(dirname "$inf")"
	{ printf '\xff\xfe'; iconv -f WINDOWS-1252 -t UTF-16LE "$drv/$inf"; } >"$SCRATCH/wide/$inf"
	cp "$drv/$(dirname "$inf")"/*.sys "$SCRATCH/wide/$(dirname "$inf")/" 2>/dev/null || true
	a=$("$LIFEBOAT" drivers inspect "$drv/$inf" --json | sed "s|$drv/||")
	b=$("$LIFEBOAT" drivers inspect "$SCRATCH/wide/$inf" --json | sed "s|$SCRATCH/wide/||")
	check_eq "UTF-16LE $inf inspects identically" "$a" "$b"
done

printf '[Version]\nSignature="$Windows NT$"\nClass=SCSIAdapter\n[Manufacturer]\n%%M%%=M,NTamd64\n[M.NTamd64]\n"bad = x, PCI\\VEN_1\n' >"$SCRATCH/broken.inf"
expect_fail "malformed INF: file:line" 1 '^lifeboat: broken.inf:7: unterminated quoted string$' "$LIFEBOAT" drivers inspect "$SCRATCH/broken.inf"
printf '[Version]\nSignature="$Windows NT$"\n[Manufacturer]\nM=M,NTamd64\n[M.NTamd64]\nd = missing_inst, PCI\\VEN_1\n' >"$SCRATCH/noinst.inf"
expect_fail "missing install section" 1 'noinst.inf: install section \[missing_inst\] does not exist' "$LIFEBOAT" drivers inspect "$SCRATCH/noinst.inf"
printf '[Strings]\nx=1\n' >"$SCRATCH/noversion.inf"
expect_fail "no [Version]" 1 'noversion.inf: no \[Version\] section' "$LIFEBOAT" drivers inspect "$SCRATCH/noversion.inf"
mkdir "$SCRATCH/empty"
expect_fail "folder without INF" 1 'no .inf file in this folder' "$LIFEBOAT" drivers inspect "$SCRATCH/empty"
expect_fail "missing path" 1 'No such file or directory' "$LIFEBOAT" drivers inspect "$SCRATCH/nothing"
expect_fail "inspect without path" 2 'inspect needs a package folder' "$LIFEBOAT" drivers inspect

finish
