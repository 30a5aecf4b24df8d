# lifeboat-build initramfs: the rescue system's cpio holds /init, busybox,
# the static app, every module modules.dep says the listed drivers need,
# programs that run with the libraries copied beside them (chroot is the
# judge), --add-files/--add-modules; same bytes for the same
# SOURCE_DATE_EPOCH; bad inputs fail with one line and write nothing.
. "$TESTLIB"
need cpio zstd depmod chroot
BUILD="$BUILD_DIR/builder/lifeboat-build"
run_build() { "$BUILD" "$@" 2>"$SCRATCH/warnings"; }

mkdir -p "$SCRATCH/extra/etc" "$SCRATCH/mods"
echo "hello from add-files" >"$SCRATCH/extra/etc/hello"
kver=$(basename "$(ls /boot/vmlinuz-* | sort -V | tail -n 1)" | sed 's/^vmlinuz-//')
cp "$(find "/lib/modules/$kver" -name dummy.ko | head -n 1)" "$SCRATCH/mods/"

export SOURCE_DATE_EPOCH=1700000000
check "initramfs builds" run_build initramfs -o "$SCRATCH/a.img" \
	--add-files "$SCRATCH/extra" --add-modules "$SCRATCH/mods"
check "second build" run_build initramfs -o "$SCRATCH/b.img" \
	--add-files "$SCRATCH/extra" --add-modules "$SCRATCH/mods"
check_eq "same SOURCE_DATE_EPOCH, same bytes" "$(sha256sum <"$SCRATCH/a.img")" "$(sha256sum <"$SCRATCH/b.img")"
check "compressed with zstd" zstd -t -q "$SCRATCH/a.img"

root="$SCRATCH/root"
mkdir -p "$root"
(cd "$root" && zstd -dc "$SCRATCH/a.img" | cpio -id --quiet)
for f in init bin/busybox bin/lifeboat sbin/init lib/lifeboat/console etc/lifeboat/banner; do
	check "/$f present" test -e "$root/$f"
done
check "/init is executable" test -x "$root/init"
for t in l/linux v/vt100 v/vt220 x/xterm; do
	check "terminfo $t for the TUI" cmp -s "/lib/terminfo/$t" "$root/lib/terminfo/$t"
done
for k in us de fr uk; do
	check "keymap $k in busybox's loadkmap format" test "$(head -c 7 "$root/usr/share/keymaps/$k.bmap" 2>/dev/null)" = bkeymap
done
check "every file owned by root" test -z "$(cd "$root" && zstd -dc "$SCRATCH/a.img" | cpio -tv --quiet | awk '$3 != "root" || $4 != "root"')"
moddir="$root/lib/modules/$kver"
for m in ahci libahci libata nvme nvme-core sd_mod virtio_blk virtio_pci xhci-pci usb-storage uas vfat ext4 isofs efivarfs e1000e r8169; do
	check "module $m in the closure" test -n "$(find "$moddir" -name "$m.ko")"
done
missing=0
while IFS=: read -r mod deps; do
	for d in $mod $deps; do [ -f "$moddir/$d" ] || missing=$((missing + 1)); done
done <"$moddir/modules.dep"
check_eq "every module the image's modules.dep names is there" 0 "$missing"
check "depmod indexed the aliases" grep -q 'alias pci:.* ahci$' "$moddir/modules.alias"
check "--add-modules module indexed" grep -q '^updates/dummy.ko:' "$moddir/modules.dep"
check "--add-files copied" grep -q "hello from add-files" "$root/etc/hello"
check "modprobe is kmod" test "$(readlink "$root/sbin/modprobe")" = /usr/bin/kmod
for prog in "sfdisk --version" "sgdisk --version" "mkfs.ext4 -V" "ntfsfix --version" "efibootmgr --version" "kmod --version"; do
	check "chroot runs $prog" sh -c "chroot '$root' /usr/bin/env PATH=/usr/sbin:/usr/bin:/sbin:/bin $prog >/dev/null"
done
check "chroot runs the static app" sh -c "chroot '$root' /bin/lifeboat --version >/dev/null"
check "busybox shell in the chroot" test "$(chroot "$root" /bin/sh -c 'echo ok')" = ok
mkdir -p "$root/tmp/win/Windows/System32/config"
xz -dc "$TESTDATA/hives/SYSTEM_2.xz" >"$root/tmp/win/Windows/System32/config/SYSTEM"
touch "$root/tmp/win/Windows/System32/cmd.exe"
check_eq "the static app reads hive key names in the chroot (glibc gconv modules)" "computer_name: SENSEI" \
	"$(chroot "$root" /bin/lifeboat win info /tmp/win 2>/dev/null | grep '^computer_name:')"

# Bad inputs: one error line, nothing written.
cp "/boot/vmlinuz-$kver" "$SCRATCH/vmlinuz-0.0.0-nomodules"
expect_fail "kernel without modules" 1 "has no modules" \
	"$BUILD" initramfs -o "$SCRATCH/bad.img" --kernel "$SCRATCH/vmlinuz-0.0.0-nomodules"
check "nothing written for a kernel without modules" test ! -e "$SCRATCH/bad.img"
expect_fail "missing rescue app" 1 "rescue app" "$BUILD" initramfs -o "$SCRATCH/bad.img" --app "$SCRATCH/none"
mkdir -p "$SCRATCH/ro"
mount -t tmpfs -o ro,size=1m tmpfs "$SCRATCH/ro"
on_exit "umount '$SCRATCH/ro'"
expect_fail "read-only target" 1 "Read-only file system" "$BUILD" initramfs -o "$SCRATCH/ro/x.img"
check "nothing written on the read-only target" test -z "$(ls -A "$SCRATCH/ro")"
expect_fail "bad compressor is a usage error" 2 "--compress takes zstd or xz" \
	"$BUILD" initramfs -o "$SCRATCH/x.img" --compress lz4
expect_fail "missing -o is a usage error" 2 "needs -o FILE" "$BUILD" initramfs
finish
