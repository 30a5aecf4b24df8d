# PCs boot the rescue system over the network from lifeboat-pxe: a QEMU
# client (SeaBIOS with its iPXE ROM, or OVMF with Secure Boot) on a tap
# bridged to the client side of the private namespace lab gets its boot
# loader, kernel and initramfs from our dnsmasq over TFTP, reaches the
# rescue system's
# first screen on the serial console with lifeboat.job=http://SERVER/job on
# its kernel command line, and fetches and runs that job. Three times: BIOS
# with our own DHCP range, UEFI Secure Boot with our range, and BIOS with
# --proxy beside a plain DHCP server in a third namespace that hands out
# the address.
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

# boot NAME QEMU-ARGS...: one PXE boot (NIC on the tap) until the rescue
# system's first screen, which /init shows only after the boot job ended;
# checks the serial log and the status lines (NAME.status) of the client
# whose address matches CLIENT_RE.
boot() {
	local name=$1; shift
	if qemu_until "$name" 600 "$RESCUE_READY" -boot n \
		-netdev tap,id=n0,ifname="$TAP",script=no,downscript=no "$@"; then
		pass "$name: the rescue system's first screen on the serial console"
	else
		fail "$name: the rescue system's first screen on the serial console"
		sed 's/^/#   status: /' "$name.status" >&2
	fi
	check "$name: PXE boot runs the job in the rescue system" grep -aq 'lifeboat-job-ran-on-[0-9]' "$name.log"
	check "$name: kernel command line carries the job URL" grep -aq "Command line: .*lifeboat.job=http://$SERVER/job" "$name.log"
	check "$name: status: the job over HTTP" grep -Eq "^http +$CLIENT_RE .*GET /job 200" "$name.status"
}
# bios_checks NAME: pxelinux, kernel and initramfs over TFTP.
bios_checks() {
	check "$1: status: pxelinux.0 over TFTP" grep -Eq "^tftp +$CLIENT_RE .*sent pxelinux.0" "$1.status"
	check "$1: status: kernel over TFTP" grep -Eq "^tftp +$CLIENT_RE .*sent live/vmlinuz" "$1.status"
	check "$1: status: initramfs over TFTP" grep -Eq "^tftp +$CLIENT_RE .*sent live/initrd" "$1.status"
}
stop_server() {
	pxe_stop TERM
	check_eq "$1: server stops cleanly" 0 "$PXE_RC"
}

# freeze_client_mid_transfer: once the PC reads its menu the second time
# (menu.c32), waits 2 s and stops its QEMU for 5 s, as a loaded host would;
# writes stall.txt only when the freeze happened and the initramfs was
# still on its way.
freeze_client_mid_transfer() {
	local i pid pending=
	for ((i = 0; i < 3000; i++)); do
		[ "$(grep -c 'sent pxelinux.cfg/default' own.status)" -ge 2 ] && break
		sleep 0.1
	done
	sleep 2
	pid=$(pgrep -f "ifname=$TAP" | head -n 1)
	[ -n "$pid" ] && kill -STOP "$pid" || return 0
	grep -q 'sent live/initrd' own.status || pending=yes
	sleep 5
	kill -CONT "$pid" && [ -n "$pending" ] && echo "frozen 5 s with the initramfs still on its way" >stall.txt
}

pxe_start own.status --tree tree --range 10.77.0.100,10.77.0.150 --job fleet.job
CLIENT_RE='10\.77\.0\.1[0-9][0-9]'
freeze_client_mid_transfer &
FREEZE_PID=$!
boot own -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56
wait "$FREEZE_PID"
check "own: a PC frozen for 5 s while loading still boots (TFTP resends)" grep -q 'still on its way' stall.txt
bios_checks own
check "own: status: DHCP for the PC's MAC" grep -Eq "^dhcp +$CLIENT_RE +52:54:00:12:34:56 +DHCPACK" own.status
stop_server own

# UEFI with Secure Boot (OVMF, Microsoft keys; its own PXE driver, not
# QEMU's iPXE ROM): shim and GRUB over TFTP, signed kernel over TFTP.
pxe_start uefi.status --tree tree --range 10.77.0.100,10.77.0.150 --job fleet.job
boot uefi $(ovmf_sb_args uefi) -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:58,romfile=
check "uefi: Secure Boot was on" grep -aq 'Secure boot enabled' uefi.log
check "uefi: status: shim over TFTP" grep -Eq "^tftp +$CLIENT_RE .*sent bootx64.efi" uefi.status
check "uefi: status: signed network GRUB over TFTP" grep -Eq "^tftp +$CLIENT_RE .*sent grubx64.efi" uefi.status
check "uefi: status: GRUB menu over TFTP" grep -Eq "^tftp +$CLIENT_RE .*sent grub/grub.cfg" uefi.status
check "uefi: status: kernel and initramfs over TFTP" grep -Eq "^tftp +$CLIENT_RE .*sent live/initrd" uefi.status
stop_server uefi

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
boot proxy -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:57
bios_checks proxy
check "proxy: the address came from the network's DHCP server" \
	grep -Eq "DHCPACK\(lbpx$$\) $CLIENT_RE 52:54:00:12:34:57" plain.log
check "proxy: status: our proxy answered the PC" grep -Eq "^dhcp +.*52:54:00:12:34:57 +PXE" proxy.status
stop_server proxy

finish
