# lifeboat-pxe serve with its own DHCP range, in a private two-namespace lab:
# busybox udhcpc gets an address, next-server and the boot file by client
# architecture (BIOS pxelinux.0, UEFI bootx64.efi); busybox tftp fetches the
# boot files equal to the tree (cmp); curl fetches the initramfs, ranges and
# the job over HTTP; a client leaving mid-file is reported with the reason;
# status lines report it all; SIGTERM stops dnsmasq and removes the run
# folder.
. "$TESTLIB"
need busybox curl dnsmasq cmp
. "$(dirname "$0")/helpers/pxe_lab.sh"
cd "$SCRATCH"

make_pxe_tree tree
printf 'restore image=/dev/null target=/dev/sda\n' >fleet.job
mkdir images && head -c 1234567 /dev/urandom >images/office.lbi
mkdir tmp && chmod 755 tmp
export TMPDIR=$SCRATCH/tmp
pxe_start status --tree tree --range 10.77.0.100,10.77.0.150 --job fleet.job --images images
check "run folder made in TMPDIR" test -n "$(ls tmp)"

# (a) DHCP: a BIOS client and a UEFI x86-64 client (option 93 = 7)
cat >udhcpc.sh <<'SCRIPT'
#!/bin/sh
env | grep -E '^(ip|siaddr|boot_file|subnet)=' >"$LEASE_OUT"
[ "$1" = bound ] && ip addr add "$ip/24" brd + dev "$interface"
exit 0
SCRIPT
chmod +x udhcpc.sh
LEASE_OUT=$SCRATCH/lease-efi cli busybox udhcpc -i "$IF_CLI" -q -n -t 5 -s /bin/true -x 0x5d:0007 >/dev/null 2>&1 || true
LEASE_OUT=$SCRATCH/lease-efi cli busybox udhcpc -i "$IF_CLI" -q -n -t 5 -s "$SCRATCH/udhcpc.sh" -x 0x5d:0007 -x 0x3d:01aabbccddeeff >/dev/null 2>&1
check "UEFI client is told bootx64.efi" grep -qx 'boot_file=bootx64.efi' lease-efi
cli ip addr flush dev "$IF_CLI"
LEASE_OUT=$SCRATCH/lease cli busybox udhcpc -i "$IF_CLI" -q -n -t 5 -s "$SCRATCH/udhcpc.sh" >/dev/null 2>&1
check "DHCP lease obtained" grep -q '^ip=10\.77\.0\.' lease
client=$(sed -n 's/^ip=//p' lease)
last=${client##*.}
check "address from the range" test "$last" -ge 100 -a "$last" -le 150
check_eq "next-server is the server" "siaddr=$SERVER" "$(grep '^siaddr=' lease)"
check_eq "BIOS client is told pxelinux.0" "boot_file=pxelinux.0" "$(grep '^boot_file=' lease)"

# (a) TFTP: the boot files, byte for byte
cli busybox tftp -g -r pxelinux.0 -l got-pxelinux.0 "$SERVER"
check "TFTP pxelinux.0 equals the tree's" cmp got-pxelinux.0 tree/pxelinux.0
check "tree's pxelinux.0 is Debian's lpxelinux.0" cmp tree/pxelinux.0 /usr/lib/PXELINUX/lpxelinux.0
cli busybox tftp -g -r live/vmlinuz -l got-vmlinuz "$SERVER"
check "TFTP kernel equals the tree's" cmp got-vmlinuz tree/live/vmlinuz
cli busybox tftp -g -r grubx64.efi -l got-grub "$SERVER"
check "TFTP grubx64.efi equals the tree's" cmp got-grub tree/grubx64.efi
cli busybox tftp -g -r pxelinux.cfg/default -l got-menu "$SERVER"
check "BIOS menu loads the kernel over TFTP" grep -qx "	KERNEL /live/vmlinuz" got-menu
check "BIOS menu loads the initramfs over TFTP" grep -q "	APPEND initrd=/live/initrd " got-menu
check "BIOS menu names the job" grep -q "lifeboat.job=http://$SERVER/job" got-menu
cli busybox tftp -g -r grub/grub.cfg -l got-grub.cfg "$SERVER"
check "UEFI menu loads the kernel over TFTP and names the job" \
	grep -Eq "linux /live/vmlinuz .*lifeboat.job=http://$SERVER/job" got-grub.cfg

# (b) HTTP, with and without Range
cli curl -sf -o got-initrd "http://$SERVER/live/initrd"
check "HTTP initrd equals the tree's" cmp got-initrd tree/live/initrd
cli curl -sf -r 1000-1999 -o got-range "http://$SERVER/live/initrd"
dd if=tree/live/initrd of=want-range bs=1000 skip=1 count=1 status=none
check "HTTP range 1000-1999 equals those bytes" cmp got-range want-range
code=$(cli curl -s -o /dev/null -w '%{http_code}' -r 1000-1999 "http://$SERVER/live/initrd")
check_eq "a range is answered 206" 206 "$code"
cli curl -sf -r -500 -o got-tail "http://$SERVER/live/initrd"
tail -c 500 tree/live/initrd >want-tail
check "HTTP suffix range equals the last 500 bytes" cmp got-tail want-tail
size=$(stat -c %s tree/live/initrd)
cli curl -sf -r "$((size - 10))-" -o got-end "http://$SERVER/live/initrd"
check_eq "open range to the end" 10 "$(stat -c %s got-end)"
code=$(cli curl -s -o /dev/null -w '%{http_code}' -r "$size-" "http://$SERVER/live/initrd")
check_eq "a range past the end is 416" 416 "$code"
headers=$(cli curl -sfI "http://$SERVER/live/initrd")
check "HEAD tells length and byte ranges" grep -q "Content-Length: $size" <<<"$headers"
cli curl -sf -o got-job "http://$SERVER/job"
check "/job is the job file" cmp got-job fleet.job
cli curl -sf -r 5-1000000 -o got-image "http://$SERVER/images/office.lbi"
head -c 1000001 images/office.lbi | tail -c +6 >want-image
check "/images/ range equals the image's bytes" cmp got-image want-image
# A PC that goes away in the middle of a file (a small receive window, so
# the file cannot all sit in socket buffers) is reported with the reason.
cli python3 - "$SERVER" <<'CLIENT'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect((sys.argv[1], 80))
s.sendall(b"GET /live/initrd HTTP/1.1\r\nHost: x\r\n\r\n")
s.recv(1000)
s.close()
CLIENT
code=$(cli curl -s --path-as-is -o /dev/null -w '%{http_code}' "http://$SERVER/../../etc/passwd")
check_eq "no way out of the tree" 404 "$code"
code=$(cli curl -s -o /dev/null -w '%{http_code}' "http://$SERVER/.lifeboat-pxe-tree")
check_eq "hidden files are not served" 404 "$code"
code=$(cli curl -s -o /dev/null -w '%{http_code}' -X POST "http://$SERVER/job")
check_eq "POST is refused" 405 "$code"

# status lines
wait_for status "^http +$client .*GET /job 200"
check "status: DHCP acknowledged with MAC" grep -Eq "^dhcp +$client +([0-9a-f]{2}:){5}[0-9a-f]{2} +DHCPACK" status
check "status: TFTP sent pxelinux.0" grep -Eq "^tftp +$client +- +sent pxelinux.0" status
check "status: HTTP range" grep -Eq "^http +$client .*GET /live/initrd 206 bytes 1000-1999/$size" status
check "status: HTTP whole file" grep -Eq "^http +$client .*GET /live/initrd 200 $size bytes" status
check "status: a PC that left mid-file, with the reason" \
	grep -Eq "^http +$client .*GET /live/initrd 200 cut off after [0-9]+ of $size bytes: the PC closed the connection" status

# SIGTERM: clean stop
pxe_stop TERM
check_eq "SIGTERM stops with status 0" 0 "$PXE_RC"
check "status: stopped" grep -q 'server .* stopped$' status
check_eq "no process left in the server namespace" "" "$(ip netns pids "$NS_SRV")"
check_eq "run folder removed" "" "$(ls tmp)"

# --json: one object a line
pxe_start status.json --json --tree tree --proxy
cli busybox tftp -g -r ldlinux.c32 -l got-ldlinux "$SERVER"
check "proxyDHCP server's TFTP sends ldlinux.c32" cmp got-ldlinux tree/ldlinux.c32
wait_for status.json '"event": "tftp"'
check "JSON status line for TFTP" grep -Fqx "{\"event\": \"tftp\", \"client\": \"$client\", \"mac\": null, \"detail\": \"sent ldlinux.c32\"}" status.json
check "JSON lines parse" python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' status.json
pxe_stop INT
check_eq "SIGINT stops with status 0" 0 "$PXE_RC"

finish
