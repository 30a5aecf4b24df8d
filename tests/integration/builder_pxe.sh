# lifeboat-build pxe: the network boot tree holds Debian's boot loaders
# byte for byte (lpxelinux as pxelinux.0, the syslinux menu modules, signed
# shim, MokManager and network GRUB), menus that work from any TFTP server,
# the kernel and initramfs, everything readable by everyone; a rebuild
# replaces an earlier tree, any other existing folder is refused untouched.
. "$TESTLIB"
need sbverify cmp
BUILD="$BUILD_DIR/builder/lifeboat-build"
export SOURCE_DATE_EPOCH=1700000000
cd "$SCRATCH"
head -c 2000000 /dev/urandom >initrd

check "tree builds" "$BUILD" pxe --initrd initrd -o tree
check "pxelinux.0 is Debian's lpxelinux.0" cmp tree/pxelinux.0 /usr/lib/PXELINUX/lpxelinux.0
for m in ldlinux.c32 menu.c32 libutil.c32 libcom32.c32 chain.c32; do
	check "$m is syslinux's" cmp "tree/$m" "/usr/lib/syslinux/modules/bios/$m"
done
check "bootx64.efi is Debian's signed shim" cmp tree/bootx64.efi /usr/lib/shim/shimx64.efi.signed
check "mmx64.efi is Debian's MokManager" cmp tree/mmx64.efi /usr/lib/shim/mmx64.efi.signed
check "grubx64.efi is Debian's signed network GRUB" cmp tree/grubx64.efi /usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed
check "grubx64.efi carries a signature (sbverify)" sh -c "sbverify --list tree/grubx64.efi | grep -q 'signature 1'"
kernel=$(ls -v /boot/vmlinuz-* | tail -n 1)
check "live/vmlinuz is the newest kernel" cmp tree/live/vmlinuz "$kernel"
check "live/initrd is the given initramfs" cmp tree/live/initrd initrd
check "BIOS menu loads /live/vmlinuz" grep -qx '	KERNEL /live/vmlinuz' tree/pxelinux.cfg/default
check "BIOS menu on the serial console" grep -qx 'SERIAL 0 115200' tree/pxelinux.cfg/default
check "UEFI menu loads /live/vmlinuz" grep -q 'linux /live/vmlinuz console=ttyS0,115200' tree/grub/grub.cfg
check_eq "every file readable by everyone" "" "$(find tree ! -perm -o+r)"
check_eq "every folder searchable by everyone" "" "$(find tree -type d ! -perm -o+x)"

"$BUILD" pxe --initrd initrd -o again 2>/dev/null
check_eq "same SOURCE_DATE_EPOCH, same files" "$(cd tree && find . -type f -exec sha256sum {} + | sort)" \
	"$(cd again && find . -type f -exec sha256sum {} + | sort)"
echo extra >tree/extra
check "a tree is rebuilt in place" "$BUILD" pxe --initrd initrd -o tree
check "the rebuilt tree is whole and new" test -f tree/live/vmlinuz -a ! -e tree/extra
check_eq "no partial or old folder left" "tree" "$(ls -d tree* | tr '\n' ' ' | sed 's/ $//')"

mkdir other && echo keep >other/file
expect_fail "an existing folder that is not a tree is refused" 1 \
	'other exists and is not a tree made by lifeboat-build pxe' "$BUILD" pxe --initrd initrd -o other
check_eq "the refused folder is untouched" "file" "$(ls other)"

finish
