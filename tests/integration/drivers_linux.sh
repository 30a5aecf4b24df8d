# `lifeboat drivers` on the Linux side: a fake sysfs tree against the real
# modules.alias/modules.dep of the installed Debian kernel. Judges: the
# kernel's own alias table read with grep, and modinfo for dependencies.
. "$TESTLIB"
need modinfo

moddir=$(ls -d /lib/modules/*/ 2>/dev/null | while read -r d; do [ -f "$d/modules.alias" ] && echo "${d%/}"; done | head -1)
[ -n "$moddir" ] || { echo "skip: no /lib/modules/*/modules.alias (install linux-image-amd64)"; exit 77; }

sys=$SCRATCH/sys
. "$(dirname "$0")/helpers/fake_sysfs.sh"
pcidev 0000:00:05.0 pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00 0x010000
pcidev 0000:00:06.0 pci:v0000144Dd0000A808sv0000144Dsd0000A801bc01sc08i02 0x010802
pcidev 0000:00:1f.2 pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01 0x010601 ahci
pcidev 0000:00:07.0 pci:v0000ABCDd00001234sv00000000sd00000000bcFFsc00i00 0xff0000
mkdir -p "$sys/bus/virtio/devices/virtio0" "$sys/module/virtio_pci"
echo virtio:d00000002v00001AF4 >"$sys/bus/virtio/devices/virtio0/modalias"

# says DEVICE-LINE-PREFIX PATTERN: the line after the device's in $out matches.
says() { grep -A1 "^$1" <<<"$out" | tail -n +2 | grep -q -- "$2"; }
# lacks TEXT PATTERN: TEXT does not match PATTERN.
lacks() { ! grep -q -- "$2" <<<"$1"; }

out=$("$LIFEBOAT" drivers --sysfs "$sys" --modules "$moddir")
echo "$out"
# The expected module of each device, straight from the kernel's alias table.
check "modules.alias names virtio_pci for 1af4:1001" grep -q 'virtio_pci$' <(grep -i '^alias pci:v00001AF4d\*' "$moddir/modules.alias")
check "virtio block controller -> virtio_pci (loaded)" says "pci 0000:00:05.0" 'module virtio_pci: available, loaded'
check "NVMe controller -> nvme" says "pci 0000:00:06.0" 'module nvme: available$'
check "virtio disk -> virtio_blk" says "virtio virtio0" 'module virtio_blk: available'
check "unknown device has no module" says "pci 0000:00:07.0" 'no kernel module serves'
check "bound AHCI controller is not listed" lacks "$out" 0000:00:1f.2
all=$("$LIFEBOAT" drivers --all --json --sysfs "$sys" --modules "$moddir")
check "--all lists the bound controller with its driver" grep -q '"driver": "ahci"' <<<"$all"
check "--json gives the PCI class" grep -q '"class": "010802"' <<<"$all"

# A rescue system that carries only part of the modules.
small=$SCRATCH/modules
mkdir -p "$small"
cp "$moddir"/modules.alias "$moddir"/modules.dep "$moddir"/modules.builtin "$small/"
nvme_rel=$(grep -o '^kernel/drivers/nvme/host/nvme.ko[^:]*' "$moddir/modules.dep")
out=$("$LIFEBOAT" drivers --sysfs "$sys" --modules "$small")
check "module absent from the rescue system is marked" says "pci 0000:00:06.0" 'module nvme: not carried by this rescue system'
mkdir -p "$small/$(dirname "$nvme_rel")"
cp "$moddir/$nvme_rel" "$small/$nvme_rel"
out=$("$LIFEBOAT" drivers --sysfs "$sys" --modules "$small")
check "carried module is available" says "pci 0000:00:06.0" 'module nvme: available'

# Load plans: dependencies first, as modinfo's "depends=" requires.
plan=$("$LIFEBOAT" drivers load --dry-run --sysfs "$sys" --modules "$moddir" nvme virtio_blk)
echo "$plan"
order_ok=1
mapfile -t files < <(sed -n 's/^would load //p' <<<"$plan")
for ((i = 0; i < ${#files[@]}; i++)); do
	for dep in $(modinfo -F depends "${files[$i]}" | tr ',' ' '); do
		before=0
		for ((k = 0; k < i; k++)); do
			name=$(basename "${files[$k]}" .ko | tr - _)
			[ "$name" = "$(tr - _ <<<"$dep")" ] && before=1
		done
		[ $before = 1 ] || { order_ok=0; echo "$dep not before ${files[$i]}"; }
	done
done
check "every dependency (modinfo) is loaded before its user" test $order_ok = 1
check "plan ends with the asked modules" grep -q 'virtio_blk.ko$' <<<"${files[-1]}"
check "loaded modules are skipped" lacks "$("$LIFEBOAT" drivers load --dry-run --sysfs "$sys" --modules "$moddir" virtio_pci)" 'would load' 

# A loose module on a "USB stick": its .modinfo dependencies are used.
stick=$SCRATCH/stick
mkdir -p "$stick"
cp "$moddir/$(grep -o '^kernel/drivers/block/virtio_blk.ko[^:]*' "$moddir/modules.dep")" "$stick/"
plan=$("$LIFEBOAT" drivers load --dry-run --sysfs "$sys" --modules "$moddir" "$stick")
check "folder: module from the stick, its dependencies from the kernel" \
	grep -qx "would load $moddir/kernel/drivers/virtio/virtio.ko" <<<"$plan"
check "folder: the stick's own file is used" grep -qx "would load $stick/virtio_blk.ko" <<<"$plan"

expect_fail "unknown module" 1 "module no_such_mod is not in this module set" \
	"$LIFEBOAT" drivers load --dry-run --sysfs "$sys" --modules "$moddir" no_such_mod
echo "not a module" >"$SCRATCH/bad.ko"
expect_fail "a file that is not a module" 1 "bad.ko: not an ELF64 kernel module" \
	"$LIFEBOAT" drivers load --dry-run --sysfs "$sys" --modules "$moddir" "$SCRATCH/bad.ko"
expect_fail "empty folder" 1 "no kernel module \(.ko\) in this folder" \
	"$LIFEBOAT" drivers load --dry-run --sysfs "$sys" --modules "$moddir" "$SCRATCH/sys/module"
expect_fail "missing module folder" 1 "none/modules.alias: No such file" "$LIFEBOAT" drivers --sysfs "$sys" --modules "$SCRATCH/none"
expect_fail "load without argument" 2 "load needs a module name" "$LIFEBOAT" drivers load

finish
