# A BIOS PC boots the rescue system over the network from lifeboat-pxe: a
# QEMU client (SeaBIOS, its iPXE PXE ROM) on a tap bridged to the client
# side of the private two-namespace lab gets its address and pxelinux.0
# from our dnsmasq, the kernel and initramfs from our HTTP server, and
# reaches the rescue system's first screen on the serial console with
# lifeboat.job=http://SERVER/job on its kernel command line, whose job it
# fetches and runs.
. "$TESTLIB"
need qemu-system-x86_64 ip
. "$SOURCE_DIR/tests/e2e/qemu-lib.bash"
. "$SOURCE_DIR/tests/integration/helpers/pxe_lab.sh"
cd "$SCRATCH"

"$BUILD" initramfs -o initrd 2>/dev/null
"$BUILD" pxe --initrd initrd --timeout 1 -o tree 2>/dev/null
printf 'shell echo lifeboat-job-ran-on-$(uname -r) >/dev/kmsg\n' >fleet.job

# The client's tap joins a bridge with the client end of the veth pair.
BR=lbpb$$
TAP=lbpt$$
cli ip link add "$BR" type bridge
cli ip tuntap add dev "$TAP" mode tap
cli ip link set "$IF_CLI" master "$BR"
cli ip link set "$TAP" master "$BR"
for l in "$BR" "$TAP"; do cli ip link set "$l" up; done
# qemu_until starts qemu-system-x86_64 from PATH: run it in the client namespace.
mkdir bin
printf '#!/bin/sh\nexec ip netns exec %s %s "$@"\n' "$NS_CLI" "$(command -v qemu-system-x86_64)" >bin/qemu-system-x86_64
chmod +x bin/qemu-system-x86_64
PATH="$SCRATCH/bin:$PATH"

pxe_start status --tree tree --range 10.77.0.100,10.77.0.150 --job fleet.job
MAC=52:54:00:12:34:56
check "BIOS PXE boot runs the job in the rescue system" \
	qemu_until pxe 600 'lifeboat-job-ran-on-[0-9]' -boot n \
	-netdev tap,id=n0,ifname="$TAP",script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=$MAC
check "kernel command line carries the job URL" grep -aq "Command line: .*lifeboat.job=http://$SERVER/job" pxe.log
check "the rescue system's first screen on the serial console" grep -aEq "$RESCUE_READY" pxe.log
check "status: the job over HTTP" grep -Eq '^http +10\.77\.0\.[0-9]+ .*GET /job 200' status
check "status: DHCP for the PC's MAC" grep -Eq "^dhcp +10\.77\.0\.[0-9]+ +$MAC +DHCPACK" status
check "status: pxelinux.0 over TFTP" grep -Eq '^tftp +10\.77\.0\.[0-9]+ .*sent pxelinux.0' status
check "status: kernel over HTTP" grep -Eq '^http +10\.77\.0\.[0-9]+ .*GET /live/vmlinuz 200' status
check "status: initramfs over HTTP" grep -Eq '^http +10\.77\.0\.[0-9]+ .*GET /live/initrd 200' status
pxe_stop TERM
check_eq "server stops cleanly" 0 "$PXE_RC"

finish
