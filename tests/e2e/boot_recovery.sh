# The recovery partition boots under OVMF with Secure Boot through a UEFI
# boot entry: a Windows-like GPT disk (ESP, MSR, NTFS C: with data) gets
# its Lifeboat partition, the test writes Boot0010 = HD(4,GPT,...)/
# \EFI\lifeboat\shimx64.efi (+ BootNext) into a copy of OVMF's Microsoft-
# keyed variable store, and the machine, with only that disk attached,
# reaches the rescue system, which writes its boot log to the partition.
# ESP, MSR and C: keep their SHA-256 through adding and booting.
. "$TESTLIB"
. "$(dirname "$0")/qemu-lib.bash"
. "$SOURCE_DIR/tests/builder_fixtures.sh"
need qemu-system-x86_64 python3 sfdisk mkntfs ntfscp mtype
BUILD="$BUILD_DIR/builder/lifeboat-build"

windows_disk "$SCRATCH/disk.img" 800 yes
before=$(partition_sums "$SCRATCH/disk.img")
check "recovery partition added" sh -c "'$BUILD' recovery --disk '$SCRATCH/disk.img' --size 256M --timeout 1 >/dev/null 2>&1"
check_eq "ESP, MSR and C: unchanged by the add" "$before" "$(partition_sums "$SCRATCH/disk.img" | head -n 3)"

args=$(ovmf_sb_args rec)
check "boot entry written into the NVRAM variable store" \
	python3 "$(dirname "$0")/ovmf_boot_entry.py" "$SCRATCH/rec.vars.fd" "$SCRATCH/disk.img" 4 '\EFI\lifeboat\shimx64.efi' Lifeboat
# shellcheck disable=SC2086
check "OVMF Secure Boot boots the partition: rescue app on serial" \
	qemu_until rec 300 "$RESCUE_READY" $args -device ahci,id=ahci \
	-drive "file=$SCRATCH/disk.img,format=raw,if=none,id=disk" -device ide-hd,drive=disk,bus=ahci.0
check "firmware started the Lifeboat entry on partition 4" \
	grep -aq 'starting Boot0010 "Lifeboat" from HD(4,GPT,.*\\EFI\\lifeboat\\shimx64.efi' "$SCRATCH/rec.log"
check "kernel reports Secure Boot enabled" grep -aq 'secureboot: Secure boot enabled' "$SCRATCH/rec.log"
start=$(sfdisk -d "$SCRATCH/disk.img" | awk -F'[=,]' '/img4 :/{gsub(/ /,""); print $2}')
check "rescue system wrote its boot log to the partition" \
	grep -q 'rescue media /dev/sda4' <<<"$(mtype -i "$SCRATCH/disk.img@@$((start * 512))" ::/logs/boot.log 2>/dev/null)"
check_eq "ESP, MSR and C: unchanged after the boot" "$before" "$(partition_sums "$SCRATCH/disk.img" | head -n 3)"
finish
