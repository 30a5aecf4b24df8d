# lifeboat-pxe serve refuses, with one clear line and nothing left behind:
# a missing interface, one without IPv4, a tree without kernel or initramfs
# or not readable by dnsmasq's TFTP user, ports 67/69/80 in use, a range
# outside the subnet, bad option combinations, multicast without a
# broadcast address.
. "$TESTLIB"
need dnsmasq busybox python3
. "$(dirname "$0")/helpers/pxe_lab.sh"
cd "$SCRATCH"

make_pxe_tree tree
mkdir tmp && chmod 755 tmp
export TMPDIR=$SCRATCH/tmp
RANGE=10.77.0.100,10.77.0.150
# a server that starts instead of refusing is stopped after 20 s (and fails the check)
serve() { srv timeout 20 "$PXE" serve "$@"; }

expect_fail "no such interface" 1 'interface nosuch0: no such network interface' \
	serve --interface nosuch0 --tree tree --range "$RANGE"
ip -n "$NS_SRV" link add lbpd$$ type veth peer name lbpe$$
ip -n "$NS_SRV" link set lbpd$$ up
expect_fail "interface without IPv4" 1 "interface lbpd$$ has no IPv4 address" \
	serve --interface lbpd$$ --tree tree --range "$RANGE"
expect_fail "range outside the subnet" 1 '--range: 10\.78\.0\.5 is outside the subnet 10\.77\.0\.0/24' \
	serve --interface "$IF_SRV" --tree tree --range 10.78.0.5,10.78.0.9
expect_fail "range ending outside the subnet" 1 '--range: 10\.77\.1\.9 is outside the subnet' \
	serve --interface "$IF_SRV" --tree tree --range 10.77.0.5,10.77.1.9
expect_fail "broadcast address in the range" 1 'is the network or broadcast address' \
	serve --interface "$IF_SRV" --tree tree --range 10.77.0.5,10.77.0.255
expect_fail "range backwards" 1 '--range: 10\.77\.0\.50 comes after 10\.77\.0\.40' \
	serve --interface "$IF_SRV" --tree tree --range 10.77.0.50,10.77.0.40
expect_fail "range not two addresses" 2 '--range takes FIRST,LAST' \
	serve --interface "$IF_SRV" --tree tree --range 10.77.0.50
expect_fail "neither --proxy nor --range" 2 'give --proxy .* or --range' \
	serve --interface "$IF_SRV" --tree tree
expect_fail "both --proxy and --range" 2 'give --proxy .* or --range' \
	serve --interface "$IF_SRV" --tree tree --proxy --range "$RANGE"
expect_fail "--multicast without --clients" 2 '--multicast needs --clients N' \
	serve --interface "$IF_SRV" --tree tree --proxy --multicast tree/live/initrd

expect_fail "unknown option" 2 "unknown or incomplete option '--bogus'" \
	serve --interface "$IF_SRV" --tree tree --proxy --bogus
expect_fail "unknown command" 2 "no such command 'frobnicate'" "$PXE" frobnicate
check "--help shows the usage" sh -c "'$PXE' serve --help | grep -q '^Usage: lifeboat-pxe serve'"

cp -a tree no-initrd && rm no-initrd/live/initrd
expect_fail "tree without initramfs" 1 'tree no-initrd has no live/initrd' \
	serve --interface "$IF_SRV" --tree no-initrd --range "$RANGE"
cp -a tree no-kernel && rm no-kernel/live/vmlinuz
expect_fail "tree without kernel" 1 'tree no-kernel has no live/vmlinuz' \
	serve --interface "$IF_SRV" --tree no-kernel --proxy
expect_fail "no tree" 1 'tree nothere: no such folder' \
	serve --interface "$IF_SRV" --tree nothere --proxy
cp -a tree private && chmod 600 private/live/vmlinuz
expect_fail "kernel not readable by nobody" 1 'live/vmlinuz is not readable by everyone' \
	serve --interface "$IF_SRV" --tree private --proxy
expect_fail "missing job file" 1 '--job nothere.job: No such file' \
	serve --interface "$IF_SRV" --tree tree --proxy --job nothere.job
ip -n "$NS_SRV" addr add 10.88.0.1/24 dev lbpd$$
expect_fail "multicast on an interface without broadcast address" 1 "interface lbpd$$ has no broadcast address" \
	serve --interface lbpd$$ --tree tree --proxy --multicast tree/live/initrd --clients 2

# ports held by other programs
hold() { # hold PROTO ADDR PORT: a python socket holding the port in the server namespace
	ip netns exec "$NS_SRV" python3 -c '
import socket, sys, time
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, kind)
s.bind((sys.argv[2], int(sys.argv[3])))
if kind == socket.SOCK_STREAM: s.listen(1)
print("held", flush=True)
time.sleep(600)' "$@" >"$SCRATCH/held" 2>&1 &
	HOLD_PID=$!
	on_exit "kill $HOLD_PID 2>/dev/null"
	wait_for "$SCRATCH/held" held
}
release() { kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null || true; : >"$SCRATCH/held"; }
hold udp 0.0.0.0 67
expect_fail "DHCP port in use" 1 "port 67/udp \(DHCP\) on $IF_SRV is in use by another program" \
	serve --interface "$IF_SRV" --tree tree --range "$RANGE"
release
hold udp "$SERVER" 69
expect_fail "TFTP port in use" 1 "port 69/udp \(TFTP\) on $IF_SRV is in use by another program" \
	serve --interface "$IF_SRV" --tree tree --proxy
release
hold tcp 0.0.0.0 80
expect_fail "HTTP port in use" 1 "port 80/tcp \(HTTP\) on $SERVER is in use by another program" \
	serve --interface "$IF_SRV" --tree tree --range "$RANGE"
release
check_eq "nothing left in TMPDIR" "" "$(ls tmp)"
check_eq "no process left in the server namespace" "" "$(ip netns pids "$NS_SRV")"

# a second server on the same interface: its DHCP port is taken
pxe_start status --tree tree --range "$RANGE"
expect_fail "second server refused" 1 "port 67/udp \(DHCP\) on $IF_SRV is in use" \
	serve --interface "$IF_SRV" --tree tree --proxy
pxe_stop TERM
check_eq "first server stops cleanly" 0 "$PXE_RC"

finish
