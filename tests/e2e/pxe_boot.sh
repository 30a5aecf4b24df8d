# A BIOS PC boots the rescue system over the network from lifeboat-pxe: a
# QEMU client (SeaBIOS, its iPXE PXE ROM) on a tap bridged to the client
# side of the private namespace lab gets pxelinux.0 from our dnsmasq, the
# kernel and initramfs from our HTTP server, reaches the rescue system's
# first screen on the serial console with lifeboat.job=http://SERVER/job on
# its kernel command line, and fetches and runs that job. Twice: with our
# own DHCP range, and with --proxy beside a plain DHCP server in a third
# namespace that hands out the address.
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

# boot NAME MAC: one PXE boot until the job ran; checks the serial log and
# the status lines (in NAME.status) for the client whose address matches
# CLIENT_RE.
boot() {
	local name=$1 mac=$2
	if qemu_until "$name" 600 'lifeboat-job-ran-on-[0-9]' -boot n \
		-netdev tap,id=n0,ifname="$TAP",script=no,downscript=no -device virtio-net-pci,netdev=n0,mac="$mac"; then
		pass "$name: BIOS PXE boot runs the job in the rescue system"
	else
		fail "$name: BIOS PXE boot runs the job in the rescue system"
		sed 's/^/#   status: /' "$name.status" >&2
	fi
	check "$name: kernel command line carries the job URL" grep -aq "Command line: .*lifeboat.job=http://$SERVER/job" "$name.log"
	check "$name: the rescue system's first screen on the serial console" grep -aEq "$RESCUE_READY" "$name.log"
	check "$name: status: pxelinux.0 over TFTP" grep -Eq "^tftp +$CLIENT_RE .*sent pxelinux.0" "$name.status"
	check "$name: status: kernel over HTTP" grep -Eq "^http +$CLIENT_RE .*GET /live/vmlinuz 200" "$name.status"
	check "$name: status: initramfs over HTTP" grep -Eq "^http +$CLIENT_RE .*GET /live/initrd 200" "$name.status"
	check "$name: status: the job over HTTP" grep -Eq "^http +$CLIENT_RE .*GET /job 200" "$name.status"
	pxe_stop TERM
	check_eq "$name: server stops cleanly" 0 "$PXE_RC"
}

pxe_start own.status --tree tree --range 10.77.0.100,10.77.0.150 --job fleet.job
CLIENT_RE='10\.77\.0\.1[0-9][0-9]'
boot own 52:54:00:12:34:56
check "own: status: DHCP for the PC's MAC" grep -Eq "^dhcp +$CLIENT_RE +52:54:00:12:34:56 +DHCPACK" own.status

# proxyDHCP: the network's DHCP server (plain dnsmasq, 10.77.0.2) in a third
# namespace on the same bridge gives addresses 10.77.0.60-80.
NS_DHCP=lbpxe-d$$
ip netns add "$NS_DHCP"
on_exit "ip netns del $NS_DHCP"
ip link add lbpx$$ type veth peer name lbpy$$
ip link set lbpx$$ netns "$NS_DHCP"
ip link set lbpy$$ netns "$NS_CLI"
ip -n "$NS_DHCP" addr add 10.77.0.2/24 brd + dev lbpx$$
ip -n "$NS_DHCP" link set lbpx$$ up
cli ip link set lbpy$$ master "$BR"
cli ip link set lbpy$$ up
ip netns exec "$NS_DHCP" dnsmasq --keep-in-foreground --conf-file --port=0 --interface=lbpx$$ --bind-interfaces \
	--dhcp-range=10.77.0.60,10.77.0.80,1h --dhcp-leasefile="$SCRATCH/plain.leases" --pid-file= \
	--log-facility="$SCRATCH/plain.log" &
PLAIN_PID=$!
on_exit "kill $PLAIN_PID 2>/dev/null; wait $PLAIN_PID 2>/dev/null"
pxe_start proxy.status --tree tree --proxy --job fleet.job
CLIENT_RE='10\.77\.0\.[678][0-9]'
boot proxy 52:54:00:12:34:57
check "proxy: the address came from the network's DHCP server" \
	grep -Eq "DHCPACK\(lbpx$$\) $CLIENT_RE 52:54:00:12:34:57" plain.log
check "proxy: status: our proxy answered the PC" grep -Eq "^dhcp +.*52:54:00:12:34:57 +PXE" proxy.status

finish
