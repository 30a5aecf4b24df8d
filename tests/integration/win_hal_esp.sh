# `lifeboat win hal DISK:2` finds the BCD on the disk's EFI system partition:
# a GPT disk image (sgdisk) with a FAT32 ESP holding the real UEFI BCD with
# stray kernel/hal overrides (written with mtools) and Windows 10 x64 on
# NTFS. The overrides go, nothing else changes, undo brings the store back.
# Judges: reglookup and hivexregedit --export on the BCD read with mcopy,
# fsck.fat -n, cmp.
. "$TESTLIB"
need sgdisk mkntfs mkfs.vfat mcopy fsck.fat ntfs-3g hivexsh hivexregedit reglookup getfattr setfattr python3 xz
. "$SOURCE_DIR/tests/drivers_fixture.sh"

xz -dc "$TESTDATA/hives/SYSTEM_2.xz" >"$SCRATCH/SYSTEM"
make_software_hive "$SCRATCH/SOFTWARE" 10 0 19045 6.3
make_windows_volume "$SCRATCH/win.img" "$SCRATCH/SYSTEM" "$SCRATCH/SOFTWARE" amd64
xz -dc "$TESTDATA/hives/BCD.xz" >"$SCRATCH/BCD"
loader=$(reglookup -H -p '/Objects/{9dea862c-5cdd-4e70-acc1-f32b344d4795}/Elements/23000003/Element' "$SCRATCH/BCD" | cut -d, -f3)
printf 'cd \\Objects\\%s\\Elements\nadd 22000011\ncd 22000011\nsetval 1\nElement\nstring:ntkrnlmp.exe\ncd ..\nadd 22000012\ncd 22000012\nsetval 1\nElement\nstring:halmacpi.dll\ncommit\n' "$loader" |
	hivexsh -w "$SCRATCH/BCD" >/dev/null

disk=$SCRATCH/disk.img
truncate -s 80M "$disk"
sgdisk -n 1:2048:+33M -t 1:ef00 -n 2:0:+40M -t 2:0700 "$disk" >/dev/null 2>&1
mkfs.vfat -F 32 --offset=2048 "$disk" $((33 * 1024)) >/dev/null 2>&1
mmd -i "$disk@@$((2048 * 512))" ::/EFI ::/EFI/Microsoft ::/EFI/Microsoft/Boot
mcopy -i "$disk@@$((2048 * 512))" "$SCRATCH/BCD" ::/EFI/Microsoft/Boot/BCD
dd if="$SCRATCH/win.img" of="$disk" bs=512 seek=$((2048 + 33 * 2048)) conv=notrunc status=none
esp_bcd() { mcopy -n -i "$disk@@$((2048 * 512))" ::/EFI/Microsoft/Boot/BCD "$1"; }
esp_fsck() { dd if="$disk" of="$SCRATCH/esp.img" bs=512 skip=2048 count=$((33 * 2048)) status=none && fsck.fat -n "$SCRATCH/esp.img" >/dev/null 2>&1; }

out=$("$LIFEBOAT" win hal "$disk:2")
echo "$out"
check "Windows 10 x64: nothing to replace" grep -q 'nothing to replace, this version has a single HAL' <<<"$out"
check "the ESP's overrides are removed and reported" grep -q "^partition 1: removed the hal override of loader $loader$" <<<"$out"
esp_bcd "$SCRATCH/BCD.after"
check_eq "reglookup: no kernel/hal element left" "" "$(reglookup -H "$SCRATCH/BCD.after" | grep -E '/Elements/2200001[12]' || true)"
check_eq "BCD: only the two override keys went away" \
	"-[\\Objects\\$loader\\Elements\\22000011] -[\\Objects\\$loader\\Elements\\22000012]" \
	"$(diff <(hivexregedit --export "$SCRATCH/BCD" '\') <(hivexregedit --export "$SCRATCH/BCD.after" '\') |
		sed -n 's/^< \[/-[/p; s/^> \(.*\)/+\1/p' | tr '\n' ' ' | sed 's/ $//')"
check "fsck.fat -n: the ESP is consistent" esp_fsck

check "undo" "$LIFEBOAT" win undo "$disk:2"
esp_bcd "$SCRATCH/BCD.undone"
check "undo restores the ESP's BCD" cmp "$SCRATCH/BCD" "$SCRATCH/BCD.undone"
check "fsck.fat -n: the ESP is consistent after undo" esp_fsck

finish
