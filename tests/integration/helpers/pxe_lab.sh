# A private network lab for the lifeboat-pxe tests: two network namespaces
# joined by a veth pair, the server side 10.77.0.1/24, nothing routed
# anywhere else; a boot tree made by lifeboat-build pxe; lifeboat-pxe
# started in the server namespace and stopped by SIGTERM.
need ip
PXE="$BUILD_DIR/pxe/lifeboat-pxe"
BUILD="$BUILD_DIR/builder/lifeboat-build"
NS_SRV=lbpxe-s$$
NS_CLI=lbpxe-c$$
IF_SRV=lbps$$
IF_CLI=lbpc$$
SERVER=10.77.0.1
ip netns add "$NS_SRV" || { echo "skip: cannot create network namespaces"; exit 77; }
on_exit "ip netns del $NS_SRV"
ip netns add "$NS_CLI"
on_exit "ip netns del $NS_CLI"
ip link add "$IF_SRV" type veth peer name "$IF_CLI"
ip link set "$IF_SRV" netns "$NS_SRV"
ip link set "$IF_CLI" netns "$NS_CLI"
ip -n "$NS_SRV" addr add "$SERVER/24" brd + dev "$IF_SRV"
for ns in "$NS_SRV" "$NS_CLI"; do ip -n "$ns" link set lo up; done
ip -n "$NS_SRV" link set "$IF_SRV" up
ip -n "$NS_CLI" link set "$IF_CLI" up

srv() { ip netns exec "$NS_SRV" "$@"; }
cli() { ip netns exec "$NS_CLI" "$@"; }

# dnsmasq's TFTP runs as nobody: the tree and the folders above it must be
# readable by everyone.
chmod 755 "$SCRATCH"

# make_tree DIR: a boot tree whose initramfs is FILE-sized random bytes
# (serving does not look inside it).
make_pxe_tree() {
	head -c 3000000 /dev/urandom >"$SCRATCH/fake-initrd"
	"$BUILD" pxe --initrd "$SCRATCH/fake-initrd" -o "$1" 2>/dev/null
}

PXE_PID=
# pxe_start STATUS-FILE ARGS...: starts lifeboat-pxe serve in the server
# namespace and waits (up to 60 s) for its "ready" line.
pxe_start() {
	local status=$1 i; shift
	: >"$status"
	ip netns exec "$NS_SRV" "$PXE" serve --interface "$IF_SRV" "$@" >"$status" 2>"$status.err" &
	PXE_PID=$!
	on_exit "kill $PXE_PID 2>/dev/null; wait $PXE_PID 2>/dev/null"
	for ((i = 0; i < 600; i++)); do
		grep -q 'ready on' "$status" && return 0
		kill -0 "$PXE_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "lifeboat-pxe did not get ready: $(cat "$status.err")" >&2
	return 1
}

# pxe_stop SIGNAL: stops lifeboat-pxe; its exit status goes into PXE_RC.
pxe_stop() {
	PXE_RC=0
	kill "-$1" "$PXE_PID"
	wait "$PXE_PID" || PXE_RC=$?
}

# wait_for FILE REGEX: waits (up to 60 s) until FILE has a line matching REGEX.
wait_for() {
	local i
	for ((i = 0; i < 600; i++)); do
		grep -Eq -- "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}
