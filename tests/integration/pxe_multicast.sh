# lifeboat-pxe serve --multicast in a private two-namespace lab: udp-sender
# sends a captured ext4 image (.lbi) to the client, where udp-receiver pipes
# it into `lifeboat restore -`; judged by e2fsck -fn and a file-by-file
# compare of the mounted result; status lines report the receiver.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need udp-sender udp-receiver dnsmasq mkfs.ext4 e2fsck mount
. "$(dirname "$0")/helpers/pxe_lab.sh"
cd "$SCRATCH"

make_pxe_tree tree
make_tree files
mkfs.ext4 -q -F -E nodiscard -d files -L office fs.img 48M
"$LIFEBOAT" capture --progress=none fs.img office.lbi
chmod 644 office.lbi

pxe_start status --tree tree --range 10.77.0.100,10.77.0.150 --multicast office.lbi --clients 1 --wait 5
cli ip addr add 10.77.0.120/24 brd + dev "$IF_CLI"
check "udp-receiver | lifeboat restore - succeeds" \
	cli sh -c "udp-receiver --nokbd --interface '$IF_CLI' 2>'$SCRATCH/receiver.log' | '$LIFEBOAT' restore --yes --progress=none - '$SCRATCH/target.img'"
check "e2fsck -fn passes on the restored ext4" e2fsck -fn target.img
mkdir mnt
mount -o ro,loop target.img mnt && on_exit "umount $SCRATCH/mnt 2>/dev/null"
check "restored files equal the source tree" diff -r -x lost+found files mnt
umount mnt
wait_for status 'multicast sender finished'
check "status: the receiver joined" grep -Eq '^multicast +10\.77\.0\.120 +- +joined' status
check "status: transfer complete" grep -Eq '^multicast +- +- +transfer complete' status
check "status: sender finished" grep -q 'server .* multicast sender finished' status
check "server keeps serving after the multicast" kill -0 "$PXE_PID"
pxe_stop TERM
check_eq "SIGTERM stops with status 0" 0 "$PXE_RC"
check_eq "no process left in the server namespace" "" "$(ip netns pids "$NS_SRV")"

finish
