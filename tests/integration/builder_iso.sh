# lifeboat-build iso: the hybrid ISO's El Torito entries, partition tables
# (sfdisk, sgdisk), EFI partition content (mtools) and signatures
# (sbverify), the unique tag file GRUB searches, the three layouts, the
# same bytes for the same SOURCE_DATE_EPOCH, and the trust checks: unsigned
# or missing EFI binaries fail the build and nothing is written.
. "$TESTLIB"
. "$SOURCE_DIR/tests/builder_fixtures.sh"
need xorriso sfdisk sgdisk mdir mcopy sbverify sbattach
BUILD="$BUILD_DIR/builder/lifeboat-build"
export SOURCE_DATE_EPOCH=1700000000

"$BUILD" initramfs -o "$SCRATCH/initrd" 2>/dev/null
iso() { "$BUILD" iso --initrd "$SCRATCH/initrd" "$@" 2>/dev/null; }

check "iso builds (default layout)" iso -o "$SCRATCH/a.iso"
check "second build" iso -o "$SCRATCH/b.iso"
check_eq "same SOURCE_DATE_EPOCH, same SHA-256" "$(sha256sum <"$SCRATCH/a.iso")" "$(sha256sum <"$SCRATCH/b.iso")"
SOURCE_DATE_EPOCH=1700000001 iso -o "$SCRATCH/c.iso"
check "another epoch gives another medium id" test "$(sha256sum <"$SCRATCH/a.iso")" != "$(sha256sum <"$SCRATCH/c.iso")"

report=$(xorriso -indev "$SCRATCH/a.iso" -report_el_torito plain 2>/dev/null)
check "El Torito BIOS entry is isolinux" grep -q 'El Torito img path :   1  /isolinux/isolinux.bin' <<<"$report"
check "El Torito UEFI entry" grep -Eq 'El Torito boot img :   2  UEFI' <<<"$report"
table=$(sfdisk -d "$SCRATCH/a.iso")
check "MBR partition 1 starts at sector 64" grep -Eq 'a.iso1 : start= +64,.*bootable' <<<"$table"
check "MBR partition 2 is the appended ESP (0xef)" grep -Eq 'a.iso2 : start=.*type=ef' <<<"$table"
esp_start=$(sfdisk -J "$SCRATCH/a.iso" | grep -o '"start": *[0-9]*' | sed -n 2p | grep -o '[0-9]*$')
esp="$SCRATCH/a.iso@@$((esp_start * 512))"
listing=$(mdir -i "$esp" -/ -b ::/ 2>/dev/null)
for f in EFI/boot/BOOTX64.EFI EFI/boot/grubx64.efi EFI/boot/mmx64.efi boot/grub/grub.cfg; do
	check "ESP holds /$f" grep -qi "::/$f\$" <<<"$listing"
done
mcopy -i "$esp" ::/EFI/boot/BOOTX64.EFI "$SCRATCH/shim.efi"
mcopy -i "$esp" ::/EFI/boot/grubx64.efi "$SCRATCH/grub.efi"
mcopy -i "$esp" ::/boot/grub/grub.cfg "$SCRATCH/search.cfg"
check "shim on the ESP is Debian's signed shim" cmp -s "$SCRATCH/shim.efi" /usr/lib/shim/shimx64.efi.signed
check "GRUB on the ESP is signed" grep -q 'signature 1' <<<"$(sbverify --list "$SCRATCH/grub.efi" 2>/dev/null)"
tag=$(sed -n 's/^search .*--file \(.*\)$/\1/p' "$SCRATCH/search.cfg")
check "first-stage grub.cfg searches a /.disk/id tag" grep -Eq '^/\.disk/id/[0-9a-f-]{36}$' <<<"$tag"
check "the tag file is on the ISO" grep -q "$(basename "$tag")" <<<"$(xorriso -indev "$SCRATCH/a.iso" -ls /.disk/id 2>/dev/null)"
xorriso -osirrox on -indev "$SCRATCH/a.iso" -extract /boot/grub/grub.cfg "$SCRATCH/grub.cfg" \
	-extract /isolinux/isolinux.cfg "$SCRATCH/isolinux.cfg" -extract /live/vmlinuz "$SCRATCH/vmlinuz" 2>/dev/null
for entry in "Lifeboat" "Lifeboat (serial console)" "Lifeboat (safe graphics)" "Boot from first hard disk"; do
	check "GRUB menu entry '$entry'" grep -qF "menuentry \"$entry\"" "$SCRATCH/grub.cfg"
	check "isolinux menu entry '$entry'" grep -qF "MENU LABEL $entry" "$SCRATCH/isolinux.cfg"
done
check "GRUB menu on serial" grep -q 'terminal_output console serial' "$SCRATCH/grub.cfg"
check "isolinux menu on serial" grep -q '^SERIAL 0 115200' "$SCRATCH/isolinux.cfg"
check "kernel consoles on screen and ttyS0" grep -q 'console=ttyS0,115200 console=tty0' "$SCRATCH/grub.cfg"
check "signed GRUB config has no insmod" test -z "$(grep insmod "$SCRATCH/grub.cfg")"
check "kernel on the ISO is the signed one" cmp -s "$SCRATCH/vmlinuz" "$(ls /boot/vmlinuz-* | sort -V | tail -n 1)"

check "debian layout builds" iso -o "$SCRATCH/d.iso" --layout debian
check "debian layout: efi.img inside the ISO" grep -q 'boot/grub/efi.img' <<<"$(xorriso -indev "$SCRATCH/d.iso" -report_el_torito plain 2>/dev/null)"
check "debian layout: nested 0xef partition" grep -q 'type=ef' <<<"$(sfdisk -d "$SCRATCH/d.iso" 2>/dev/null)"
check "gpt layout builds" iso -o "$SCRATCH/g.iso" --layout gpt
check "gpt layout: sgdisk sees an EFI system partition" grep -q 'EF00' <<<"$(sgdisk -p "$SCRATCH/g.iso" 2>/dev/null)"

# Trust checks: a GRUB without its signature, a missing signed package.
signed_efi_dir "$SCRATCH/efi"
sbattach --remove "$SCRATCH/efi/gcdx64.efi" 2>/dev/null
expect_fail "unsigned GRUB fails the build" 1 "gcdx64.efi is not signed" \
	"$BUILD" iso --initrd "$SCRATCH/initrd" --efi-dir "$SCRATCH/efi" -o "$SCRATCH/unsigned.iso"
check "nothing written for an unsigned GRUB" test ! -e "$SCRATCH/unsigned.iso"
rm "$SCRATCH/efi/mmx64.efi"
expect_fail "missing signed package fails the build" 1 "mmx64.efi is missing \(Debian package shim-helpers-amd64-signed\)" \
	"$BUILD" iso --initrd "$SCRATCH/initrd" --efi-dir "$SCRATCH/efi" -o "$SCRATCH/missing.iso"
check "nothing written for a missing package" test ! -e "$SCRATCH/missing.iso"
sbattach --remove "$SCRATCH/vmlinuz" 2>/dev/null
mv "$SCRATCH/vmlinuz" "$SCRATCH/vmlinuz-$(basename "$(ls /boot/vmlinuz-* | sort -V | tail -n 1)" | sed 's/^vmlinuz-//')"
expect_fail "unsigned kernel fails the build" 1 "vmlinuz-.* is not signed" \
	"$BUILD" iso --initrd "$SCRATCH/initrd" --kernel "$SCRATCH"/vmlinuz-* -o "$SCRATCH/unsigned-kernel.iso"
expect_fail "bad layout is a usage error" 2 "--layout takes mbr, debian or gpt" "$BUILD" iso --layout hfs -o x.iso
finish
