#!/usr/bin/env bash
# Network boot benchmark (not part of the test suite): how long a client
# takes to fetch a 64 MiB initramfs from lifeboat-pxe over TFTP (dnsmasq,
# busybox tftp with 512-byte and 1468-byte blocks) and over HTTP (our
# server, curl), and a multicast of the same bytes to one receiver
# (udp-sender -> udp-receiver), on a veth pair between two private network
# namespaces (zero latency: real LANs widen the TFTP gap, one round trip per
# block). Median of RUNS runs, MB/s.
# Usage: bench/pxe.sh [BUILD-DIR]    (as root, after ./build.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
RUNS=${RUNS:-3}
SIZE_MB=64
ns_s=lbpxe-bs$$ ns_c=lbpxe-bc$$ if_s=lbpbs$$ if_c=lbpbc$$ server=10.77.0.1

work=$(mktemp -d /tmp/lifeboat-pxe-bench.XXXXXX)
chmod 755 "$work"
pxe_pid=
cleanup() {
	[ -n "$pxe_pid" ] && kill "$pxe_pid" 2>/dev/null && wait "$pxe_pid" 2>/dev/null
	ip netns del "$ns_s" 2>/dev/null
	ip netns del "$ns_c" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns_s"
ip netns add "$ns_c"
ip link add "$if_s" type veth peer name "$if_c"
ip link set "$if_s" netns "$ns_s"
ip link set "$if_c" netns "$ns_c"
ip -n "$ns_s" addr add "$server/24" brd + dev "$if_s"
ip -n "$ns_c" addr add 10.77.0.50/24 brd + dev "$if_c"
ip -n "$ns_s" link set "$if_s" up
ip -n "$ns_c" link set "$if_c" up

head -c "${SIZE_MB}M" /dev/urandom >"$work/initrd"
"$build/builder/lifeboat-build" pxe --initrd "$work/initrd" -o "$work/tree" 2>/dev/null
ip netns exec "$ns_s" "$build/pxe/lifeboat-pxe" serve --interface "$if_s" --tree "$work/tree" \
	--range 10.77.0.100,10.77.0.150 >"$work/status" 2>&1 &
pxe_pid=$!
until grep -q 'ready on' "$work/status"; do sleep 0.1; done

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# mbps COMMAND...: MB/s of one fetch of the initramfs into $work/got, checked by cmp
mbps() {
	local s e
	rm -f "$work/got"
	s=$(now)
	ip netns exec "$ns_c" "$@" >/dev/null 2>&1
	e=$(now)
	cmp -s "$work/got" "$work/initrd" || { echo "FAILED (bytes differ): $*" >&2; exit 1; }
	echo "$SIZE_MB / ($e - $s)" | bc -l
}
row() {
	local what=$1 i; shift
	local m; m=$(for ((i = 0; i < RUNS; i++)); do mbps "$@"; done | median)
	printf '%-34s %8.1f MB/s  %6.2f s\n' "$what" "$m" "$(echo "$SIZE_MB / $m" | bc -l)"
}

echo "${SIZE_MB} MiB initramfs, veth between two namespaces, median of $RUNS"
row "TFTP, 512-byte blocks (busybox)" busybox tftp -g -r live/initrd -l "$work/got" "$server"
row "TFTP, blksize 1468 (busybox)" busybox tftp -b 1468 -g -r live/initrd -l "$work/got" "$server"
row "HTTP, lifeboat-pxe (curl)" curl -sf -o "$work/got" "http://$server/live/initrd"
kill "$pxe_pid"; wait "$pxe_pid" 2>/dev/null || true; pxe_pid=
multicast() {
	ip netns exec "$ns_s" "$build/pxe/lifeboat-pxe" serve --interface "$if_s" --tree "$work/tree" \
		--range 10.77.0.100,10.77.0.150 --multicast "$work/initrd" --clients 1 >"$work/status" 2>&1 &
	pxe_pid=$!
	until grep -q 'ready on' "$work/status"; do sleep 0.1; done
	mbps sh -c "udp-receiver --nokbd --interface $if_c >'$work/got'"
	kill "$pxe_pid"; wait "$pxe_pid" 2>/dev/null || true; pxe_pid=
}
m=$(for ((i = 0; i < RUNS; i++)); do multicast; done | median)
printf '%-34s %8.1f MB/s  %6.2f s\n' "multicast, 1 receiver (udpcast)" "$m" "$(echo "$SIZE_MB / $m" | bc -l)"
