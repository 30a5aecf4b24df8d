# lifeboat-build verify on the media lifeboat-build makes: the ISO (mbr
# and debian layouts) and the USB stick image each report the firmware's
# entry file, the signers of shim, GRUB and the kernel (compared with what
# sbverify says of Debian's packages), SBAT lines, and the files GRUB and
# isolinux/syslinux load. A stick whose GRUB lost its signature (sbattach)
# is reported unsigned, one whose .sbat says grub,3 revoked, one with a
# changed byte INVALID (hash mismatch), each with exit status 1; a file
# that is no medium is refused. Signatures are checked against Microsoft's
# UEFI CA (shim) and the vendor certificate in shim (GRUB, MokManager, kernel).
. "$TESTLIB"
. "$SOURCE_DIR/tests/builder_fixtures.sh"
need xorriso mcopy sbverify sbattach python3
BUILD="$BUILD_DIR/builder/lifeboat-build"
"$BUILD" initramfs -o "$SCRATCH/initrd" 2>/dev/null
shim_signer=$(sbverify --list /usr/lib/shim/shimx64.efi.signed | awk '/subject:/{sub(/.*subject: /,""); print; exit}')
grub_signer=$(sbverify --list /usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed | awk '/subject:/{sub(/.*subject: /,""); print; exit}')

chain_checks() {
	local what=$1 out=$2 entry=$3 first_cfg=$4 bios=$5
	check "$what: firmware starts $entry" grep -qi "1. shim $entry\$" <<<"$out"
	check "$what: shim signed by $shim_signer" grep -qF "signed by $shim_signer" <<<"$out"
	check "$what: shim's SBAT" grep -q 'SBAT: shim,4,' <<<"$out"
	check "$what: GRUB signed by $grub_signer" grep -qF "signed by $grub_signer" <<<"$out"
	check "$what: GRUB's SBAT" grep -q 'SBAT: grub,5,' <<<"$out"
	check "$what: GRUB reads $first_cfg and finds the medium by its tag" \
		grep -q "reads $first_cfg (EFI partition): finds the medium by /.disk/id/.* (present)" <<<"$out"
	check "$what: the menu boots kernel and initramfs" grep -q 'boots /live/vmlinuz with /live/initrd' <<<"$out"
	check "$what: kernel signed by Debian" grep -q 'signed by /CN=Debian Secure Boot Signer 2022 - linux' <<<"$out"
	check "$what: initramfs hash" grep -q "loads /live/initrd (SHA-256 $(sha256sum <"$SCRATCH/initrd" | cut -c1-64)" <<<"$out"
	check "$what: BIOS side ($bios)" grep -q "BIOS: $bios reads .* and boots /live/vmlinuz with /live/initrd" <<<"$out"
	check "$what: shim verifies against Microsoft's CA" grep -q 'signature verifies against Microsoft Corporation UEFI CA 2011' <<<"$out"
	check "$what: GRUB and kernel verify against shim's Debian CA" \
		test "$(grep -c "signature verifies against Debian Secure Boot CA (shim's vendor certificate)" <<<"$out")" -eq 3
	check "$what: result" grep -q 'result: every EFI binary is signed and meets the SBAT level' <<<"$out"
}

for layout in mbr debian; do
	"$BUILD" iso --initrd "$SCRATCH/initrd" --layout $layout -o "$SCRATCH/$layout.iso" 2>/dev/null
	out=$("$BUILD" verify "$SCRATCH/$layout.iso" 2>&1) && rc=0 || rc=$?
	check_eq "ISO ($layout): verify exits 0" 0 "$rc"
	chain_checks "ISO ($layout)" "$out" /EFI/BOOT/BOOTX64.EFI /boot/grub/grub.cfg isolinux
done

"$BUILD" usb --initrd "$SCRATCH/initrd" --size 96M -o "$SCRATCH/stick.img" 2>/dev/null
out=$("$BUILD" verify "$SCRATCH/stick.img" 2>&1) && rc=0 || rc=$?
check_eq "stick: verify exits 0" 0 "$rc"
grub_signer=$(sbverify --list /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed | awk '/subject:/{sub(/.*subject: /,""); print; exit}')
chain_checks "stick" "$out" /EFI/BOOT/BOOTX64.EFI /EFI/debian/grub.cfg syslinux

cp /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed "$SCRATCH/grubx64.efi"
sbattach --remove "$SCRATCH/grubx64.efi" 2>/dev/null
mcopy -o -i "$SCRATCH/stick.img@@1M" "$SCRATCH/grubx64.efi" ::/EFI/BOOT/grubx64.efi
"$BUILD" verify "$SCRATCH/stick.img" >"$SCRATCH/bad.out" 2>"$SCRATCH/bad.err" && rc=0 || rc=$?
check_eq "stick with an unsigned GRUB: exit 1" 1 "$rc"
check "the unsigned GRUB is named" grep -q unsigned <<<"$(grep -A1 '2. GRUB' "$SCRATCH/bad.out")"
check "one error line" grep -qx 'lifeboat-build: .*stick.img: 1 problem in the boot chain (marked above)' "$SCRATCH/bad.err"

patch_bytes /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed "$SCRATCH/grubx64.efi" "grub,5,Free" "grub,3,Free"
mcopy -o -i "$SCRATCH/stick.img@@1M" "$SCRATCH/grubx64.efi" ::/EFI/BOOT/grubx64.efi
"$BUILD" verify "$SCRATCH/stick.img" >"$SCRATCH/old.out" 2>/dev/null && rc=0 || rc=$?
check_eq "stick with a GRUB below the SBAT level: exit 1" 1 "$rc"
check "the revoked generation is named" grep -q 'REVOKED: .*SBAT generation grub,3 is revoked' "$SCRATCH/old.out"

patch_bytes /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed "$SCRATCH/grubx64.efi" "Welcome to GRUB" "Welcome to GRUX"
mcopy -o -i "$SCRATCH/stick.img@@1M" "$SCRATCH/grubx64.efi" ::/EFI/BOOT/grubx64.efi
"$BUILD" verify "$SCRATCH/stick.img" >"$SCRATCH/tampered.out" 2>/dev/null && rc=0 || rc=$?
check_eq "stick with a tampered GRUB: exit 1" 1 "$rc"
check "the tampered GRUB's signature is INVALID" grep -q 'INVALID: its signature does not verify against Debian Secure Boot CA.*Image fails hash check' "$SCRATCH/tampered.out"

head -c 1M /dev/zero >"$SCRATCH/blank.img"
expect_fail "not a medium" 1 "blank.img: no Lifeboat medium" "$BUILD" verify "$SCRATCH/blank.img"
expect_fail "missing file" 1 "nothing.iso: No such file" "$BUILD" verify "$SCRATCH/nothing.iso"
finish
